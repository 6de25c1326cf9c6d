// Facts that span files: a router file is judged by the host that mounts it, and the workspace
// index drops its facts as soon as a file changes (the host adds or removes the guard).
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { engine } from './harness/fixtures';
import { WorkspaceIndexes } from '../server/src/workspaceIndex';

const ROUTER = "const express = require('express');\nconst router = express.Router();\nrouter.post('/refunds/:id', async (req, res) => {\n  await refund(req.params.id);\n  res.json({ ok: true });\n});\nmodule.exports = router;\n";
const host = (guard: boolean) => `const express = require('express');\nconst { requireAuth } = require('./auth');\nconst app = express();\napp.get('/me', requireAuth, me);\napp.use('/billing', ${guard ? 'requireAuth, ' : ''}require('./routes/billing'));\n`;

function virtual(files: Record<string, string>, root = '/ws') {
  const map = new Map(Object.entries(files).map(([k, v]) => [path.join(root, k), v]));
  const findFiles = (pred: (rel: string) => boolean) => [...map.keys()].filter((p) => pred(path.relative(root, p)));
  return { map, reader: { root, readFile: (p: string) => map.get(p), findFiles } };
}

describe('workspace index (cross-file facts)', () => {
  const file = '/ws/routes/billing.js';

  it('a router mounted behind auth in another file is guarded; without the guard it is reported', async () => {
    const e = await engine();
    const ws = virtual({ 'server.js': host(true) });
    const ids = () => e.analyze(file, ROUTER, { workspace: ws.reader }).findings.map((f) => f.ruleId).filter((r) => r === 'missing-auth');
    assert.deepStrictEqual(ids(), []);
    // The host drops the guard: the cached mount facts are recomputed.
    ws.map.set('/ws/server.js', host(false));
    assert.deepStrictEqual(ids(), ['missing-auth']);
  });

  it('a codebase that authenticates nowhere gets no missing-auth finding', async () => {
    const e = await engine();
    const ws = virtual({ 'server.js': "const app = require('express')();\napp.use('/billing', require('./routes/billing'));\n" });
    assert.deepStrictEqual(e.analyze(file, ROUTER, { workspace: ws.reader }).findings.filter((f) => f.ruleId === 'missing-auth'), []);
  });

  it('reads a workspace on disk and notices a changed host', async () => {
    const e = await engine();
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-ws-'));
    fs.mkdirSync(path.join(root, 'routes'));
    fs.writeFileSync(path.join(root, 'server.js'), host(false));
    const f = path.join(root, 'routes/billing.js');
    fs.writeFileSync(f, ROUTER);
    const ids = () => e.analyze(f, ROUTER, { workspaceRoot: root }).findings.map((x) => x.ruleId).filter((r) => r === 'missing-auth');
    assert.deepStrictEqual(ids(), ['missing-auth']);
    fs.writeFileSync(path.join(root, 'server.js'), host(true));
    const later = Date.now() + 2100;
    while (Date.now() < later) { /* the index re-checks stamps after its freshness window */ }
    assert.deepStrictEqual(ids(), []);
    fs.rmSync(root, { recursive: true, force: true });
  });
});

describe('workspace index: chained mounts', () => {
  it('a router mounted through a chained Router().use(...) is judged by that mount', async () => {
    const e = await engine();
    const files = {
      'server.js': "const express = require('express');\nconst { requireAuth } = require('./auth');\nconst app = express();\napp.get('/me', requireAuth, me);\napp.use(require('./routes'));\n",
      'routes.js': "const { Router } = require('express');\nconst billing = require('./routes/billing');\nmodule.exports = Router()\n  .use('/billing', billing);\n",
    };
    const map = new Map(Object.entries(files).map(([k, v]) => [path.join('/ws', k), v]));
    const reader = { root: '/ws', readFile: (p: string) => map.get(p), findFiles: (pred: (rel: string) => boolean) => [...map.keys()].filter((p) => pred(path.relative('/ws', p))) };
    assert.deepStrictEqual(e.analyze('/ws/routes/billing.js', ROUTER, { workspace: reader }).findings.map((f) => f.ruleId).filter((r) => r === 'missing-auth'), ['missing-auth']);
  });
});

