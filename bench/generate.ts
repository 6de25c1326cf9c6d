// Deterministic source generators for the benchmark: realistic Express/Stripe/pg TypeScript and
// JavaScript and Flask/psycopg2 Python written in the patterns of sample-app/, with a few of the
// vulnerable lines the rules look for. The same seed always gives the same text, so figures from
// two runs compare like with like.
import * as fs from 'fs';
import * as path from 'path';

export type GenLang = 'ts' | 'js' | 'py';

/** mulberry32: a tiny seeded PRNG, good enough to vary code and stable across Node versions. */
export class Rng {
  private s: number;
  constructor(seed: number) { this.s = seed >>> 0; }
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(lo: number, hi: number): number { return lo + Math.floor(this.next() * (hi - lo + 1)); }
  pick<T>(xs: readonly T[]): T { return xs[Math.floor(this.next() * xs.length)]; }
  chance(p: number): boolean { return this.next() < p; }
  token(n: number, alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'): string {
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[Math.floor(this.next() * alphabet.length)];
    return s;
  }
}

interface Entity { name: string; plural: string; table: string; fields: string[] }

const ENTITIES: Entity[] = [
  { name: 'order', plural: 'orders', table: 'orders', fields: ['status', 'total_cents', 'user_id', 'created_at'] },
  { name: 'product', plural: 'products', table: 'products', fields: ['name', 'price_cents', 'active', 'sku'] },
  { name: 'invoice', plural: 'invoices', table: 'invoices', fields: ['number', 'amount_cents', 'due_at', 'status'] },
  { name: 'customer', plural: 'customers', table: 'customers', fields: ['email', 'name', 'country', 'created_at'] },
  { name: 'shipment', plural: 'shipments', table: 'shipments', fields: ['order_id', 'carrier', 'tracking_code', 'status'] },
  { name: 'subscription', plural: 'subscriptions', table: 'subscriptions', fields: ['plan', 'status', 'renews_at', 'seats'] },
  { name: 'coupon', plural: 'coupons', table: 'coupons', fields: ['code', 'percent_off', 'expires_at', 'max_uses'] },
  { name: 'review', plural: 'reviews', table: 'reviews', fields: ['product_id', 'rating', 'body', 'author_id'] },
  { name: 'ticket', plural: 'tickets', table: 'support_tickets', fields: ['subject', 'priority', 'assignee_id', 'status'] },
  { name: 'payout', plural: 'payouts', table: 'payouts', fields: ['seller_id', 'amount_cents', 'currency', 'paid_at'] },
];

const cap = (s: string) => s[0].toUpperCase() + s.slice(1);
const camel = (s: string) => s.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());

/** Emits TypeScript or, with the annotations left out, JavaScript. */
class JsWriter {
  readonly out: string[] = [];
  private n = 0;
  constructor(readonly rng: Rng, readonly ts: boolean) {}
  t(annotation: string): string { return this.ts ? annotation : ''; }
  /** `export ` in TypeScript modules; the CommonJS files export through module.exports. */
  get exp(): string { return this.ts ? 'export ' : ''; }
  uid(): number { return ++this.n; }
  push(block: string): void { this.out.push(...block.split('\n')); }

  header(): void {
    if (this.ts) {
      this.push(`import { randomUUID } from 'node:crypto';
import express, { type Request, type Response, type NextFunction } from 'express';
import Stripe from 'stripe';
import { Pool } from 'pg';
import { z } from 'zod';

import { pool } from '../db';
import { requireAuth } from '../middleware/requireAuth';
import { logger } from '../logger';

export const router = express.Router();
const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!, { apiVersion: '2024-06-20' });
`);
    } else {
      this.push(`const crypto = require('node:crypto');
const express = require('express');
const Stripe = require('stripe');
const { Pool } = require('pg');

const { pool } = require('../db');
const { requireAuth } = require('../middleware/requireAuth');
const logger = require('../logger');

const router = express.Router();
const stripe = new Stripe(process.env.STRIPE_SECRET_KEY, { apiVersion: '2024-06-20' });
`);
    }
  }

  footer(): void {
    if (!this.ts) this.push('module.exports = router;');
  }

