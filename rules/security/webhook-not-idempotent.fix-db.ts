// Which data layer a JS/TS webhook handler writes through, and the handle (a pool, a client, a
// Knex or Prisma instance) the idempotency guard can claim the event id with. The handle must be
// in scope where the guard goes: an import, a module-level value, a parameter or a local assigned
// before the first side effect.
import * as ir from '../kit/model/ir';
import type { CodeModel } from '../kit/model/model';
import type { Effect } from '../kit/frameworks/effects';
import { fileDialect, sqlSink } from '../kit/frameworks/sql';
import type { JsLayer } from '../kit/fixes/idempotency-layers';
import { importSpecifier } from '../kit/fixes/idempotency-helper';
import { importedFunction } from '../kit/model/modules';
import * as path from 'path';

/** node-postgres-compatible drivers: `query(text, values)` resolving to `{ rowCount }`. */
export const PG_DRIVER = /^(pg|pg-pool|@neondatabase\/serverless)$/;
const UNSUPPORTED_DRIVER = /^(pg-promise|postgres|slonik|@vercel\/postgres|sqlite3?|sequelize|typeorm|drizzle-orm.*|mongodb|@supabase\/supabase-js|firebase-admin.*|@google-cloud\/firestore|redis|ioredis|@upstash\/redis)$/;
const MYSQL = /^mysql2(\/promise)?$/;
const KNEX_WRITE = /^(insert|update|del|delete|increment|decrement|upsert|merge|truncate)$/;
const PRISMA_WRITE = /^(create|createMany|update|updateMany|upsert|delete|deleteMany)$/;
const MONGOOSE_WRITE = /^(create|insertMany|updateOne|updateMany|findOneAndUpdate|findByIdAndUpdate|replaceOne|deleteOne|deleteMany|findOneAndDelete|findByIdAndDelete|bulkWrite)$/;

/** `import { prisma } from '@/lib/prisma'`: a handle the handler's module must import to pass it. */
export interface HandleImport { name: string; specifier: string }

/** A constructor parameter to add so the class receives the handle (Nest injects a TypeORM `DataSource`). */
export interface HandleInjection { ctor: ir.Func | undefined; cls: ir.Class; name: string; type: string; module: string }

export type Handle = { db: string; layer: JsLayer; importFrom?: HandleImport; inject?: HandleInjection } | { reason: string };

/**
 * What the guard claims events through. A module-level pool claims in its own statement; a client
 * the handler checked out (`await pool.connect()`) makes the claim part of the transaction the
 * handler runs on it, so a rollback releases it and concurrent duplicates wait for the outcome.
 */
export function dbHandle(model: CodeModel, fn: ir.Func, risky: Effect[], at: number): Handle {
  const unsupported = model.imports.find((i) => UNSUPPORTED_DRIVER.test(i.module));
  if (unsupported) return { reason: `the handler's module talks to the database through ${unsupported.module}; the guard's helper exists for node-postgres, mysql2, better-sqlite3, Knex, Prisma and mongoose` };
  const calls = model.calls.filter((c) => ir.isInside(c, fn));
  // The risky writes' own receivers first: they are what the side effects go through.
  calls.sort((a, b) => Number(risky.some((e) => ir.isInside(e.node, b) || e.node === b)) - Number(risky.some((e) => ir.isInside(e.node, a) || e.node === a)));
  if (model.usesModule((m) => PG_DRIVER.test(m)) || fileDialect(model) === 'pg') {
    const db = pgHandle(model, calls, risky);
    if (db) return { db, layer: 'pg' };
  }
  for (const c of calls) {
    const last = ir.calleeName(c) ?? '';
    const recv = ir.receiver(c);
    if (!recv) continue;
    const text = model.text.slice(recv.start, recv.end);
    if (/^(query|execute)$/.test(last) && model.usesModule((m) => MYSQL.test(m))) {
      if (c.parent?.type !== 'Await') return { reason: `${text}.${last} is used with callbacks; the guard's helper needs the promise API (mysql2/promise or pool.promise())` };
      return inScope(model, recv, at) ? { db: text, layer: 'mysql2' } : notInScope(text);
    }
    if (/^(prepare|exec|transaction)$/.test(last) && (model.usesModule((m) => m === 'better-sqlite3') || isNewOf(model, recv, /Database$/))) {
      return inScope(model, recv, at) ? { db: text, layer: 'sqlite' } : notInScope(text);
    }
    const knex = knexRoot(model, c);
    if (knex) return inScope(model, knex, at) ? { db: model.text.slice(knex.start, knex.end), layer: 'knex' } : notInScope(model.text.slice(knex.start, knex.end));
    const prisma = prismaRoot(model, c);
    if (prisma) return inScope(model, prisma, at) ? { db: model.text.slice(prisma.start, prisma.end), layer: 'prisma' } : notInScope(model.text.slice(prisma.start, prisma.end));
    if (isMongooseWrite(model, c)) return { db: '', layer: 'mongoose' };
  }
  const foreign = foreignPrisma(model, risky) ?? waspPrisma(model, fn) ?? typeormDataSource(model, fn, risky);
  if (foreign) return foreign;
  return { reason: 'the handler writes through no database handle the guard can record the event id with: node-postgres, mysql2, better-sqlite3, Knex, Prisma or mongoose' };
}

