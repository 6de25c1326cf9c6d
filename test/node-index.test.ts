// The model's index by type is in position order, so that `within` can binary-search it: a
// function's calls taken from the index are exactly the calls a walk of its body finds. Python
// comprehensions list their iterable before their element, which put the pre-order out of
// position order, and such a search could miss a call.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { Engine } from '../server/src/engine';
import * as ir from '../rules/kit/model/ir';
import { within } from '../rules/kit/model/ranges';
import { FIXTURES, ROOT, sourceFiles } from './harness/fixtures';

describe('the index by type', () => {
  let engine: Engine;
  before(async () => { engine = await Engine.create([]); });

  function check(file: string, text: string): string[] {
    const model = engine.analyze(file, text).model;
    if (!model) return [];
    const bad: string[] = [];
    for (const type of ['Call', 'Binary', 'Str', 'Loop', 'Ident'] as const) {
      const list = model.nodesOfType(type);
      for (let i = 1; i < list.length; i++) if (list[i].start < list[i - 1].start) { bad.push(`${type} list out of order`); break; }
    }
    for (const fn of model.functions) {
      const walked: ir.Node[] = [];
      ir.walk(fn.body, (n) => { if (n.type === 'Call') walked.push(n); });
      walked.sort((a, b) => a.start - b.start);
      const found = within(model.calls, fn.body);
      if (found.length !== walked.length || found.some((c, i) => c !== walked[i])) bad.push(`calls of ${fn.name ?? 'a function'} at ${fn.start}`);
    }
    return bad;
  }

  it('gives every function its calls, with comprehensions whose element calls come before the iterable', () => {
    const text = [
      'def first(rows):',
      '    return [fetch(r) for r in load(rows)]',
      '',
      'def second(items):',
      '    return {key(i): value(i) for i in pick(items) if keep(i)}',
      '',
      'def third():',
      '    handlers = [(lambda: run(x))() for x in jobs()]',
      '    return handlers',
      '',
    ].join('\n');
    assert.deepStrictEqual(check('/index/comprehensions.py', text), []);
  });

  it('holds on every fixture and sample-app file', () => {
    const files = [...sourceFiles(FIXTURES), ...sourceFiles(path.join(ROOT, 'sample-app'))];
    const bad = files.flatMap((f) => check(f, fs.readFileSync(f, 'utf8')).map((b) => `${path.relative(ROOT, f)}: ${b}`));
    assert.deepStrictEqual(bad, []);
  });
});