  /** One realistic unit of code (a route, a helper, a type, a service class...). */
  block(e: Entity): void {
    const r = this.rng.next();
    if (r < 0.2) this.listRoute(e);
    else if (r < 0.35) this.getRoute(e);
    else if (r < 0.48) this.createRoute(e);
    else if (r < 0.58) this.helper(e);
    else if (r < 0.68) this.service(e);
    else if (r < 0.74 && this.ts) this.types(e);
    else if (r < 0.8) this.webhook(e);
    else if (r < 0.86) this.retry();
    else if (r < 0.9) this.constants(e);
    else if (r < 0.94) this.vulnerableQuery(e);
    else if (r < 0.97) this.poolPerRequest(e);
    else this.secret();
  }

  listRoute(e: Entity): void {
    const cols = ['id', ...e.fields].join(', ');
    const limit = this.rng.pick([20, 50, 100]);
    this.push(`// GET /api/${e.plural}?page=2: the ${e.plural} of the signed-in user, newest first.
router.get('/${e.plural}', requireAuth, async (req${this.t(': Request')}, res${this.t(': Response')}) => {
  const page = Math.max(1, Number(req.query.page) || 1);
  const offset = (page - 1) * ${limit};
  const { rows } = await pool.query(
    'SELECT ${cols} FROM ${e.table} WHERE user_id = $1 ORDER BY created_at DESC LIMIT ${limit} OFFSET $2',
    [req.user.id, offset],
  );
  res.json({ page, ${camel(e.plural)}: rows });
});
`);
  }

  getRoute(e: Entity): void {
    this.push(`// GET /api/${e.plural}/:id
router.get('/${e.plural}/:id', requireAuth, async (req${this.t(': Request')}, res${this.t(': Response')}) => {
  const { rows } = await pool.query('SELECT * FROM ${e.table} WHERE id = $1 AND user_id = $2', [req.params.id, req.user.id]);
  const ${e.name} = rows[0];
  if (!${e.name}) {
    return res.status(404).json({ error: '${cap(e.name)} not found' });
  }
  res.json({ ${e.name} });
});
`);
  }

