// The guard fix for Python handlers (Flask, FastAPI, Django): the side-effect statements move into
//
//     with once_per_event(db, event["id"]) as first_delivery:
//         if first_delivery:
//             ...
//
// with `db` the psycopg/psycopg2 connection or the SQLAlchemy session the handler writes through,
// or, for the Django ORM, `once_per_event(event["id"])` backed by a ProcessedEvent model (its
// unique event id and `get_or_create`), appended to the app's models.py with a migration.
import * as path from 'path';
import * as ir from '../kit/model/ir';
import type { CodeModel } from '../kit/model/model';
import type { FileChange, FixContext, FixResult, TextEdit } from '../kit/rule';
import type { Effect } from '../kit/frameworks/effects';
import type { WebhookHandler } from '../kit/frameworks/webhooks';
import { isEventRoot } from '../kit/frameworks/webhook-event';
import { indentAt, indentUnit, lineStartOf } from '../kit/model/literals';
import { quoteOf } from '../kit/fixes/style';
import { addPyFromImport } from '../kit/fixes/py-imports';
import { djangoHelperSource, djangoMigrationSource, djangoModelSource, PY_HELPER_MODULE, PY_HELPER_NAME, pyHelperSource, recognisePyHelper } from '../kit/fixes/idempotency-helper-py';
import { reindent, wrapRange } from './webhook-not-idempotent.fix';

export type PyLayer = { kind: 'django' } | { kind: 'dbapi' | 'sqlalchemy'; db: string };
export type PyGuardPlan = { stmts: ir.Node[]; layer: PyLayer; eventId: string } | { reason: string };

const DBAPI = /^(psycopg2?|psycopg2\.\w+|psycopg\.\w+)$/;
const OTHER_DBAPI = /^(sqlite3|pymysql|MySQLdb|mysql\.connector|asyncpg|aiosqlite|aiomysql|databases|motor.*|pymongo.*|redis.*|tortoise.*|peewee|pony.*)$/;
const SESSION_WRITE = /^(add|add_all|commit|execute|merge|delete|flush|bulk_save_objects|bulk_insert_mappings)$/;

export function planPyGuard(model: CodeModel, h: WebhookHandler, risky: Effect[]): PyGuardPlan {
  return model.cached(`pyGuard:${h.fn.start}`, () => computePlan(model, h, risky));
}

function computePlan(model: CodeModel, h: WebhookHandler, risky: Effect[]): PyGuardPlan {
  const fn = h.fn;
  if (fn.body.type !== 'Block') return { reason: 'the handler has no statement body to wrap' };
  const stmts = wrapRange(fn.body as ir.Block, risky);
  if (!stmts) return { reason: 'its side effects are spread over blocks that one guard cannot enclose without moving other code' };
  if (usedAfter(fn, stmts)) return { reason: 'names assigned among the side effects are used after them, and a duplicate delivery would skip those assignments' };
  const layer = layerOf(model, fn, stmts);
  if ('reason' in layer) return layer;
  const eventId = eventIdExpr(model, h, stmts[0].start);
  if (!eventId) return { reason: 'no event variable or delivery id is in scope where the side effects start' };
  return { stmts, layer, eventId };
}

/** What the handler writes through, and whether the guard can claim through the same thing. */
function layerOf(model: CodeModel, fn: ir.Func, stmts: ir.Node[]): PyLayer | { reason: string } {
  const other = model.imports.find((i) => OTHER_DBAPI.test(i.module));
  if (other) return { reason: `the handler's module talks to the database through ${other.module}; the generated helper speaks psycopg on PostgreSQL, SQLAlchemy and the Django ORM` };
  const calls = model.calls.filter((c) => ir.isInside(c, fn));
  const inRange = (c: ir.Node) => stmts.some((s) => ir.isInside(c, s));
  const ordered = [...calls.filter(inRange), ...calls.filter((c) => !inRange(c))];
  for (const c of ordered) {
    const last = ir.calleeName(c) ?? '';
    const recv = ir.receiver(c);
    if (!recv) continue;
    const recvText = model.text.slice(recv.start, recv.end);
    // SQLAlchemy: `db.session.add(...)`, `session.commit()`, a `db: Session = Depends(get_db)` parameter.
    if (SESSION_WRITE.test(last) && (/(^|\.)session$/i.test(recvText) || paramTyped(model, recv, /\bSession\b/))) {
      if (c.parent?.type === 'Await') return { reason: 'the handler uses an async session; the generated helper is synchronous' };
      return inScope(model, recv, stmts[0].start) ? { kind: 'sqlalchemy', db: recvText } : { reason: `${recvText} is created among the side effects, after where the guard must claim the event` };
    }
    // psycopg/psycopg2: the connection whose cursor writes (`conn.cursor()`, `conn.execute(...)`).
    if ((last === 'cursor' || last === 'commit') && model.usesModule((m) => DBAPI.test(m) || m.startsWith('psycopg'))) {
      if (c.parent?.type === 'Await') return { reason: 'the handler uses an async driver; the generated helper is synchronous' };
      return inScope(model, recv, stmts[0].start) ? { kind: 'dbapi', db: recvText } : { reason: `the connection ${recvText} is opened among the side effects, after where the guard must claim the event` };
    }
  }
  if (model.usesModule((m) => /^django(\.|$)/.test(m))) return { kind: 'django' };
  return { reason: 'the handler writes through no psycopg connection, SQLAlchemy session or Django ORM the guard can record the event id with' };
}

