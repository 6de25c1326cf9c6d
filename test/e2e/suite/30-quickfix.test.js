// Each headline quick fix, as VS Code runs it: open the file, await its diagnostics, ask the
// editor's code-action provider for the fix of that diagnostic, apply the WorkspaceEdit, save
// (including files the fix created), then check the file on disk and that the finding is gone.
// Every case works on its own copy of the sample file, so the cases do not depend on each other.
'use strict';
const assert = require('assert');
const fs = require('fs');
const vscode = require('vscode');
const h = require('./helpers');

const CASES = [
  {
    rule: 'sql-injection', file: 'src/routes/auth.js', line: 42, fix: 'Parameterize query',
    expect: ['WHERE email = $1`, [email]'], gone: ["'${email}'"],
  },
  {
    rule: 'hardcoded-secret', file: 'src/routes/auth.js', line: 29, fix: 'Move secret to environment',
    expect: ["const JWT_SECRET = requireEnv('JWT_SECRET');", 'JWT_SECRET,'], gone: ["'my-secret-key'"],
    files: { '.env': 'JWT_SECRET=my-secret-key', '.env.example': 'JWT_SECRET=' },
  },
  {
    rule: 'token-in-url', file: 'src/routes/oauth.js', line: 70, fix: 'Send token as httpOnly cookie',
    expect: ["res.cookie('access_token', token, { httpOnly: true, secure: true, sameSite: 'lax' });"], gone: ['#access_token='],
  },
  {
    rule: 'webhook-unverified', file: 'src/routes/billing.ts', line: 86, fix: 'Verify webhook signature',
    expect: ["stripe.webhooks.constructEvent(req.body, req.headers['stripe-signature'] as string, process.env.STRIPE_WEBHOOK_SECRET!)"],
    gone: ["JSON.parse(req.body.toString('utf8'))"],
  },
  {
    rule: 'webhook-not-idempotent', file: 'src/routes/billing.ts', line: 86, fix: 'Wrap handler in idempotency guard',
    expect: ['await oncePerEvent(pool, event.id, async () => {', "import { oncePerEvent } from '../lib/idempotency';"],
    files: { 'src/lib/idempotency.ts': 'export async function oncePerEvent' },
  },
  {
    rule: 'webhook-not-idempotent', file: 'src/routes/billing.ts', line: 52, fix: 'Add idempotency key',
    expect: ['{ idempotencyKey: `payment-intent-${orderId}` }'],
  },
  {
    rule: 'connection-per-request', file: 'src/routes/reports.ts', line: 28, fix: 'Hoist to a shared instance',
    expect: ['getAnalyticsPool()'], gone: ['new Pool({ connectionString: process.env.ANALYTICS_DATABASE_URL, max: 5 })\n'],
  },
  {
    rule: 'connection-per-request', file: 'app.py', line: 30, fix: 'Hoist to a shared instance',
    expect: ['conn = db_pool.getconn()', 'db_pool.putconn(conn)'], gone: ['psycopg2.connect(DATABASE_URL)\n    try'],
  },
  {
    rule: 'sql-injection', file: 'app.py', line: 33, fix: 'Parameterize query',
    expect: ['name ILIKE %s ORDER BY name LIMIT 20", (f"%{q}%",))'], gone: ["'%{q}%'"],
  },
];

describe('headline quick fixes through executeCodeActionProvider + applyEdit', () => {
  afterEach(() => h.closeAllEditors());

  CASES.forEach((c, i) => {
    it(`${c.rule}: "${c.fix}" in ${c.file}:${c.line}`, async function () {
      const rel = h.copyInWorkspace(c.file, `qf${i}`);
      const { doc, uri } = await h.openInEditor(rel);
      const before = await h.diagnosticsWhen(uri, (d) => d.some((x) => h.ruleOf(x) === c.rule && h.lineOf(x) === c.line), { what: `${c.rule} on line ${c.line}` });
      const target = before.find((x) => h.ruleOf(x) === c.rule && h.lineOf(x) === c.line);
      const count = h.ofRule(before, c.rule).length;

      const actions = await h.codeActions(uri, target.range, { title: c.fix });
      const action = actions.find((a) => a.title.startsWith(c.fix) && a.diagnostics && a.diagnostics.some((d) => h.ruleOf(d) === c.rule && h.lineOf(d) === c.line))
        || actions.find((a) => a.title.startsWith(c.fix));
      assert.ok(action && action.edit, `"${c.fix}" offered with an edit; got ${JSON.stringify(actions.map((a) => a.title))}`);
      const version = doc.version;
      assert.ok(await h.applyCodeAction(action), 'applyEdit succeeded');
      assert.ok(doc.version > version, 'the fix edited the open document');
      await h.saveAll();

      const disk = h.readWorkspaceFile(rel);
      for (const s of c.expect || []) assert.ok(disk.includes(s), `${rel} on disk contains ${JSON.stringify(s)}:\n${disk}`);
      for (const s of c.gone || []) assert.ok(!disk.includes(s), `${rel} on disk no longer contains ${JSON.stringify(s)}`);
      for (const [f, s] of Object.entries(c.files || {})) {
        const text = fs.readFileSync(h.workspaceUri(f).fsPath, 'utf8');
        assert.ok(text.includes(s), `${f} on disk contains ${JSON.stringify(s)}:\n${text}`);
      }
      // The analysis of the saved text no longer reports this finding.
      await h.diagnosticsWhen(uri, (d) => h.ofRule(d, c.rule).length === count - 1, { what: `one ${c.rule} finding fewer than ${count}` });
    });
  });
});