describe('missing-auth in Next.js and NestJS workspaces', () => {
  const ADMIN_ROUTE = "import { NextResponse } from 'next/server';\nimport { db } from '@/lib/db';\n\nexport async function GET() {\n  return NextResponse.json(await db.user.findMany());\n}\n";
  const OTHER_ROUTE = "import { getServerSession } from 'next-auth';\nimport { NextResponse } from 'next/server';\n\nexport async function GET() {\n  const session = await getServerSession();\n  if (!session) return NextResponse.json({}, { status: 401 });\n  return NextResponse.json(session.user);\n}\n";
  // Other rules may report on the same snippets (an unbounded findMany): only missing-auth is under test here.
  const auth = (a: { findings: { ruleId: string; message: string }[] }) => a.findings.filter((f) => f.ruleId === 'missing-auth');
  const ws = (files: Record<string, string>) => {
    const map = new Map(Object.entries(files).map(([k, v]) => [path.join('/next', k), v]));
    return { root: '/next', readFile: (p: string) => map.get(p), findFiles: (pred: (rel: string) => boolean) => [...map.keys()].filter((p) => pred(path.relative('/next', p))) };
  };

  it('an admin route handler without a session check, in an app whose other routes check one, is reported without a fix', async () => {
    const e = await engine();
    const a = e.analyze('/next/app/api/admin/users/route.ts', ADMIN_ROUTE, { workspace: ws({ 'app/api/me/route.ts': OTHER_ROUTE }) });
    assert.deepStrictEqual(auth(a).map((f) => f.ruleId), ['missing-auth']);
    assert.match(auth(a)[0].message, /no automatic fix: a Next\.js route handler/);
  });

  it('a middleware.ts that turns callers away guards the route handlers', async () => {
    const e = await engine();
    const middleware = "export { auth as middleware } from './auth';\nexport const config = { matcher: ['/api/admin/:path*'] };\n";
    const a = e.analyze('/next/app/api/admin/users/route.ts', ADMIN_ROUTE, { workspace: ws({ 'app/api/me/route.ts': OTHER_ROUTE, 'middleware.ts': middleware }) });
    assert.deepStrictEqual(auth(a), []);
  });

  it('a NestJS controller without a guard is reported; a global guard in main.ts silences it', async () => {
    const e = await engine();
    const ctrl = "import { Controller, Delete, Param } from '@nestjs/common';\n\n@Controller('admin')\nexport class AdminController {\n  @Delete('users/:id')\n  remove(@Param('id') id: string) {\n    return this.users.remove(id);\n  }\n}\n";
    const guarded = "import { Controller, Get, UseGuards } from '@nestjs/common';\nimport { JwtAuthGuard } from './jwt.guard';\n\n@Controller('me')\n@UseGuards(JwtAuthGuard)\nexport class MeController {\n  @Get()\n  me() {\n    return this.me;\n  }\n}\n";
    const files = { 'src/me.controller.ts': guarded };
    assert.deepStrictEqual(auth(e.analyze('/next/src/admin.controller.ts', ctrl, { workspace: ws(files) })).map((f) => f.ruleId), ['missing-auth']);
    const main = "const app = await NestFactory.create(AppModule);\napp.useGlobalGuards(new JwtAuthGuard());\n";
    assert.deepStrictEqual(auth(e.analyze('/next/src/admin.controller.ts', ctrl, { workspace: ws({ ...files, 'src/main.ts': main }) })), []);
  });
});

