// Incremental analysis on type must give exactly what a from-scratch analysis of the same text
// gives: the bench's on-type edit stream is replayed in process, and every version's findings
// (ids, ranges, messages, data, fixes), notices and syntax errors are compared with those of an
// engine that parses the text from nothing; so are the code models' trees, every tenth version.
import * as assert from 'assert';
import { Engine, type Analysis } from '../server/src/engine';
import * as ir from '../rules/kit/model/ir';
import { generateSource } from '../bench/generate';
import { ON_TYPE_STREAM, replayEdits } from '../bench/edits';

const TS_FILE = '/nonexistent/vibeguard-incremental/src/routes/large.ts';
const PY_FILE = '/nonexistent/vibeguard-incremental/app/views.py';

/** What a user sees of an analysis; the model's tree is compared separately. */
function visible(a: Analysis) {
  return {
    findings: a.findings.map((f) => ({ ...f })),
    notices: a.notices,
    syntaxErrors: a.syntaxErrors,
    secrets: a.secrets,
  };
}

/** The IR as plain data: links and memos left out (linkParents and rules set them). */
function treeOf(a: Analysis): string {
  return JSON.stringify(a.model?.root, (k, v) => (k === 'parent' || k === 'order' || k === 'idx' || k === 'last' || k === 'dotted' ? undefined : v));
}