function paramTyped(model: CodeModel, n: ir.Node, type: RegExp): boolean {
  const u = ir.unwrap(n);
  if (u.type !== 'Ident') return false;
  const b = model.resolve(u);
  if (b?.kind !== 'param') return false;
  return type.test((b.scope as ir.Func).params[b.paramIndex ?? 0]?.typeText ?? '');
}

/** The handle's root name is bound where the guard goes: a module name, a parameter, or a local assigned before. */
function inScope(model: CodeModel, n: ir.Node, at: number): boolean {
  let u = ir.unwrap(n);
  while (u.type === 'Member') u = ir.unwrap(u.object);
  if (u.type !== 'Ident') return false;
  const b = model.resolve(u);
  if (!b) return false;
  if (b.kind !== 'var') return true;
  return b.assigns.every((a) => a.start < at) && (b.assigns.length > 0 || b.node.start < at);
}

/** Names assigned inside the wrapped statements and read after them: a skipped duplicate would leave them unbound. */
function usedAfter(fn: ir.Func, stmts: ir.Node[]): boolean {
  const assigned = new Set<string>();
  for (const s of stmts) {
    ir.walk(s, (n) => {
      if (n.type === 'Func' || n.type === 'Class') return false;
      if (n.type === 'Assign') for (const id of ir.findAll<ir.Ident>(n.target, (x) => x.type === 'Ident')) assigned.add(id.name);
    });
  }
  if (!assigned.size) return false;
  const end = stmts[stmts.length - 1].end;
  return !!ir.find(fn.body, (n) => n.start > end && n.type === 'Ident' && assigned.has(n.name));
}

/** `event["id"]` for the variable holding the event; the delivery-id header for GitHub and Svix. */
function eventIdExpr(model: CodeModel, h: WebhookHandler, before: number): string | undefined {
  const q = quoteOf(model);
  const req = h.fn.params.find((p) => /^(request|req)$/.test(p.name ?? '') || /\bRequest\b/.test(p.typeText ?? ''))?.name ?? (model.moduleOf('request') ? 'request' : undefined);
  if (h.provider === 'github' && req) return `${req}.headers[${q}X-GitHub-Delivery${q}]`;
  if (h.provider === 'svix' && req) return `${req}.headers[${q}svix-id${q}]`;
  let name: string | undefined;
  ir.walk(h.fn.body, (n) => {
    if (n.start >= before || (n.type === 'Func' && n !== h.fn)) return false;
    if (n.type === 'Assign' && n.target.type === 'Ident' && n.value && isEventRoot(model, n.value)) name = n.target.name;
  });
  if (!name) name = h.fn.params.find((p) => p.name && isEventRoot(model, p.target))?.name;
  return name ? `${name}[${q}id${q}]` : undefined;
}

// ---------------------------------------------------------------------------------------------
// Producing the edits

