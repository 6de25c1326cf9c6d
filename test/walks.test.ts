// Facts that need the whole file come from the code model's node index, built once; the engine's
// dispatch walk is the only walk that starts at a file's root. A rule (or a kit helper it calls)
// that starts another whole-file walk makes analysis cost grow with rules × file size, so this test
// analyses every rule fixture and the sample app and counts root walks per analysis.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { Engine } from '../server/src/engine';
import * as ir from '../rules/kit/model/ir';
import { FIXTURES, ROOT, sourceFiles } from './harness/fixtures';
import { parseTypeScript } from '../server/src/frontends/typescript';
import { initPython, parsePython } from '../server/src/frontends/python';


describe('one walk per analysis', () => {
  let engine: Engine;
  before(async () => { engine = await Engine.create(); });

  const files = [...sourceFiles(FIXTURES), ...sourceFiles(path.join(ROOT, 'sample-app'))];

  it('finds files to analyse', () => {
    assert.ok(files.length > 50, `only ${files.length} files under test-fixtures and sample-app`);
  });

  it('every analysis walks the tree from its root exactly once', () => {
    const over: string[] = [];
    let analysed = 0;
    for (const f of files) {
      const text = fs.readFileSync(f, 'utf8');
      const before = ir.walkStats.fromRoot;
      const a = engine.analyze(f, text, { workspaceRoot: ROOT });
      const walks = ir.walkStats.fromRoot - before;
      if (a.notices.some((n) => n.kind === 'unparsable' || n.kind === 'binary' || n.kind === 'too-large')) continue;
      analysed++;
      if (walks !== 1) over.push(`${path.relative(ROOT, f)}: ${walks} root walks`);
    }
    assert.ok(analysed > 50, `only ${analysed} files analysed`);
    assert.deepStrictEqual(over, []);
  });
});

describe('the node layout (linkParents)', () => {
  before(() => initPython());

  /** Pre-order by ir.children, the one definition of child order, recursively. */
  function reference(n: ir.Node, parent: ir.Node | undefined, out: { node: ir.Node; parent?: ir.Node; size: number }[]): number {
    const at = out.length;
    out.push({ node: n, parent, size: 0 });
    let size = 1;
    for (const c of ir.children(n)) size += reference(c, n, out);
    out[at].size = size;
    return size;
  }

  it('lays out every fixture in children() pre-order, with parents and subtree ends', () => {
    const files = sourceFiles(FIXTURES).filter((f) => !/\.fixed\./.test(f));
    let checked = 0;
    for (const f of files) {
      const text = fs.readFileSync(f, 'utf8');
      const root = f.endsWith('.py') ? parsePython(text).root : parseTypeScript(f, text).root;
      if (!root) continue;
      const want: { node: ir.Node; parent?: ir.Node; size: number }[] = [];
      reference(root, undefined, want);
      const order = root.order!;
      assert.strictEqual(order.length, want.length, f);
      want.forEach((w, i) => {
        assert.strictEqual(order[i], w.node, `${f}: node ${i}`);
        assert.strictEqual(w.node.idx, i, `${f}: idx ${i}`);
        assert.strictEqual(w.node.last, i + w.size - 1, `${f}: last of node ${i} (${w.node.type})`);
        if (w.parent) assert.strictEqual(w.node.parent, w.parent, `${f}: parent of node ${i}`);
      });
      checked++;
    }
    assert.ok(checked > 50, `only ${checked} fixtures laid out`);
  });
});