describe('workspace index: fact files', () => {
  it('lists schemas, lockfiles and deployment config on disk (CI schedules too), not dependencies or other dot folders', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-facts-'));
    const put = (rel: string, text = 'x') => { fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true }); fs.writeFileSync(path.join(root, rel), text); };
    for (const rel of ['prisma/schema.prisma', 'db/migrations/001_init.sql', 'package-lock.json', 'requirements-dev.txt', 'k8s/cron.yaml', '.github/workflows/nightly.yml', 'vercel.json', 'Procfile', 'app.js', 'node_modules/x/schema.prisma', '.cache/a.sql', 'README.md']) put(rel);
    const idx = new WorkspaceIndexes().onDisk(root);
    const rel = idx.factFiles().map((f) => path.relative(root, f).replace(/\\/g, '/')).sort();
    assert.deepStrictEqual(rel, ['.github/workflows/nightly.yml', 'Procfile', 'db/migrations/001_init.sql', 'k8s/cron.yaml', 'package-lock.json', 'prisma/schema.prisma', 'requirements-dev.txt', 'vercel.json']);
    assert.deepStrictEqual(idx.files('js').map((f) => path.basename(f)), ['app.js']);
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('a changed fact file drops the facts computed from the workspace', () => {
    const ws = virtual({ 'schema.prisma': 'model A {}', 'app.js': '' });
    const idx = new WorkspaceIndexes().of(ws.reader);
    let computed = 0;
    const fact = () => idx.fact('models', () => ++computed);
    assert.deepStrictEqual(idx.factFiles(), ['/ws/schema.prisma']);
    fact(); fact();
    assert.strictEqual(computed, 1);
    ws.map.set('/ws/schema.prisma', 'model A { id Int @id }');
    fact();
    assert.strictEqual(computed, 2);
  });
});

describe('workspace index: per-file values', () => {
  it('a changed file is parsed again, the others are not, and a removed file is forgotten', () => {
    const ws = virtual({ 'db/001.sql': 'CREATE TABLE a (id int);', 'db/002.sql': 'CREATE TABLE b (id int);', 'app.js': '' });
    const idx = new WorkspaceIndexes().of(ws.reader);
    const parsed: string[] = [];
    const parseAll = () => idx.factFiles().map((f) => idx.perFile(f, 'sql', (text) => { parsed.push(path.basename(f)); return text.length; }));
    assert.deepStrictEqual(parseAll(), [24, 24]);
    assert.deepStrictEqual(parseAll(), [24, 24]);
    assert.deepStrictEqual(parsed, ['001.sql', '002.sql']);
    ws.map.set('/ws/db/002.sql', 'CREATE TABLE b (id int, n int);');
    assert.deepStrictEqual(parseAll(), [24, 31]);
    assert.deepStrictEqual(parsed, ['001.sql', '002.sql', '002.sql']);
    ws.map.delete('/ws/db/001.sql');
    assert.deepStrictEqual(parseAll(), [31]);
    assert.strictEqual(idx.perFile('/ws/db/001.sql', 'sql', () => 0), undefined);
  });

  it('the schema model parses only the migration that changed', () => {
    const ws = virtual({ 'migrations/001_orders.sql': 'CREATE TABLE orders (id serial PRIMARY KEY, status text NOT NULL);\n', 'migrations/002_items.sql': 'CREATE TABLE items (id serial PRIMARY KEY, order_id int REFERENCES orders (id));\n' });
    const idx = new WorkspaceIndexes().of(ws.reader);
    const sql = require('../rules/kit/workspace/schema/sql') as typeof import('../rules/kit/workspace/schema/sql');
    const { schemaOf } = require('../rules/kit/workspace/schema') as typeof import('../rules/kit/workspace/schema');
    const original = sql.parseSqlFile;
    const parsed: string[] = [];
    (sql as { parseSqlFile: typeof original }).parseSqlFile = (file, text) => { parsed.push(path.basename(file)); return original(file, text); };
    try {
      assert.deepStrictEqual(schemaOf(idx)!.tables.map((t) => t.name).sort(), ['items', 'orders']);
      ws.map.set('/ws/migrations/002_items.sql', 'CREATE TABLE items (id serial PRIMARY KEY, order_id int REFERENCES orders (id));\nCREATE INDEX items_order_idx ON items (order_id);\n');
      const items = schemaOf(idx)!.tables.find((t) => t.name === 'items')!;
      assert.deepStrictEqual(items.indexes.map((i) => i.columns), [['order_id']]);
      assert.deepStrictEqual(parsed, ['001_orders.sql', '002_items.sql', '002_items.sql']);
    } finally {
      (sql as { parseSqlFile: typeof original }).parseSqlFile = original;
    }
  });
});
