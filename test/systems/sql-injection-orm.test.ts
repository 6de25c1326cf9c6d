/**
 * Proves the sql-injection quick fix ("Parameterize query") through query builders and ORMs
 * against real databases: Knex (`whereRaw`/`raw` with `?` bindings) and Sequelize (`query` with
 * `replacements`) on PostgreSQL and on MariaDB, and Python's psycopg2 (`%s` with a parameters
 * tuple) and SQLAlchemy (`text()` with `:name` parameters) behind Flask on PostgreSQL. The
 * payloads (`' OR 1=1 -- ` and a UNION reading password hashes) leak before the fix and get what
 * an ordinary lookup gets after it; ordinary lookups answer the same on both sides.
 */
import * as assert from 'node:assert/strict';
import mysql from 'mysql2/promise';
import { serveModule } from './http';
import { fixReport, registerReportWriter } from './report';
import { applyRuleFix, changedLines, fixture, FixedSource } from './fixes';
import { endTrackedClients } from './db-tracker';
import { judge, type Runs } from './injection';
import { pythonReady, servePython } from './python';
import { mariadbForSuite, pgExec, postgresForSuite, postgresName, type Probe, qs, rowCount, runProbes, show } from './suite';

registerReportWriter();

const RULE = 'sql-injection';
const APPS = 'test/systems/apps/sql-injection';
// MariaDB ends a `--` comment only at whitespace: the trailing space makes the payload work on both.
const OR_PAYLOAD = "' OR 1=1 -- ";
const UNION = "x' UNION SELECT id, password_hash FROM users -- ";
const SEED = [
  'CREATE TABLE products (id INT PRIMARY KEY, name VARCHAR(60) NOT NULL, category VARCHAR(30) NOT NULL, released BOOLEAN NOT NULL)',
  "INSERT INTO products VALUES (1, 'Blue mug', 'kitchen', true), (2, 'Red mug', 'kitchen', true), (3, 'Mug prototype', 'kitchen', false), (4, 'Desk lamp', 'office', true)",
  'CREATE TABLE users (id INT PRIMARY KEY, name VARCHAR(60) NOT NULL, password_hash VARCHAR(80) NOT NULL)',
  "INSERT INTO users VALUES (1, 'Ada', 'pbkdf2$ada'), (2, 'Linus', 'pbkdf2$linus')",
];

const products = (category: string): Probe => ({ name: `products ${category}`, req: { path: '/products' + qs({ category }) } });
const users = (name: string): Probe => ({ name: `users ${name}`, req: { path: '/users' + qs({ name }) } });
const PROBES = [products('kitchen'), products('zzz'), products(OR_PAYLOAD), users('Ada'), users('nobody'), users(UNION)];

function logFix(fixed: FixedSource): void {
  console.log(`      fix (${fixed.fixable.length} findings, ${fixed.unfixable.length} without fix):\n${changedLines(fixed.before, fixed.after).split('\n').map((l) => `        ${l}`).join('\n')}`);
}

/** Serves both sides against a freshly seeded database each, runs the probes and records the verdict. */
async function prove(label: string, fixed: FixedSource, serve: (source: string) => Promise<{ url: string; close(): Promise<void> }>, reseed: () => Promise<void>): Promise<void> {
  try {
    logFix(fixed);
    const runs: Runs = { before: {}, after: {} };
    for (const side of ['before', 'after'] as const) {
      await reseed();
      const served = await serve(side === 'before' ? fixed.before : fixed.after);
      try {
        runs[side] = await runProbes(served.url, PROBES);
      } finally {
        await served.close();
      }
    }
    const { checks, beforeText, afterText } = judge(runs, ['products kitchen', 'users Ada'], [
      { payload: `products ${OR_PAYLOAD}`, normal: 'products zzz', leak: (b) => `\`${OR_PAYLOAD.trim()}\` as the category returned ${rowCount(b.body)} products, unreleased ones included` },
      { payload: `users ${UNION}`, normal: 'users nobody', leak: (b) => `a UNION in the name returned ${show(b.body, 80)}` },
    ]);
    fixReport.record({ rule: RULE, dialectOrFramework: label, beforeFix: beforeText, afterFix: afterText() });
    checks.assertAll(label);
  } finally {
    fixed.cleanup();
  }
}

