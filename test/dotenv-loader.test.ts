// Move secret to environment only helps when the app reads .env: the loader check, per ecosystem.
import * as assert from 'assert';
import * as path from 'path';
import { planDotenvLoader } from '../rules/kit/fixes/dotenv-loader';
import { applyEdits } from '../rules/kit/fixes/edits';
import type { FixContext } from '../rules/kit/rule';
import { engine } from './harness/fixtures';

const ROOT = '/ws';

async function plan(file: string, text: string, files: Record<string, string>) {
  const e = await engine();
  const model = e.analyze(path.join(ROOT, file), text).model!;
  const abs = new Map(Object.entries(files).map(([k, v]) => [path.join(ROOT, k), v]));
  const ctx: FixContext = {
    model, file: path.join(ROOT, file), workspaceRoot: ROOT, options: {},
    readFile: (p) => abs.get(p),
    findFiles: (pred) => [...abs.keys()].filter((p) => pred(path.relative(ROOT, p))),
  };
  const p = planDotenvLoader(ctx);
  return { missing: p.missing, text: applyEdits(text, p.edits) };
}

const JS = "import jwt from 'jsonwebtoken';\n\nexport const sign = (s: string) => jwt.sign({ s }, 'x');\n";
const CJS = "'use strict';\nconst jwt = require('jsonwebtoken');\nmodule.exports = jwt;\n";
const PY = '"""Settings."""\nimport os\n\nfrom flask import Flask\n\napp = Flask(__name__)\n';

describe('dotenv loader for Move secret to environment', () => {
  it('leaves apps whose framework loads .env alone (Next.js, NestJS ConfigModule)', async () => {
    for (const dep of ['next', '@nestjs/config', 'vite']) {
      const r = await plan('src/a.ts', JS, { 'package.json': JSON.stringify({ dependencies: { [dep]: '1' } }) });
      assert.deepStrictEqual(r, { missing: undefined, text: JS }, dep);
    }
  });

  it('leaves apps that already load it (a dotenv call elsewhere, --env-file in a script)', async () => {
    const pkg = JSON.stringify({ dependencies: { dotenv: '16' } });
    assert.strictEqual((await plan('src/a.ts', JS, { 'package.json': pkg, 'src/server.ts': "import 'dotenv/config';\n" })).text, JS);
    const script = JSON.stringify({ scripts: { start: 'node --env-file=.env dist/server.js' } });
    assert.deepStrictEqual(await plan('src/a.ts', JS, { 'package.json': script }), { missing: undefined, text: JS });
  });

  it('loads .env at the top of the file when dotenv is installed but never loaded', async () => {
    const pkg = JSON.stringify({ dependencies: { dotenv: '16' } });
    assert.strictEqual((await plan('src/a.ts', JS, { 'package.json': pkg })).text, "import 'dotenv/config';\n" + JS);
    assert.strictEqual((await plan('src/a.js', CJS, { 'package.json': pkg })).text, "'use strict';\nrequire('dotenv').config();\n" + CJS.slice(14));
  });

  it('says what is missing when nothing can load .env', async () => {
    const r = await plan('src/a.ts', JS, { 'package.json': '{}' });
    assert.strictEqual(r.text, JS);
    assert.match(r.missing!, /node --env-file=\.env, or add dotenv/);
    assert.match((await plan('app.py', PY, { 'requirements.txt': 'flask==3.0\n' })).missing!, /python-dotenv/);
  });

  it('Python: python-decouple and flask with python-dotenv read .env themselves; otherwise load_dotenv() goes after the imports', async () => {
    assert.strictEqual((await plan('app.py', PY, { 'requirements.txt': 'python-decouple\n' })).text, PY);
    assert.strictEqual((await plan('app.py', PY, { 'requirements.txt': 'Flask\npython-dotenv\n' })).text, PY);
    const r = await plan('app.py', PY, { 'requirements.txt': 'fastapi\npython-dotenv==1.0\n' });
    assert.strictEqual(r.text, '"""Settings."""\nimport os\n\nfrom flask import Flask\nfrom dotenv import load_dotenv\n\nload_dotenv()\n\napp = Flask(__name__)\n');
  });
});
