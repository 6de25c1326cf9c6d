/**
 * Proves the sql-injection quick fix ("Parameterize query") against real databases, per dialect
 * the fix emits: $n for node-postgres on PostgreSQL, ? with the values in the executing call for
 * better-sqlite3, ? for mysql2 on MariaDB, ? for Python's sqlite3 behind Flask. For each, the
 * vulnerable code is served as is and after the engine's own fix, and the same requests go to
 * both: injection payloads (`' OR 1=1 --` and a UNION) must leak rows before the fix and get
 * exactly what an ordinary lookup gets after it; ordinary inputs must get the same rows from both.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import mysql from 'mysql2/promise';
import { serveModule } from './http';
import { tryStartMariaDB, MariaDBServer } from './mariadb';
import { fixReport, registerReportWriter } from './report';
import { applyRuleFix, changedLines, fixture, FixedSource, transpileToCommonJs } from './fixes';
import { endTrackedClients } from './db-tracker';
import { pythonMissing, servePython, skipWithoutPython } from './python';
import { hostAppSource, pgExec, postgresName, postgresForSuite, Probe, qs, rowCount, runProbes, show } from './suite';
import { judge, type Runs } from './injection';

registerReportWriter();

const RULE = 'sql-injection';
const OR_PAYLOAD = "' OR 1=1 --";

/** The findings the fix leaves (identifier positions, dynamic lists), named by the value they flag. */
function unfixedNote(fixed: FixedSource): string {
  if (!fixed.unfixable.length) return 'no finding left';
  const values = fixed.unfixable.map((f) => /\(([^)]+)\)/.exec(f.message)?.[1] ?? f.message);
  return `${values.length} finding(s) without a fix stay reported (${values.join(', ')}: identifiers or built lists need an allowlist)`;
}

function logFix(fixed: FixedSource): void {
  console.log(`      fix (${fixed.fixable.length} findings, ${fixed.unfixable.length} without fix):\n` +
    changedLines(fixed.before, fixed.after).split('\n').map((l) => `        ${l}`).join('\n'));
}