export function producePyGuard(ctx: FixContext, h: WebhookHandler, risky: Effect[]): FixResult | undefined {
  const model = ctx.model;
  const plan = planPyGuard(model, h, risky);
  if ('reason' in plan) return undefined;
  const dir = path.dirname(ctx.file);
  const files: FileChange[] = [];
  const helperPath = path.join(dir, `${PY_HELPER_MODULE}.py`);
  const django = plan.layer.kind === 'django';
  const existing = ctx.readFile(helperPath);
  if (existing !== undefined && !recognisePyHelper(existing, django)) return undefined;
  let title: string | undefined;
  if (existing === undefined) {
    if (django) {
      const modelFiles = djangoModelFiles(ctx, dir);
      if (!modelFiles) return undefined;
      files.push(...modelFiles.files);
      title = modelFiles.migrated ? 'Wrap handler in idempotency guard (run migrate: a migration adds the ProcessedEvent model)' : 'Wrap handler in idempotency guard (run makemigrations and migrate for the ProcessedEvent model)';
    }
    files.push({ kind: 'create', path: helperPath, content: django ? djangoHelperSource() : pyHelperSource() });
  }
  const text = model.text;
  const unit = indentUnit(text);
  const first = plan.stmts[0];
  const last = plan.stmts[plan.stmts.length - 1];
  const start = lineStartOf(text, first.start);
  const indent = indentAt(text, first.start);
  const end = last.end + (/^[ \t]*#[^\n]*/.exec(text.slice(last.end))?.[0].length ?? 0);
  const args = plan.layer.kind === 'django' ? plan.eventId : `${plan.layer.db}, ${plan.eventId}`;
  const body = reindent(model, start, end, unit + unit);
  const edits: TextEdit[] = [{ start, end, newText: `${indent}with ${PY_HELPER_NAME}(${args}) as first_delivery:\n${indent}${unit}if first_delivery:\n${body}` }];
  const pkg = ctx.readFile(path.join(dir, '__init__.py')) !== undefined || model.imports.some((i) => i.module.startsWith('.'));
  addPyFromImport(model, edits, pkg ? `.${PY_HELPER_MODULE}` : PY_HELPER_MODULE, PY_HELPER_NAME);
  return { edits, files, title };
}

/** The ProcessedEvent model appended to the app's models.py, and a migration when the app keeps them. */
function djangoModelFiles(ctx: FixContext, appDir: string): { files: FileChange[]; migrated: boolean } | undefined {
  const modelsPath = path.join(appDir, 'models.py');
  const models = ctx.readFile(modelsPath);
  if (models === undefined) return undefined;
  if (/class\s+ProcessedEvent\b/.test(models)) return { files: [], migrated: true };
  const head = /^from django\.db import .*\bmodels\b/m.test(models) ? '' : 'from django.db import models\n';
  const files: FileChange[] = [{ kind: 'edit', path: modelsPath, edits: [
    ...(head ? [{ start: 0, end: 0, newText: head }] : []),
    { start: models.length, end: models.length, newText: (models.endsWith('\n') ? '' : '\n') + djangoModelSource() },
  ] }];
  const rel = ctx.workspaceRoot ? path.relative(ctx.workspaceRoot, appDir).replace(/\\/g, '/') : undefined;
  if (rel === undefined || rel.startsWith('..')) return { files, migrated: false };
  const prefix = rel ? `${rel}/migrations/` : 'migrations/';
  const migrations = ctx.findFiles((p) => p.startsWith(prefix) && /^\d{4}_\w+\.py$/.test(p.slice(prefix.length)), 500).map((p) => path.basename(p, '.py')).sort();
  const hasFolder = migrations.length > 0 || ctx.readFile(path.join(appDir, 'migrations', '__init__.py')) !== undefined;
  if (!hasFolder) return { files, migrated: false };
  const latest = migrations[migrations.length - 1];
  const next = String((latest ? parseInt(latest.slice(0, 4), 10) : 0) + 1).padStart(4, '0');
  files.push({ kind: 'create', path: path.join(appDir, 'migrations', `${next}_processedevent.py`), content: djangoMigrationSource(appLabel(ctx, appDir), latest) });
  return { files, migrated: true };
}

/** The app's label: `label`/`name` in apps.py, else the folder's name. */
function appLabel(ctx: FixContext, appDir: string): string {
  const apps = ctx.readFile(path.join(appDir, 'apps.py')) ?? '';
  const label = /^\s+label\s*=\s*["']([\w]+)["']/m.exec(apps)?.[1];
  const name = /^\s+name\s*=\s*["']([\w.]+)["']/m.exec(apps)?.[1];
  return label ?? name?.split('.').pop() ?? path.basename(appDir);
}