  createRoute(e: Entity): void {
    const f = e.fields.slice(0, 3);
    const vars = f.map(camel).join(', ');
    const check = `${this.ts ? 'parse' : 'validate'}${cap(camel(e.name))}${this.uid()}`;
    if (this.ts) {
      this.push(`const ${check} = z.object({
${f.map((x) => `  ${camel(x)}: z.string().min(1),`).join('\n')}
});
`);
    } else {
      this.push(`// Names of the required fields that are missing from a request body.
function ${check}(body) {
  const missing = [];
  for (const field of [${f.map((x) => `'${camel(x)}'`).join(', ')}]) {
    if (!body || !body[field]) missing.push(field);
  }
  return missing;
}
`);
    }
    this.push(`// POST /api/${e.plural} { ${vars} }
router.post('/${e.plural}', requireAuth, async (req${this.t(': Request')}, res${this.t(': Response')}) => {
${this.ts ? `  const parsed = ${check}.safeParse(req.body);
  if (!parsed.success) {
    return res.status(400).json({ error: parsed.error.flatten() });
  }
  const { ${vars} } = parsed.data;` : `  const missing = ${check}(req.body);
  if (missing.length) {
    return res.status(400).json({ error: \`Missing \${missing.join(', ')}\` });
  }
  const { ${vars} } = req.body;`}
  const id = ${this.ts ? 'randomUUID()' : 'crypto.randomUUID()'};
  await pool.query(
    'INSERT INTO ${e.table} (id, ${f.join(', ')}, user_id) VALUES ($1, $2, $3, $4, $5)',
    [id, ${vars}, req.user.id],
  );
  logger.info('${e.name} created', { id, userId: req.user.id });
  res.status(201).json({ id });
});
`);
  }

  helper(e: Entity): void {
    const fn = `summarise${cap(camel(e.plural))}${this.uid()}`;
    const field = camel(e.fields[1]);
    this.push(`// Totals for the dashboard cards; rows come straight from the ${e.table} table.
${this.exp}function ${fn}(rows${this.t(`: Array<{ ${field}: number; status?: string }>`)})${this.t(': { count: number; total: number; byStatus: Record<string, number> }')} {
  const byStatus${this.t(': Record<string, number>')} = {};
  let total = 0;
  for (const row of rows) {
    total += Number(row.${field}) || 0;
    const key = row.status ?? 'unknown';
    byStatus[key] = (byStatus[key] ?? 0) + 1;
  }
  return { count: rows.length, total, byStatus };
}
`);
  }

  service(e: Entity): void {
    const cls = `${cap(camel(e.name))}Repository${this.uid()}`;
    this.push(`${this.exp}class ${cls} {
  constructor(${this.ts ? 'private readonly db: Pool) {}' : 'db) {\n    this.db = db;\n  }'}

  async findById(id${this.t(': string')}) {
    const { rows } = await this.db.query('SELECT * FROM ${e.table} WHERE id = $1', [id]);
    return rows[0] ?? null;
  }

  async updateStatus(id${this.t(': string')}, status${this.t(': string')}) {
    const result = await this.db.query('UPDATE ${e.table} SET status = $1 WHERE id = $2', [status, id]);
    return result.rowCount === 1;
  }

  async countSince(since${this.t(': Date')}) {
    const { rows } = await this.db.query('SELECT count(*)::int AS n FROM ${e.table} WHERE created_at >= $1', [since.toISOString()]);
    return rows[0].n;
  }
}
`);
  }

  types(e: Entity): void {
    const n = cap(camel(e.name));
    this.push(`export interface ${n}Row${this.uid()} {
  id: string;
${e.fields.map((f) => `  ${f}: ${/cents|rating|seats|percent|max/.test(f) ? 'number' : /_at$/.test(f) ? 'Date' : 'string'};`).join('\n')}
}

export type ${n}Status${this.uid()} = 'pending' | 'active' | 'cancelled' | 'archived';
`);
  }

  webhook(e: Entity): void {
    this.push(`// Stripe calls this when a payment succeeds or fails; the signature proves the sender.
router.post('/webhooks/${e.name}-${this.uid()}', express.raw({ type: 'application/json' }), async (req${this.t(': Request')}, res${this.t(': Response')}) => {
  let event${this.t(': Stripe.Event')};
  try {
    event = stripe.webhooks.constructEvent(req.body, req.headers['stripe-signature']${this.t(' as string')}, process.env.STRIPE_WEBHOOK_SECRET${this.t('!')});
  } catch (err) {
    return res.status(400).send('Webhook signature verification failed');
  }
  const inserted = await pool.query('INSERT INTO processed_events (id) VALUES ($1) ON CONFLICT (id) DO NOTHING', [event.id]);
  if (inserted.rowCount === 0) {
    return res.json({ received: true, duplicate: true });
  }
  switch (event.type) {
    case 'payment_intent.succeeded':
      await pool.query("UPDATE ${e.table} SET status = 'paid' WHERE id = $1", [event.data.object.metadata${this.t('?')}.id]);
      break;
    case 'payment_intent.payment_failed':
      await pool.query("UPDATE ${e.table} SET status = 'failed' WHERE id = $1", [event.data.object.metadata${this.t('?')}.id]);
      break;
    default:
      logger.debug(\`Unhandled event \${event.type}\`);
  }
  res.json({ received: true });
});
`);
  }

  retry(): void {
    const fn = `withRetry${this.uid()}`;
    this.push(`// Upstream APIs sometimes answer with a 5xx; retry a few times with exponential backoff.
async function ${fn}${this.t('<T>')}(fn${this.t(': () => Promise<T>')}, attempts = 3)${this.t(': Promise<T>')} {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (attempt >= attempts) throw err;
      await new Promise((resolve) => setTimeout(resolve, 250 * 2 ** attempt));
    }
  }
}
`);
  }

  constants(e: Entity): void {
    const n = `${e.name.toUpperCase()}_SORTS_${this.uid()}`;
    this.push(`// Only these sort orders are allowed; the client picks one by name.
const ${n} = {
  newest: 'created_at DESC',
  oldest: 'created_at ASC',
  ${camel(e.fields[0])}: '${e.fields[0]} ASC',
}${this.t(' as const')};
`);
  }

  /** The AI-written query of the catalog: request data spliced into SQL (sql-injection). */
  vulnerableQuery(e: Entity): void {
    const f = e.fields[this.rng.int(0, e.fields.length - 1)];
    this.push(`// GET /api/${e.plural}/search?${f}=...
router.get('/${e.plural}/search-${this.uid()}', requireAuth, async (req${this.t(': Request')}, res${this.t(': Response')}) => {
  const value = String(req.query.${camel(f)} ?? '');
  const { rows } = await pool.query(\`SELECT * FROM ${e.table} WHERE ${f} = '\${value}' ORDER BY id LIMIT 50\`);
  res.json({ results: rows });
});
`);
  }

  /** A pool created inside a handler (connection-per-request). */
  poolPerRequest(e: Entity): void {
    this.push(`router.get('/reports/${e.plural}-${this.uid()}', async (req${this.t(': Request')}, res${this.t(': Response')}) => {
  const reportPool = new Pool({ connectionString: process.env.ANALYTICS_DATABASE_URL, max: 5 });
  try {
    const { rows } = await reportPool.query('SELECT count(*) AS n FROM ${e.table}');
    res.json(rows[0]);
  } finally {
    await reportPool.end();
  }
});
`);
  }

  /** A hard-coded credential (hardcoded-secret). */
  secret(): void {
    this.push(`const mailgunApiKey${this.uid()} = 'key-${this.rng.token(32, '0123456789abcdef')}';
`);
  }
}

/** Emits Flask/psycopg2 Python in the style of sample-app/app.py. */
class PyWriter {
  readonly out: string[] = [];
  private n = 0;
  constructor(readonly rng: Rng) {}
  uid(): number { return ++this.n; }
  push(block: string): void { this.out.push(...block.split('\n')); }

  header(): void {
    this.push(`"""Service endpoints for the storefront; reads the same Postgres database as the Node API."""
import os
from dataclasses import dataclass
from datetime import datetime, timedelta

import psycopg2
from flask import Flask, abort, jsonify, request
from psycopg2.extras import RealDictCursor
from psycopg2.pool import SimpleConnectionPool

app = Flask(__name__)
DATABASE_URL = os.environ["DATABASE_URL"]
db_pool = SimpleConnectionPool(minconn=1, maxconn=10, dsn=DATABASE_URL)
`);
  }

  footer(): void {}

  block(e: Entity): void {
    const r = this.rng.next();
    if (r < 0.25) this.listRoute(e);
    else if (r < 0.42) this.getRoute(e);
    else if (r < 0.56) this.helper(e);
    else if (r < 0.7) this.dataclass(e);
    else if (r < 0.82) this.service(e);
    else if (r < 0.9) this.vulnerableQuery(e);
    else if (r < 0.96) this.connectPerRequest(e);
    else this.secret();
  }

  listRoute(e: Entity): void {
    const cols = ['id', ...e.fields].join(', ');
    this.push(`
@app.get("/api/${e.plural}-${this.uid()}")
def list_${e.plural}_${this.n}():
    """The ${e.plural} of one account, newest first."""
    account_id = request.args.get("account", "")
    conn = db_pool.getconn()
    try:
        with conn.cursor(cursor_factory=RealDictCursor) as cur:
            cur.execute("SELECT ${cols} FROM ${e.table} WHERE account_id = %s ORDER BY id DESC LIMIT 50", (account_id,))
            return jsonify(${e.plural}=cur.fetchall())
    finally:
        db_pool.putconn(conn)
`);
  }

  getRoute(e: Entity): void {
    this.push(`
@app.get("/api/${e.plural}/<item_id>/v${this.uid()}")
def get_${e.name}_${this.n}(item_id):
    conn = db_pool.getconn()
    try:
        with conn.cursor(cursor_factory=RealDictCursor) as cur:
            cur.execute("SELECT * FROM ${e.table} WHERE id = %s", (item_id,))
            row = cur.fetchone()
    finally:
        db_pool.putconn(conn)
    if row is None:
        abort(404)
    return jsonify(row)
`);
  }

  helper(e: Entity): void {
    const f = e.fields[1];
    this.push(`
def summarise_${e.plural}_${this.uid()}(rows):
    """Totals for the dashboard cards."""
    total = 0
    by_status = {}
    for row in rows:
        total += int(row.get("${f}") or 0)
        key = row.get("status", "unknown")
        by_status[key] = by_status.get(key, 0) + 1
    return {"count": len(rows), "total": total, "by_status": by_status}
`);
  }

  dataclass(e: Entity): void {
    this.push(`
@dataclass
class ${cap(camel(e.name))}Row${this.uid()}:
    id: str
${e.fields.map((f) => `    ${f}: ${/cents|rating|seats|percent|max/.test(f) ? 'int' : /_at$/.test(f) ? 'datetime' : 'str'}`).join('\n')}

    def is_recent(self, days=30):
        return datetime.utcnow() - timedelta(days=days) < datetime.utcnow()
`);
  }

  service(e: Entity): void {
    this.push(`
class ${cap(camel(e.name))}Repository${this.uid()}:
    def __init__(self, pool):
        self.pool = pool

    def find(self, item_id):
        conn = self.pool.getconn()
        try:
            with conn.cursor(cursor_factory=RealDictCursor) as cur:
                cur.execute("SELECT * FROM ${e.table} WHERE id = %s", (item_id,))
                return cur.fetchone()
        finally:
            self.pool.putconn(conn)
`);
  }

  vulnerableQuery(e: Entity): void {
    const f = e.fields[0];
    this.push(`
@app.get("/api/${e.plural}/search-${this.uid()}")
def search_${e.plural}_${this.n}():
    q = request.args.get("q", "")
    conn = db_pool.getconn()
    try:
        with conn.cursor(cursor_factory=RealDictCursor) as cur:
            cur.execute(f"SELECT * FROM ${e.table} WHERE ${f} ILIKE '%{q}%' LIMIT 20")
            return jsonify(results=cur.fetchall())
    finally:
        db_pool.putconn(conn)
`);
  }

  connectPerRequest(e: Entity): void {
    this.push(`
@app.get("/api/${e.plural}/count-${this.uid()}")
def count_${e.plural}_${this.n}():
    conn = psycopg2.connect(DATABASE_URL)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT count(*) FROM ${e.table}")
            return jsonify(count=cur.fetchone()[0])
    finally:
        conn.close()
`);
  }

  secret(): void {
    this.push(`
SENDGRID_API_KEY_${this.uid()} = "SG.${this.rng.token(22)}.${this.rng.token(43)}"
`);
  }
}

/** A source file of exactly `lines` lines (the last block is cut at a statement boundary by padding). */
export function generateSource(lang: GenLang, lines: number, seed: number): string {
  const rng = new Rng(seed);
  const w = lang === 'py' ? new PyWriter(rng) : new JsWriter(rng, lang === 'ts');
  w.header();
  // Blocks are added while they fit; the rest is filled with one-line constants, so the file is
  // always complete, parseable code of the exact length.
  const footerLines = lang === 'js' ? 1 : 0;
  for (let guard = 0; guard < 100000; guard++) {
    const before = w.out.length;
    w.block(rng.pick(ENTITIES));
    if (w.out.length + footerLines > lines) { w.out.length = before; break; }
  }
  let k = 0;
  while (w.out.length + footerLines < lines) {
    k++;
    w.out.push(lang === 'py' ? `PAGE_SIZE_${k} = ${rng.int(10, 200)}` : `${lang === 'ts' ? 'export ' : ''}const PAGE_SIZE_${k} = ${rng.int(10, 200)};`);
  }
  w.footer();
  return w.out.join('\n') + '\n';
}

export interface GeneratedFile { rel: string; lang: GenLang; text: string; lines: number }

const JS_DIRS = ['routes', 'services', 'api', 'handlers', 'jobs'];
const PY_DIRS = ['catalog', 'search', 'billing', 'reports'];

const MIX = { ts: 0.4, js: 0.3, py: 0.3 };

/** One file of sample-app size (40 to 160 lines; `lines` caps it), language drawn from MIX. */
function projectFile(rng: Rng, i: number, seed: number, maxLines = Infinity): GeneratedFile {
  const r = rng.next();
  const lang: GenLang = r < MIX.ts ? 'ts' : r < MIX.ts + MIX.js ? 'js' : 'py';
  const lines = Math.max(40, Math.min(rng.int(40, 160), maxLines));
  const text = generateSource(lang, lines, seed * 1000003 + i);
  const dir = lang === 'py' ? `service/${rng.pick(PY_DIRS)}` : `web/src/${rng.pick(JS_DIRS)}`;
  const rel = `${dir}/${lang === 'py' ? 'module' : 'file'}${String(i).padStart(5, '0')}.${lang}`;
  return { rel, lang, text, lines };
}

/**
 * A project adding up to `totalLines` (within 40 lines), 40% TypeScript, 30% JavaScript and 30%
 * Python. JS/TS live under web/, Python under service/, so JS-only tools can be pointed at web/.
 */
export function generateProject(totalLines: number, seed: number): GeneratedFile[] {
  const rng = new Rng(seed);
  const files: GeneratedFile[] = [];
  let total = 0;
  for (let i = 0; total < totalLines; i++) {
    const f = projectFile(rng, i, seed, totalLines - total);
    files.push(f);
    total += f.lines;
  }
  return files;
}

/** `count` files of sample-app size, in the same mix and layout as generateProject. */
export function generateFiles(count: number, seed: number): GeneratedFile[] {
  const rng = new Rng(seed);
  return Array.from({ length: count }, (_, i) => projectFile(rng, i, seed));
}

export function writeProject(root: string, files: readonly GeneratedFile[]): void {
  for (const f of files) {
    const abs = path.join(root, f.rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, f.text);
  }
}
