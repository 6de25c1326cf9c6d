// Finding fingerprints (server/src/fingerprint.ts): the same finding keeps its fingerprint when
// lines are inserted above it, the code is re-indented or reformatted, or other code changes; it
// gets a new one when the flagged code itself changes or moves to another function.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { contextOf, fingerprintFindings } from '../server/src/fingerprint';
import { engine, fixtureFiles, ROOT } from './harness/fixtures';
import { SEARCH_PY, TWO_QUERIES_JS } from './harness/samples';

async function prints(file: string, text: string): Promise<{ rule: string; fp: string }[]> {
  const a = (await engine()).analyze(file, text);
  assert.ok(a.model, `${file}: analysed`);
  const fps = fingerprintFindings(a.model, a.findings);
  return a.findings.map((f, i) => ({ rule: f.ruleId, fp: fps[i] }));
}

describe('finding fingerprints', () => {
  it('survive lines inserted above, re-indentation, reformatting and edits elsewhere in the function', async () => {
    const before = await prints('a.js', TWO_QUERIES_JS);
    assert.strictEqual(before.length, 2);
    const variants = {
      'lines above': `// a header\n\n/* more */\n${TWO_QUERIES_JS}`,
      're-indented': TWO_QUERIES_JS.split('\n').map((l) => (l ? `    ${l}` : l)).join('\n'),
      reformatted: TWO_QUERIES_JS.replace('await pool.query(`SELECT * FROM orders', 'await pool.query(\n    `SELECT * FROM orders'),
      'CRLF line ends': TWO_QUERIES_JS.replace(/\n/g, '\r\n'),
      'edit in the same function': TWO_QUERIES_JS.replace("  res.json(rows);\n});\napp.get('/orders'", "  console.log(rows.length);\n  res.json(rows);\n});\napp.get('/orders'"),
      'another function added': `function unrelated() { return 1; }\n${TWO_QUERIES_JS}`,
    };
    for (const [name, text] of Object.entries(variants)) assert.deepStrictEqual(await prints('a.js', text), before, name);
  });

  it('change when the flagged code changes or moves to another function', async () => {
    const [users, orders] = await prints('a.js', TWO_QUERIES_JS);
    const changedCode = await prints('a.js', TWO_QUERIES_JS.replace('WHERE email =', 'WHERE mail ='));
    assert.notStrictEqual(changedCode[0].fp, users.fp);
    assert.strictEqual(changedCode[1].fp, orders.fp, 'the other finding keeps its fingerprint');
    const moved = await prints('a.js', TWO_QUERIES_JS.replace("app.get('/users'", "app.get('/people'"));
    assert.notStrictEqual(moved[0].fp, users.fp, 'another route handler is another place');
  });

  it('tell identical findings in one function apart, by occurrence', async () => {
    const twice = TWO_QUERIES_JS.replace("  res.json(rows);\n});\napp.get('/orders'", "  await pool.query(`SELECT * FROM users WHERE email = '${req.query.email}'`);\n  res.json(rows);\n});\napp.get('/orders'");
    const fps = (await prints('a.js', twice)).map((p) => p.fp);
    assert.strictEqual(fps.length, 3);
    assert.strictEqual(new Set(fps).size, 3);
  });

  it('work for Python the same way', async () => {
    const before = await prints('app.py', SEARCH_PY);
    assert.strictEqual(before.length, 1);
    assert.deepStrictEqual(await prints('app.py', `# header\n\n${SEARCH_PY}`), before);
    assert.deepStrictEqual(await prints('app.py', SEARCH_PY.replace('def search(name):\n', 'def search(name):\n    """Look a product up."""\n')), before);
    assert.notDeepStrictEqual(await prints('app.py', SEARCH_PY.replace('def search(', 'def lookup(')), before);
  });

  it('name the enclosing functions: named ones by name, anonymous callbacks by their call', async () => {
    const e = await engine();
    const src = "class Billing {\n  charge() {\n    return run(() => 1);\n  }\n}\napp.post('/webhook', (req, res) => { res.send(2); });\n";
    const a = e.analyze('c.js', src);
    assert.strictEqual(contextOf(a.model!, src.indexOf('1)'), src.indexOf('1)') + 1), 'class Billing>charge>run()');
    assert.strictEqual(contextOf(a.model!, src.indexOf('2)'), src.indexOf('2)') + 1), 'app.post("/webhook")');
    assert.strictEqual(contextOf(a.model!, 0, 5), '');
  });

  it('on real code (fixtures and the sample app): every fingerprint is unique in its file and survives lines inserted above and CRLF', async () => {
    const files = [
      ...fixtureFiles().filter((f) => f.kind === 'bad').map((f) => f.file),
      ...['app.py', 'src/routes/auth.js', 'src/routes/billing.ts', 'src/routes/oauth.js', 'src/routes/reports.ts', 'src/middleware/requireAuth.js'].map((f) => path.join(ROOT, 'sample-app', f)),
    ];
    let total = 0;
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf8');
      const before = await prints(file, text);
      total += before.length;
      assert.strictEqual(new Set(before.map((p) => p.fp)).size, before.length, `${file}: fingerprints are unique`);
      const header = text.startsWith('#!') ? text.indexOf('\n') + 1 : 0;
      const shifted = `${text.slice(0, header)}${file.endsWith('.py') ? '# moved\n#\n' : '// moved\n//\n'}${text.slice(header)}`;
      assert.deepStrictEqual(await prints(file, shifted), before, `${file}: lines inserted above`);
      assert.deepStrictEqual(await prints(file, text.replace(/\r?\n/g, '\r\n')), before, `${file}: CRLF`);
    }
    assert.ok(total > 50, `enough findings to mean something (${total})`);
  });
});