describe('incremental analysis', function () {
  this.timeout(300_000);
  let incremental: Engine;
  let scratch: Engine;

  before(async () => {
    incremental = await Engine.create();
    scratch = await Engine.create();
  });

  /** Analyses each text in turn with the incremental engine and compares it with a fresh parse. */
  function replay(file: string, texts: Iterable<string>, opts: { compareTrees?: (i: number) => boolean } = {}): { versions: number; reusedVersions: number; incrementalVersions: number } {
    let versions = 0;
    let reusedVersions = 0;
    let incrementalVersions = 0;
    for (const text of texts) {
      const a = incremental.analyze(file, text);
      scratch.forget(file);
      const b = scratch.analyze(file, text);
      assert.ok(!b.incremental, 'the scratch engine parsed from nothing');
      assert.deepStrictEqual(visible(a), visible(b), `version ${versions} differs from a from-scratch analysis`);
      if (opts.compareTrees?.(versions)) assert.strictEqual(treeOf(a), treeOf(b), `version ${versions}: the IR differs from a from-scratch conversion`);
      if (a.reusedStatements) reusedVersions++;
      if (a.incremental) incrementalVersions++;
      versions++;
    }
    return { versions, reusedVersions, incrementalVersions };
  }

  it("gives every version of the bench's on-type stream the findings of a from-scratch analysis", () => {
    const text = generateSource('ts', ON_TYPE_STREAM.lines, ON_TYPE_STREAM.seed);
    incremental.forget(TS_FILE);
    const texts = [text, ...[...replayEdits(text, ON_TYPE_STREAM.warmup + ON_TYPE_STREAM.edits, ON_TYPE_STREAM.seed)].map((e) => e.after)];
    const { versions, reusedVersions } = replay(TS_FILE, texts, { compareTrees: (i) => i % 10 === 0 });
    assert.strictEqual(versions, 231);
    // Every edit after the first analysis is parsed incrementally (none is a large rewrite).
    assert.strictEqual(reusedVersions, 230);
    // The stream types SQL built from request data: the findings do change along the way.
    const last = incremental.analyze(TS_FILE, texts[texts.length - 1]);
    assert.ok(last.findings.length > incremental.analyze(TS_FILE, text).findings.length);
  });

  const BASE = [
    "import express from 'express';",
    "import { Pool } from 'pg';",
    'const app = express();',
    'const pool = new Pool();',
    '',
    "app.get('/a', async (req, res) => {",
    "  const { rows } = await pool.query('SELECT * FROM a WHERE id = ' + req.params.id);",
    '  res.json(rows);',
    '});',
    '',
    'export async function helper(id: string) {',
    "  const key = 'sk_live_51HkQ2nLr0aB9cD3eF4gH5iJ6kL7mN8oP9qR0sT';",
    '  return pool.query(`SELECT * FROM b WHERE id = ${id}`);',
    '}',
    '',
    "app.get('/b', async (req, res) => {",
    "  const { rows } = await pool.query('SELECT * FROM b WHERE name = ' + req.query.name);",
    '  res.json(rows);',
    '});',
    '',
  ].join('\n');

  /** Successive versions of BASE, each made by replacing `from` (first occurrence) with `to`. */
  function versions(base: string, steps: [string, string][]): string[] {
    const out = [base];
    let cur = base;
    for (const [from, to] of steps) {
      assert.ok(cur.includes(from), `step text not found: ${from}`);
      cur = cur.replace(from, to);
      out.push(cur);
    }
    return out;
  }

  it('stays exact across edits that span statements, delete a function and pass through unparseable text', () => {
    incremental.forget(TS_FILE);
    const texts = versions(BASE, [
      // One edit across the end of one handler and the start of the next statement.
      ["  res.json(rows);\n});\n\nexport async", "  res.json(rows.slice(0, 10));\n});\n\n// moved\nexport async"],
      // Delete a whole function, then the route after it.
      ["export async function helper(id: string) {\n  const key = 'sk_live_51HkQ2nLr0aB9cD3eF4gH5iJ6kL7mN8oP9qR0sT';\n  return pool.query(`SELECT * FROM b WHERE id = ${id}`);\n}\n", ''],
      // Unparseable intermediate text: an open brace and an unterminated string, then closed again.
      ["app.get('/b', async (req, res) => {", "app.get('/b', async (req, res) => {\n  if (req.query.x) {\n  const s = 'unterminated"],
      ["  const s = 'unterminated", "  const s = 'done';\n  }"],
      // A multi-line paste in the middle, then one that replaces most of the file.
      ['const pool = new Pool();', "const pool = new Pool();\nfunction later() {\n  return pool.query('SELECT * FROM c WHERE id = ' + process.argv[2]);\n}"],
      ["import express from 'express';", "import express from 'express';\n" + BASE.split('\n').slice(2).join('\n')],
      // Text before everything shifts every statement.
      ["import express from 'express';", "// header\n\nimport express from 'express';"],
    ]);
    const { reusedVersions } = replay(TS_FILE, texts, { compareTrees: () => true });
    assert.ok(reusedVersions >= 5, `incremental parses: ${reusedVersions}`);
    assert.ok(texts.some((t) => incremental.analyze(TS_FILE, t).syntaxErrors.length > 0), 'an intermediate version has syntax errors');
  });

  it('reaches the same result from any earlier version, cached or not', () => {
    // Undo after redo: analyses jump back and forth between versions, and one version is cancelled half-way.
    incremental.forget(TS_FILE);
    const texts = versions(BASE, [["req.params.id", "req.params.id + ''"], ['res.json(rows);', 'res.send(rows);']]);
    replay(TS_FILE, [texts[0], texts[2], texts[1], texts[2], texts[0]], { compareTrees: () => true });
    let cancelled = false;
    try { incremental.analyze(TS_FILE, texts[1], { isCancelled: () => true }); } catch { cancelled = true; }
    assert.ok(cancelled);
    replay(TS_FILE, [texts[2], texts[1]], { compareTrees: () => true });
  });

  it('stays exact in a CRLF file while characters outside the BMP are typed', () => {
    incremental.forget(TS_FILE);
    const crlf = '\uFEFF' + BASE.replace(/\n/g, '\r\n');
    const at = crlf.indexOf('  res.json(rows);');
    const typed = "const label = '\u{1F600} ok \u{1F680}' + req.params.id;\r\n";
    const texts = [crlf];
    for (let i = 1; i <= typed.length; i++) texts.push(crlf.slice(0, at) + typed.slice(0, i) + crlf.slice(at));
    const { versions, reusedVersions } = replay(TS_FILE, texts, { compareTrees: () => true });
    assert.strictEqual(reusedVersions, versions - 1);
  });

  it('keeps what an incremental parse starts from for the last four documents only', () => {
    const file = (i: number) => `/nonexistent/vibeguard-incremental/src/f${i}.ts`;
    const edited = BASE.replace('res.json(rows);', 'res.json(rows.length);');
    for (const others of [3, 4]) {
      incremental.analyze(file(0), BASE);
      for (let i = 1; i <= others; i++) incremental.analyze(file(i), BASE);
      // Four documents parsed since: the first one's tree was let go and its next version parses afresh.
      assert.strictEqual(!!incremental.analyze(file(0), edited).incremental, others < 4, `${others} other documents`);
      for (let i = 0; i <= others; i++) incremental.forget(file(i));
    }
  });

  it('parses afresh when the same file changes language', () => {
    const file = '/nonexistent/vibeguard-incremental/src/script';
    const py = 'import os\nos.system("ls " + input())\n';
    const js = "const { exec } = require('child_process');\nexec('ls ' + process.argv[2]);\n";
    const a = incremental.analyze(file, py, { lang: 'py' });
    const b = incremental.analyze(file, js, { lang: 'js' });
    const c = incremental.analyze(file, py + '\n', { lang: 'py' });
    assert.ok(!b.incremental && !c.incremental);
    scratch.forget(file);
    assert.deepStrictEqual(visible(b), visible(scratch.analyze(file, js, { lang: 'js' })));
    assert.deepStrictEqual(visible(a).findings.map((f) => f.ruleId), visible(c).findings.map((f) => f.ruleId));
    incremental.forget(file);
  });

  it('gives Python the findings of a from-scratch analysis while typing', () => {
    const py = generateSource('py', 400, ON_TYPE_STREAM.seed);
    const anchor = py.indexOf('\n    return ');
    assert.ok(anchor > 0);
    const typed = "\n    sql = \"SELECT * FROM orders WHERE id = \" + request.args['id']\n    cur.execute(sql)";
    const texts = [py];
    for (let i = 1; i <= typed.length; i += 3) texts.push(py.slice(0, anchor) + typed.slice(0, i) + py.slice(anchor));
    texts.push(py.slice(0, anchor) + typed + py.slice(anchor));
    // Delete the first function, then restore it.
    const fn = py.indexOf('\ndef ');
    const fnEnd = py.indexOf('\ndef ', fn + 1);
    texts.push(py.slice(0, fn) + py.slice(fnEnd), py);
    incremental.forget(PY_FILE);
    const { versions, incrementalVersions } = replay(PY_FILE, texts, { compareTrees: (i) => i % 5 === 0 });
    // Every version after the first is parsed from the previous tree.
    assert.strictEqual(incrementalVersions, versions - 1);
  });
});
