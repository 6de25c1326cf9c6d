// The worked example of docs/adding-a-rule.md is code a newcomer copies: it must type-check against
// the kit as it is today, placed where the guide says a rule goes.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import ts = require('typescript');
import { ROOT } from './harness/fixtures';

describe('docs/adding-a-rule.md', () => {
  it('its worked example type-checks as rules/performance/<id>.ts', function () {
    this.timeout(60_000);
    const guide = fs.readFileSync(path.join(ROOT, 'docs/adding-a-rule.md'), 'utf8');
    const blocks = [...guide.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
    assert.strictEqual(blocks.length, 1, 'one TypeScript example');
    const id = /id: '([a-z-]+)'/.exec(blocks[0])?.[1];
    assert.ok(id, 'the example declares an id');
    const file = path.join(ROOT, 'rules', 'performance', `${id}.ts`);
    const config = ts.getParsedCommandLineOfConfigFile(path.join(ROOT, 'rules/tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} })!;
    const options = { ...config.options, noEmit: true, composite: false, declaration: false, incremental: false };
    const host = ts.createCompilerHost(options);
    const read = host.readFile.bind(host);
    host.readFile = (f) => (path.resolve(f) === file ? blocks[0] : read(f));
    const exists = host.fileExists.bind(host);
    host.fileExists = (f) => path.resolve(f) === file || exists(f);
    const program = ts.createProgram([file], options, host);
    const diags = ts.getPreEmitDiagnostics(program, program.getSourceFile(file));
    assert.deepStrictEqual(diags.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')), []);
  });
});
