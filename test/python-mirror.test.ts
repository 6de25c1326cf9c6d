// The Python front end copies tree-sitter's tree by calling the wasm cursor functions directly
// (frontends/mirror.ts). The copy must be the one web-tree-sitter's TreeCursor gives, node for
// node, on well-formed code and on code with syntax errors (ERROR and MISSING nodes).
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { initPython, parsePython } from '../server/src/frontends/python';
import { rawCursorEnabled, withTreeCursor } from '../server/src/frontends/mirror';
import { generateSource } from '../bench/generate';
import { ROOT, sourceFiles } from './harness/fixtures';

/** The IR as text, without the links that make it a graph. */
const dump = (text: string) => JSON.stringify(parsePython(text).root, (k, v) => (k === 'parent' || k === 'order' ? undefined : v));

describe('Python tree copy', function () {
  this.timeout(60_000);
  before(() => initPython());

  it('calls the wasm cursor functions directly', () => {
    assert.ok(rawCursorEnabled(), 'web-tree-sitter\'s module lacks a cursor function the copy calls: see useRawCursor');
  });

  it('gives the same tree as the TreeCursor on every Python file of the fixtures and sample app, and on broken code', () => {
    const files = [...sourceFiles(path.join(ROOT, 'rules')), ...sourceFiles(path.join(ROOT, 'sample-app')), ...sourceFiles(path.join(ROOT, 'test-fixtures'))].filter((f) => f.endsWith('.py'));
    assert.ok(files.length > 50, `${files.length} Python files`);
    const texts = files.map((f) => fs.readFileSync(f, 'utf8'));
    texts.push(generateSource('py', 2000, 7));
    // Cut every tenth file short and drop characters: ERROR and MISSING nodes, deep error chains.
    for (let i = 0; i < texts.length; i += 10) {
      const t = texts[i];
      texts.push(t.slice(0, Math.floor(t.length * 0.6)), t.replace(/[):\]]/g, ''), `${t}\ndef broken(:\n    return (\n`);
    }
    let withErrors = 0;
    for (const text of texts) {
      if (parsePython(text).problems.length) withErrors++;
      assert.strictEqual(dump(text), withTreeCursor(() => dump(text)), text.slice(0, 200));
    }
    assert.ok(withErrors >= 10, `${withErrors} texts with syntax errors`);
  });
});