/** A Node app module served through its exported Express app; its pool is closed with it. */
async function serveNode(source: string, env: Record<string, string>) {
  const served = await serveModule(source, { exportName: 'app', env });
  return {
    url: served.url,
    close: async () => {
      const m = served.module as { db?: { destroy(): Promise<void> }; sequelize?: { close(): Promise<void> } };
      await served.close();
      await m.db?.destroy().catch(() => undefined);
      await m.sequelize?.close().catch(() => undefined);
      await endTrackedClients();
    },
  };
}

const fixJs = (file: string, deps: Record<string, string>) => applyRuleFix(RULE, 'server.js', fixture(`${APPS}/${file}`), { workspaceFiles: { 'package.json': JSON.stringify({ dependencies: deps }) } });

describe('sql-injection fix through query builders and ORMs', function () {
  this.timeout(120_000);

  describe('PostgreSQL', function () {
    const server = postgresForSuite();
    let db = '';
    before(async () => (db = await server().createDatabase('sqli_orm')));
    const reseed = async () => pgExec(db, ['DROP TABLE IF EXISTS products, users', ...SEED].join(';\n')).then(() => undefined);

    it(`${APPS}/catalog-knex.js: Knex whereRaw and raw`, async function () {
      const fixed = await fixJs('catalog-knex.js', { knex: '3.3.0', pg: '8.23.1' });
      assert.match(fixed.after, /whereRaw\(`[^`]*\?`, \[/, 'the fix passed no bindings to whereRaw');
      await prove(`${postgresName(server())} / Knex whereRaw/raw (?), Express`, fixed, (s) => serveNode(s, { KNEX_CLIENT: 'pg', DATABASE_URL: db }), reseed);
    });

    it(`${APPS}/catalog-sequelize.js: Sequelize query`, async function () {
      const fixed = await fixJs('catalog-sequelize.js', { sequelize: '6.37.8', pg: '8.23.1' });
      await prove(`${postgresName(server())} / Sequelize query (replacements ?), Express`, fixed, (s) => serveNode(s, { DATABASE_URL: db }), reseed);
    });

    describe('Python through Debian packages', function () {
      before(async function () {
        this.timeout(20 * 60_000);
        const why = await pythonReady('flask', 'psycopg2', 'sqlalchemy');
        if (why) {
          for (const l of ['Python psycopg2 (%s), Flask', 'Python SQLAlchemy text() (:name), Flask']) fixReport.recordNotRun(RULE, `PostgreSQL / ${l}`, why);
          this.skip();
        }
      });
      for (const [file, label] of [['catalog_psycopg.py', 'Python psycopg2 (%s), Flask'], ['catalog_sqlalchemy.py', 'Python SQLAlchemy text() (:name), Flask']] as const) {
        it(`${APPS}/${file}`, async function () {
          const fixed = await applyRuleFix(RULE, 'app.py', fixture(`${APPS}/${file}`));
          await prove(`${postgresName(server())} / ${label}`, fixed, async (s) => {
            const served = await servePython(s, { env: { DATABASE_URL: db } });
            return { url: served.url, close: () => served.close() };
          }, reseed);
        });
      }
    });
  });

  describe('MariaDB', function () {
    const server = mariadbForSuite((why) => {
      for (const l of ['Knex whereRaw/raw (?)', 'Sequelize query (replacements ?)']) fixReport.recordNotRun(RULE, `MariaDB / ${l}, Express`, why);
    });
    const reseed = async () => {
      const c = await mysql.createConnection({ uri: server().connectionString, multipleStatements: true });
      try {
        await c.query(['DROP TABLE IF EXISTS products, users', ...SEED].join(';\n'));
      } finally {
        await c.end();
      }
    };
    const version = () => `MariaDB ${server().version.split('-')[0]}`;

    it(`${APPS}/catalog-knex.js: Knex (mysql2) whereRaw and raw`, async function () {
      const fixed = await fixJs('catalog-knex.js', { knex: '3.3.0', mysql2: '3.24.6' });
      await prove(`${version()} / Knex whereRaw/raw (?), Express`, fixed, (s) => serveNode(s, { KNEX_CLIENT: 'mysql2', DATABASE_URL: server().connectionString }), reseed);
    });

    it(`${APPS}/catalog-sequelize.js: Sequelize (mysql2) query`, async function () {
      const fixed = await fixJs('catalog-sequelize.js', { sequelize: '6.37.8', mysql2: '3.24.6' });
      await prove(`${version()} / Sequelize query (replacements ?), Express`, fixed, (s) => serveNode(s, { DATABASE_URL: server().connectionString }), reseed);
    });
  });
});