describe('sql-injection fix against real databases', function () {
  this.timeout(120_000);

  describe('PostgreSQL / pg: test-fixtures/sql-injection/bad.pg.ts', function () {
    const server = postgresForSuite();
    const SEED = `
      DROP TABLE IF EXISTS users, products, orders, sessions;
      CREATE TABLE users (id serial PRIMARY KEY, email text UNIQUE NOT NULL, password_hash text NOT NULL);
      INSERT INTO users (email, password_hash) VALUES
        ('alice@example.com', '$2b$10$alice.hash'), ('bob@example.com', '$2b$10$bob.hash'), ('carol@example.com', '$2b$10$carol.hash');
      CREATE TABLE products (id serial PRIMARY KEY, name text NOT NULL, active boolean NOT NULL, price_cents int NOT NULL);
      INSERT INTO products (name, active, price_cents) VALUES
        ('Blue mug', true, 1200), ('Red mug', true, 1300), ('Mug prototype', false, 0), ('Teapot', true, 3500);
      CREATE TABLE orders (id serial PRIMARY KEY, user_id int NOT NULL, status text NOT NULL, total_cents int NOT NULL);
      INSERT INTO orders (user_id, status, total_cents) VALUES (1, 'paid', 1200), (1, 'pending', 1300), (2, 'paid', 3500), (3, 'refunded', 1200);
      CREATE TABLE sessions (id serial PRIMARY KEY, user_id int NOT NULL, token text NOT NULL);
      INSERT INTO sessions (user_id, token) VALUES (1, 's-alice'), (2, 's-bob'), (3, 's-carol');
    `;
    const LOGIN_UNION = "x' UNION SELECT 0, string_agg(email || ':' || password_hash, ',') FROM users --";
    const SEARCH_UNION = "' AND false UNION SELECT id, email || ':' || password_hash, true, 0 FROM users --";
    const login = (email: string): Probe => ({ name: `login ${email}`, req: { method: 'POST', path: '/login', body: { email } } });
    const search = (q: string): Probe => ({ name: `search ${q}`, req: { path: '/search' + qs({ q }) } });
    const orders = (status: string): Probe => ({ name: `orders ${status}`, req: { path: '/orders/1' + qs({ status }) } });
    const probes = [
      login('bob@example.com'), login('nobody@example.com'), login(OR_PAYLOAD), login(LOGIN_UNION),
      search('mug'), search('zzz'), search(OR_PAYLOAD), search(SEARCH_UNION),
      orders('paid'), orders('no-such-status'), orders(OR_PAYLOAD),
    ];

    it('parameterized with $n: payloads leak before and match nothing after; ordinary lookups unchanged', async function () {
      const pg = server();
      const db = await pg.createDatabase('sqli_pg');
      const url = new URL(db);
      const env = { PGHOST: url.hostname, PGPORT: url.port, PGUSER: pg.user, PGDATABASE: 'sqli_pg', PGPASSWORD: undefined };
      const fixed = await applyRuleFix(RULE, 'src/routes.ts', fixture('test-fixtures/sql-injection/bad.pg.ts'), {
        workspaceFiles: { 'package.json': JSON.stringify({ dependencies: { express: '^4', pg: '^8' } }) },
      });
      try {
        logFix(fixed);
        assert.match(changedLines(fixed.before, fixed.after), /^\+ .*\$1\b/m, 'the fix emitted no $n placeholder');
        const runs: Runs = { before: {}, after: {} };
        const deletes: Record<'before' | 'after', { ordinary: string; payload: string }> = {
          before: { ordinary: '', payload: '' },
          after: { ordinary: '', payload: '' },
        };
        for (const side of ['before', 'after'] as const) {
          await pgExec(db, SEED);
          const source = transpileToCommonJs(side === 'before' ? fixed.before : fixed.after, 'routes.ts');
          const served = await serveModule(hostAppSource('routes.cjs'), { env, files: { 'routes.cjs': source }, exportName: 'app' });
          try {
            runs[side] = await runProbes(served.url, probes);
            // deleteUser(id) is not a route: call it as the app would, with an id that came from a request.
            const { deleteUser } = (served.module as { routes: { deleteUser: (id: string) => Promise<void> } }).routes;
            const sessions = async () => (await pgExec(db, 'SELECT user_id FROM sessions ORDER BY user_id')).map((r) => r.user_id);
            await deleteUser('1');
            deletes[side].ordinary = `deleteUser('1') left sessions of users ${JSON.stringify(await sessions())}`;
            const err = await deleteUser('2 OR 1=1').then(() => '', (e: Error) => e.message);
            deletes[side].payload = `deleteUser('2 OR 1=1') ${err ? `threw "${err}", ` : ''}left sessions of users ${JSON.stringify(await sessions())}`;
          } finally {
            await served.close();
            await endTrackedClients();
          }
        }
        const { checks, beforeText, afterText } = judge(runs, ['login bob@example.com', 'search mug', 'orders paid'], [
          { payload: `login ${OR_PAYLOAD}`, normal: 'login nobody@example.com', leak: (b) => `\`${OR_PAYLOAD}\` as the login email returned the password hash of user ${(b.body as { id?: number })?.id}` },
          { payload: `login ${LOGIN_UNION}`, normal: 'login nobody@example.com', leak: (b) => `a UNION in the email returned every email:hash (${String((b.body as { password_hash?: string })?.password_hash).split(',').length} accounts)` },
          { payload: `search ${OR_PAYLOAD}`, normal: 'search zzz', leak: (b) => `/search returned ${rowCount(b.body)} products including inactive ones` },
          { payload: `search ${SEARCH_UNION}`, normal: 'search zzz', leak: (b) => `a UNION in /search returned ${rowCount(b.body)} email:hash rows` },
          { payload: `orders ${OR_PAYLOAD}`, normal: 'orders no-such-status', leak: (b) => `/orders/1 returned ${rowCount(b.body)} orders of all users` },
        ]);
        checks.same(deletes.after.ordinary, deletes.before.ordinary, 'deleteUser with an ordinary id');
        checks.expect(/left sessions of users \[\]$/.test(deletes.before.payload), `the vulnerable deleteUser did not delete every session: ${deletes.before.payload}`);
        checks.expect(/left sessions of users \[2,3\]$/.test(deletes.after.payload), `the fixed deleteUser touched other users' sessions: ${deletes.after.payload}`);
        fixReport.record({
          rule: RULE,
          dialectOrFramework: `${postgresName(pg)} / pg ($n), Express`,
          beforeFix: `${beforeText}; deleteUser('2 OR 1=1') deleted every user's sessions`,
          afterFix: checks.ok
            ? `${afterText()}; deleteUser('2 OR 1=1') is rejected by Postgres (invalid integer) and deletes nothing; ${unfixedNote(fixed)}`
            : afterText(),
        });
        checks.assertAll('PostgreSQL / pg');
      } finally {
        fixed.cleanup();
      }
    });
  });

  describe('SQLite / better-sqlite3: test/systems/apps/sql-injection/notes-sqlite.js', function () {
    const SEED = `
      CREATE TABLE notes (id INTEGER PRIMARY KEY, owner TEXT NOT NULL, title TEXT NOT NULL, body TEXT NOT NULL, shared INTEGER NOT NULL);
      INSERT INTO notes (owner, title, body, shared) VALUES
        ('alice', 'Buy milk', 'two litres', 1), ('alice', 'Diary', 'private thoughts', 0),
        ('bob', 'Milk prices', 'up again', 1), ('bob', 'Call O''Brien', 'about the lease', 1), ('bob', 'Bank PIN', '4921', 0);
      CREATE TABLE accounts (id INTEGER PRIMARY KEY, username TEXT NOT NULL, password TEXT NOT NULL);
      INSERT INTO accounts (username, password) VALUES ('alice', 'hunter2'), ('bob', 'correct horse');
    `;
    const UNION = "x' UNION SELECT id, username || ':' || password FROM accounts --";
    const note = (id: string, user: string): Probe => ({ name: `note ${id} as ${user}`, req: { path: `/notes/${encodeURIComponent(id)}`, headers: { 'x-user': user } } });
    const userNotes = (name: string): Probe => ({ name: `notes of ${name}`, req: { path: `/users/${encodeURIComponent(name)}/notes` } });
    const search = (q: string): Probe => ({ name: `search ${q}`, req: { path: '/search' + qs({ q }) } });
    const probes = [
      note('1', 'alice'), note('3', 'alice'), note(OR_PAYLOAD, 'carol'), note('1', 'carol'),
      userNotes('bob'), userNotes('nobody'), userNotes(OR_PAYLOAD), userNotes(UNION),
      search('milk'), search('zzz'), search(OR_PAYLOAD), search("O'Brien"),
    ];

    it('parameterized with ? and the values passed to .get()/.all(): payloads leak before and match nothing after', async function () {
      const source = fixture('test/systems/apps/sql-injection/notes-sqlite.js');
      const fixed = await applyRuleFix(RULE, 'server.js', source, {
        workspaceFiles: { 'package.json': JSON.stringify({ dependencies: { express: '^4', 'better-sqlite3': '^12' } }) },
      });
      try {
        logFix(fixed);
        assert.match(changedLines(fixed.before, fixed.after), /^\+ .*\.(get|all)\([^)]+\)/m, 'the fix passed no values to .get()/.all()');
        const runs: Runs = { before: {}, after: {} };
        for (const side of ['before', 'after'] as const) {
          const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vibeguard-sqlite-'));
          const file = path.join(dir, 'notes.db');
          const seed = new Database(file);
          seed.exec(SEED);
          seed.close();
          const served = await serveModule(side === 'before' ? fixed.before : fixed.after, { env: { NOTES_DB: file, NODE_ENV: 'test' } });
          try {
            runs[side] = await runProbes(served.url, probes);
          } finally {
            await served.close();
            (served.module as { db: Database.Database }).db.close();
            fs.rmSync(dir, { recursive: true, force: true });
          }
        }
        const { checks, beforeText, afterText } = judge(runs, ['note 1 as alice', 'note 3 as alice', 'notes of bob', 'search milk'], [
          { payload: `note ${OR_PAYLOAD} as carol`, normal: 'note 1 as carol', leak: (b) => `\`${OR_PAYLOAD}\` as a note id showed carol the note "${(b.body as { title?: string })?.title}" of another user` },
          { payload: `notes of ${OR_PAYLOAD}`, normal: 'notes of nobody', leak: (b) => `/users/:name/notes listed ${rowCount(b.body)} notes of every user, private ones included` },
          { payload: `notes of ${UNION}`, normal: 'notes of nobody', leak: (b) => `a UNION returned ${rowCount(b.body)} username:password rows` },
          { payload: `search ${OR_PAYLOAD}`, normal: 'search zzz', leak: (b) => `/search returned ${rowCount(b.body)} notes, private ones included` },
        ]);
        // Not a leak but the same bug: an apostrophe in an ordinary search broke the query.
        const apostrophe = `search O'Brien`;
        checks.same(runs.after[apostrophe], { status: 200, body: [{ id: 4, title: "Call O'Brien" }] }, "search O'Brien after the fix");
        fixReport.record({
          rule: RULE,
          dialectOrFramework: `SQLite ${(new Database(':memory:').prepare('select sqlite_version() v').get() as { v: string }).v} / better-sqlite3 (? + .get/.all args), Express`,
          beforeFix: `${beforeText}; an ordinary search for O'Brien answered ${runs.before[apostrophe].status}`,
          afterFix: checks.ok ? `${afterText()}; the O'Brien note is found` : afterText(),
        });
        checks.assertAll('SQLite / better-sqlite3');
      } finally {
        fixed.cleanup();
      }
    });
  });

  describe('MariaDB / mysql2: test/systems/apps/sql-injection/shop-mysql.js', function () {
    let mdb: MariaDBServer | undefined;
    let label = 'MariaDB / mysql2 (?), Express';

    before(async function () {
      this.timeout(20 * 60_000);
      const started = await tryStartMariaDB({ maxConnections: 50 });
      if (!started.ok) {
        fixReport.recordNotRun(RULE, label, started.reason);
        console.log(`      MariaDB not run: ${started.reason}`);
        this.skip();
      } else {
        mdb = started.server;
        label = `MariaDB ${mdb.version.replace(/-.*/, '')} / mysql2 (?), Express`;
      }
    });
    after(async function () {
      this.timeout(60_000);
      await mdb?.stop();
    });

    const SEED = `
      DROP TABLE IF EXISTS products, customers, admin_users;
      CREATE TABLE products (id INT PRIMARY KEY, name VARCHAR(100) NOT NULL, category VARCHAR(50) NOT NULL, price INT NOT NULL, visible TINYINT NOT NULL);
      INSERT INTO products VALUES (1, 'Chef knife', 'kitchen', 45, 1), (2, 'Egg timer', 'kitchen', 8, 1), (3, 'Hose', 'garden', 30, 1), (4, 'Unreleased grill', 'garden', 999, 0);
      CREATE TABLE customers (id INT PRIMARY KEY, name VARCHAR(100) NOT NULL, city VARCHAR(100) NOT NULL);
      INSERT INTO customers VALUES (1, 'Ada Lovelace', 'London'), (2, 'Grace Hopper', 'Arlington'), (3, 'O''Neil', 'Dublin');
      CREATE TABLE admin_users (id INT PRIMARY KEY, email VARCHAR(100) NOT NULL, password_hash VARCHAR(100) NOT NULL);
      INSERT INTO admin_users VALUES (1, 'root@shop.example', '$2b$10$root.hash');
    `;
    // MySQL needs whitespace after `--`, so the classic MySQL form of the payload ends with a space.
    const OR_MYSQL = "' OR 1=1 -- ";
    const UNION = "' UNION SELECT id, email, password_hash FROM admin_users -- ";
    const products = (category: string | undefined, min?: string): Probe => ({
      name: `products ${category ?? '(no category)'} min ${min ?? '-'}`,
      req: { path: '/products' + qs({ ...(category === undefined ? {} : { category }), ...(min === undefined ? {} : { min }) }) },
    });
    const customers = (name: string): Probe => ({ name: `customers ${name}`, req: { path: '/customers' + qs({ name }) } });
    const probes = [
      products('kitchen', '10'), products('kitchen'), products(undefined), products('garden', '0'), products('nothing', '0'), products(OR_MYSQL), products('nothing'), products(UNION),
      products('garden', '0 OR 1=1'),
      customers('Ada Lovelace'), customers('Nobody'), customers('" OR 1=1 -- '), customers("O'Neil"),
    ];

    it('parameterized with ?: payloads leak before and match nothing after; ordinary lookups unchanged', async function () {
      const source = fixture('test/systems/apps/sql-injection/shop-mysql.js');
      const fixed = await applyRuleFix(RULE, 'server.js', source, {
        workspaceFiles: { 'package.json': JSON.stringify({ dependencies: { express: '^4', mysql2: '^3' } }) },
      });
      try {
        logFix(fixed);
        const runs: Runs = { before: {}, after: {} };
        for (const side of ['before', 'after'] as const) {
          const conn = await mysql.createConnection({ uri: mdb!.connectionString, multipleStatements: true });
          await conn.query(SEED);
          await conn.end();
          const served = await serveModule(side === 'before' ? fixed.before : fixed.after, { env: { DATABASE_URL: mdb!.connectionString } });
          try {
            runs[side] = await runProbes(served.url, probes);
          } finally {
            await served.close();
            await (served.module as { db: mysql.Pool }).db.end();
          }
        }
        const { checks, beforeText, afterText } = judge(
          runs,
          ['products kitchen min 10', 'products kitchen min -', 'customers Ada Lovelace', 'products garden min 0'],
          [
            { payload: `products ${OR_MYSQL} min -`, normal: 'products nothing min -', leak: (b) => `\`${OR_MYSQL}\` as the category returned ${rowCount(b.body)} products, unreleased ones included` },
            { payload: `products ${UNION} min -`, normal: 'products nothing min -', leak: (b) => `a UNION returned the admin password hash (${show(b.body, 80)})` },
            { payload: 'products garden min 0 OR 1=1', normal: 'products garden min 0', leak: (b) => `min=\`0 OR 1=1\` returned ${rowCount(b.body)} products of every category` },
            { payload: 'customers " OR 1=1 -- ', normal: 'customers Nobody', leak: (b) => `\`" OR 1=1 -- \` as a name returned ${rowCount(b.body)} customers` },
          ],
        );
        // A request that leaves out the category is ordinary too: the concatenated SQL compared
        // with the string 'undefined' and found nothing, so the fixed code must not fail on it.
        const missing = 'products (no category) min -';
        checks.same(runs.after[missing], runs.before[missing], 'GET /products without ?category (after vs before)');
        const apostrophe = "customers O'Neil";
        checks.same(runs.after[apostrophe], { status: 200, body: [{ id: 3, name: "O'Neil", city: 'Dublin' }] }, "customer O'Neil after the fix");
        fixReport.record({
          rule: RULE,
          dialectOrFramework: label,
          beforeFix: beforeText,
          afterFix: afterText(),
        });
        checks.assertAll('MariaDB / mysql2');
      } finally {
        fixed.cleanup();
      }
    });
  });

  describe('SQLite / Python sqlite3 + Flask: test-fixtures/sql-injection/bad.py', function () {
    const label = 'SQLite / Python sqlite3 (?), Flask';
    const SEED = `
      CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT NOT NULL, password_hash TEXT NOT NULL);
      INSERT INTO users (name, email, password_hash) VALUES ('Ada', 'ada@example.com', 'pbkdf2$ada'), ('Linus', 'linus@example.com', 'pbkdf2$linus');
      CREATE TABLE orders (id INTEGER PRIMARY KEY, item TEXT NOT NULL, total INTEGER NOT NULL);
      INSERT INTO orders (item, total) VALUES ('mug', 12), ('teapot', 35);
      CREATE TABLE products (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
      INSERT INTO products (name) VALUES ('blue mug'), ('red mug'), ('teapot');
    `;
    const user = (email: string): Probe => ({ name: `user ${email}`, req: { path: '/users' + qs({ email }) } });
    const order = (id: string): Probe => ({ name: `order ${id}`, req: { path: `/orders/${encodeURIComponent(id)}` } });
    const search = (arg: string): Probe => ({ name: `search ${arg}`, req: { path: '/__call/search' + qs({ arg }) } });
    const USER_UNION = "x' UNION SELECT email, password_hash FROM users --";
    const probes = [
      user('linus@example.com'), user('nobody@example.com'), user(OR_PAYLOAD), user(USER_UNION),
      order('2'), order('999'), order('0 OR 1=1'), order('0 UNION SELECT id, email, password_hash FROM users'),
      search('mug'), search('zzz'), search(OR_PAYLOAD),
    ];

    before(async function () { await skipWithoutPython(this, RULE, label, 'flask', 'werkzeug'); });

    it('parameterized with ? and a parameters tuple: payloads leak before and match nothing after', async function () {
      const fixed = await applyRuleFix(RULE, 'app.py', fixture('test-fixtures/sql-injection/bad.py'), {
        workspaceFiles: { 'requirements.txt': 'flask\n' },
      });
      try {
        logFix(fixed);
        const runs: Runs = { before: {}, after: {} };
        for (const side of ['before', 'after'] as const) {
          const served = await servePython(side === 'before' ? fixed.before : fixed.after, {
            functions: ['search'],
            prepare: (dir) => {
              const db = new Database(path.join(dir, 'app.db'));
              db.exec(SEED);
              db.close();
            },
          });
          try {
            runs[side] = await runProbes(served.url, probes);
          } finally {
            await served.close();
          }
        }
        const { checks, beforeText, afterText } = judge(runs, ['user linus@example.com', 'order 2', 'search mug'], [
          { payload: `user ${OR_PAYLOAD}`, normal: 'user nobody@example.com', leak: (b) => `\`${OR_PAYLOAD}\` as the email returned user ${show((b.body as { user: unknown }).user)}` },
          { payload: `user ${USER_UNION}`, normal: 'user nobody@example.com', leak: (b) => `a UNION returned ${show((b.body as { user: unknown }).user)}` },
          { payload: 'order 0 OR 1=1', normal: 'order 999', leak: (b) => `/orders/0 OR 1=1 returned order ${show((b.body as { order: unknown }).order)}` },
          { payload: 'order 0 UNION SELECT id, email, password_hash FROM users', normal: 'order 999', leak: (b) => `a UNION in the order id returned ${show((b.body as { order: unknown }).order)}` },
          { payload: `search ${OR_PAYLOAD}`, normal: 'search zzz', leak: (b) => `search(term) returned all ${rowCount(b.body)} products` },
        ]);
        fixReport.record({ rule: RULE, dialectOrFramework: label, beforeFix: beforeText, afterFix: afterText() });
        checks.assertAll('Python sqlite3');
      } finally {
        fixed.cleanup();
      }
    });
  });

  describe('dialects without a runnable driver here', function () {
    it('records each as not run, with the reason', function () {
      // Knex, Sequelize, psycopg2 and SQLAlchemy are proven in sql-injection-orm.test.ts.
      fixReport.recordNotRun(RULE, 'Prisma $queryRaw tagged template', 'Prisma needs its query engine binary, which `prisma generate` downloads from outside the npm registry; this machine reaches only npm and Debian');
    });
  });
});