/**
 * The side effects run in a function of another module that writes through a Prisma client it
 * imports (`import { prisma } from '@/lib/prisma'`): the handler can import the same client and
 * claim the event through it.
 */
function foreignPrisma(model: CodeModel, risky: Effect[]): Handle | undefined {
  for (const e of risky) {
    const call = e.node.type === 'Call' ? e.node : undefined;
    const foreign = call && importedFunction(model, call);
    if (!foreign) continue;
    const other = foreign.model;
    for (const imp of other.imports) {
      if (!/(^|[/@])(prisma|db)$/i.test(imp.module) && imp.module !== '@prisma/client') continue;
      const n = imp.names.find((x) => /^(prisma|db)$/i.test(x.local));
      const writesThrough = (c: ir.Call) => { const r = prismaRoot(other, c); return r?.type === 'Ident' && r.name === n?.local; };
      if (!n || n.imported === '*' || !other.calls.some(writesThrough)) continue;
      const specifier = imp.module.startsWith('.') ? importSpecifier(model.file, path.resolve(path.dirname(other.file), imp.module), false) : imp.module;
      const bound = model.resolve(n.local, model.root);
      if (bound && !(bound.kind === 'import' && bound.module === specifier)) continue;
      return { db: n.local, layer: 'prisma', importFrom: bound ? undefined : { name: n.imported === 'default' ? `default as ${n.local}` : n.local, specifier } };
    }
  }
  return undefined;
}

function notInScope(text: string): { reason: string } {
  return { reason: `${text} is created among the side effects, after where the guard must claim the event` };
}

function pgHandle(model: CodeModel, calls: ir.Call[], risky: Effect[]): string | undefined {
  for (const c of calls.filter((x) => ir.calleeName(x) === 'query')) {
    const sink = sqlSink(model, c);
    const recv = ir.receiver(c);
    if (!sink || sink.dialect !== 'pg' || !recv) continue;
    const root = rootIdent(recv);
    const b = root && model.resolve(root);
    if (!b) continue;
    if (b.kind === 'import' || b.scope.type === 'Program') return model.text.slice(recv.start, recv.end);
    const v = b.kind === 'var' && b.value ? ir.unwrap(b.value) : undefined;
    if (v?.type === 'Call' && ir.calleeName(v) === 'connect' && risky.some((e) => e.node === c)) return model.text.slice(recv.start, recv.end);
  }
  for (const [name, b] of model.bindings(model.root)) {
    const v = b.value && ir.unwrap(b.value);
    if (v?.type === 'Call' && v.isNew && /(^|\.)Pool$/.test(ir.dottedName(v.callee) ?? '')) return name;
  }
  return undefined;
}

/** `db('orders').insert(...)`, `knex.raw(...)`, `trx('x').update(...)`: the Knex instance or transaction. */
function knexRoot(model: CodeModel, c: ir.Call): ir.Node | undefined {
  const last = ir.calleeName(c) ?? '';
  const usesKnex = model.usesModule((m) => m === 'knex');
  let cur: ir.Node = ir.unwrap(c.callee);
  // Walk down the builder chain `db('t').where(...).update(...)` to the table call.
  while (cur.type === 'Member') {
    const o = ir.unwrap(cur.object);
    if (o.type === 'Call') {
      const callee = ir.unwrap(o.callee);
      if (callee.type === 'Ident' && o.args[0]?.type === 'Str') {
        if (!KNEX_WRITE.test(last) && !chainHasWrite(c)) return undefined;
        return usesKnex || isKnexValue(model, callee) ? callee : undefined;
      }
      cur = callee;
      continue;
    }
    if (o.type === 'Ident' && /^(raw|transaction)$/.test((cur as ir.Member).prop) && (usesKnex || isKnexValue(model, o))) return o;
    return undefined;
  }
  return undefined;
}

function chainHasWrite(c: ir.Call): boolean {
  let cur: ir.Node | undefined = c;
  while (cur && cur.type === 'Call') {
    if (KNEX_WRITE.test(ir.calleeName(cur) ?? '')) return true;
    const callee: ir.Node = ir.unwrap(cur.callee);
    cur = callee.type === 'Member' ? ir.unwrap(callee.object) : undefined;
  }
  return false;
}

/** A name bound to `knex(config)` / `require('knex')(config)`, or imported under a Knex-ish name. */
function isKnexValue(model: CodeModel, id: ir.Ident): boolean {
  const b = model.resolve(id);
  if (!b) return false;
  const v = b.value && ir.unwrap(b.value);
  if (v?.type === 'Call' && /knex/i.test(model.text.slice(v.callee.start, v.callee.end))) return true;
  return (b.kind === 'import' || b.kind === 'param') && /^(knex|trx)$/i.test(id.name);
}

