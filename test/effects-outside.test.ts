// mayActOutside lets a rule skip working out a function's effects: it must never say no for a
// function whose own effects include a message, a payment or a call to another service.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { Engine } from '../server/src/engine';
import * as ir from '../rules/kit/model/ir';
import { effectsOf, mayActOutside } from '../rules/kit/frameworks/effects';
import { FIXTURES, ROOT, sourceFiles } from './harness/fixtures';


describe('mayActOutside', () => {
  let engine: Engine;
  before(async () => { engine = await Engine.create(); });

  it('holds for every function whose own effects reach outside, in every fixture and the sample app', () => {
    const missed: string[] = [];
    let outside = 0;
    for (const f of [...sourceFiles(FIXTURES), ...sourceFiles(path.join(ROOT, 'sample-app'))]) {
      const model = engine.analyze(f, fs.readFileSync(f, 'utf8'), { workspaceRoot: ROOT }).model;
      if (!model) continue;
      for (const fn of model.functions) {
        const own = effectsOf(model, fn).filter((e) => ir.enclosingFunction(e.node) === fn && /^(message|payment|http)$/.test(e.kind));
        if (!own.length) continue;
        outside++;
        if (!mayActOutside(model, fn)) missed.push(`${path.relative(ROOT, f)}: ${fn.name ?? 'function'} (${own.map((e) => e.label).join(', ')})`);
      }
    }
    assert.ok(outside > 50, `only ${outside} functions with such effects`);
    assert.deepStrictEqual(missed, []);
  });
});