/** `prisma.order.create(...)`, `db.user.update(...)`, `tx.payment.upsert(...)`: the Prisma client. */
function prismaRoot(model: CodeModel, c: ir.Call): ir.Node | undefined {
  const callee = ir.unwrap(c.callee);
  if (callee.type !== 'Member' || !PRISMA_WRITE.test(callee.prop)) return undefined;
  const delegate = ir.unwrap(callee.object);
  if (delegate.type !== 'Member') return undefined;
  const client = ir.unwrap(delegate.object);
  if (client.type !== 'Ident' && !(client.type === 'Member' && /^(this|self)$/.test(model.text.slice(client.start, client.start + 4)))) return undefined;
  const usesPrisma = model.usesModule((m) => m === '@prisma/client' || /(^|\/)(prisma|db)$/.test(m));
  const name = client.type === 'Ident' ? client.name : (client as ir.Member).prop;
  if (!usesPrisma && !/^(prisma|tx)$/i.test(name)) return undefined;
  if (!/^(prisma\w*|db|tx|client)$/i.test(name)) return undefined;
  return client;
}

function isMongooseWrite(model: CodeModel, c: ir.Call): boolean {
  const callee = ir.unwrap(c.callee);
  if (callee.type !== 'Member' || !MONGOOSE_WRITE.test(callee.prop)) return false;
  const recv = ir.unwrap(callee.object);
  if (recv.type !== 'Ident' || !/^[A-Z]/.test(recv.name)) return false;
  if (model.usesModule((m) => m === 'mongoose')) return true;
  // An imported model updated with Mongo operators (`{ $inc: { credits: 5 } }`).
  return !!model.moduleOf(recv.name) && c.args.some((a) => ir.find(a, (n) => n.type === 'Prop' && /^\$(inc|set|push|addToSet|pull|unset)$/.test(n.key ?? '')));
}

function isNewOf(model: CodeModel, n: ir.Node, cls: RegExp): boolean {
  const u = ir.unwrap(n);
  const v = u.type === 'Ident' ? model.valueOf(u) : undefined;
  const made = v && ir.unwrap(v);
  return made?.type === 'Call' && made.isNew && cls.test(ir.dottedName(made.callee) ?? '');
}

/** The handle's root name is bound where the guard goes. */
function inScope(model: CodeModel, n: ir.Node, at: number): boolean {
  const root = rootIdent(n);
  if (!root) return /^this\./.test(model.text.slice(n.start, n.end));
  const b = model.resolve(root);
  if (!b) return false;
  if (b.kind !== 'var' || b.scope.type === 'Program') return true;
  return b.assigns.every((a) => a.start < at) && b.node.start < at;
}

export function rootIdent(n: ir.Node): ir.Ident | undefined {
  let cur = ir.unwrap(n);
  while (cur.type === 'Member') cur = ir.unwrap(cur.object);
  return cur.type === 'Ident' ? cur : undefined;
}

/**
 * Wasp hands actions and webhooks Prisma delegates (`context.entities.User`); the full client the
 * guard needs is `prisma` from 'wasp/server'.
 */
function waspPrisma(model: CodeModel, fn: ir.Func): Handle | undefined {
  if (!model.usesModule((m) => m.startsWith('wasp/'))) return undefined;
  if (!/\bcontext\.entities\b/.test(model.text.slice(fn.start, fn.end))) return undefined;
  const bound = model.resolve('prisma', model.root);
  if (bound && !(bound.kind === 'import' && bound.module === 'wasp/server')) return undefined;
  return { db: 'prisma', layer: 'prisma', importFrom: bound ? undefined : { name: 'prisma', specifier: 'wasp/server' } };
}

/**
 * A method of a class (a NestJS controller) whose side effects run in an injected service writing
 * through TypeORM: the class gets the `DataSource` injected too, and claims through it.
 */
function typeormDataSource(model: CodeModel, fn: ir.Func, risky: Effect[]): Handle | undefined {
  const cls = ir.ancestors(fn).find((a): a is ir.Class => a.type === 'Class');
  if (!cls || fn.kind !== 'method') return undefined;
  const typeorm = (m: CodeModel) => m.usesModule((x) => x === 'typeorm' || x === '@nestjs/typeorm');
  const viaTypeorm = typeorm(model) || risky.some((e) => {
    const foreign = e.node.type === 'Call' ? importedFunction(model, e.node) : undefined;
    return !!foreign && typeorm(foreign.model);
  });
  if (!viaTypeorm) return undefined;
  const ctor = cls.body.find((m): m is ir.Func => m.type === 'Func' && m.name === 'constructor');
  const existing = ctor?.params.find((p) => /^\s*DataSource\b/.test(p.typeText ?? ''));
  if (existing?.name) return { db: `this.${existing.name}`, layer: 'typeorm' };
  if (model.text.slice(cls.start, cls.end).includes('this.dataSource')) return undefined;
  return { db: 'this.dataSource', layer: 'typeorm', inject: { ctor, cls, name: 'dataSource', type: 'DataSource', module: 'typeorm' } };
}
