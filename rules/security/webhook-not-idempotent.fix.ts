// The "Wrap handler in idempotency guard" fix for JS/TS handlers: the side-effect statements move
// into `await oncePerEvent(db, event.id, async () => { ... })`, and the helper module is reused or
// generated for the handler's data layer (node-postgres, mysql2, better-sqlite3, Knex, Prisma;
// mongoose needs no handle: `oncePerEvent(event.id, async () => { ... })`).
import * as path from 'path';
import * as ir from '../kit/model/ir';
import type { CodeModel } from '../kit/model/model';
import type { FileChange, FixContext, FixResult, TextEdit } from '../kit/rule';
import type { Effect } from '../kit/frameworks/effects';
import { indentAt, indentUnit, lineStartOf } from '../kit/model/literals';
import { dialectFromPackageJson } from '../kit/frameworks/sql';
import { helperLayer, layerHelperSource, PRISMA_MODEL, prismaMigrationSql, type JsLayer } from '../kit/fixes/idempotency-layers';
import { dbHandle, PG_DRIVER, type HandleImport, type HandleInjection } from './webhook-not-idempotent.fix-db';
import { quoteOf, usesSemicolons } from '../kit/fixes/style';
import type { WebhookHandler } from '../kit/frameworks/webhooks';
import { isEventRoot } from '../kit/frameworks/webhook-event';
import { localFunction } from '../kit/model/calls';
import { defaultHelperPath, helperSource, HELPER_NAME, importSpecifier, isHelperCandidate, recogniseHelper, type GuardHelper, type ModuleStyle } from '../kit/fixes/idempotency-helper';

export interface GuardPlan {
  /** The statements that run inside the guard. */
  stmts: ir.Node[];
  /** Source text of the database handle (`pool`; empty for mongoose) and of the event id (`event.id`). */
  db: string;
  eventId: string;
  layer: JsLayer;
  /** The handle comes from a module the handler must import (`prisma` from '@/lib/prisma'). */
  importFrom?: HandleImport;
  /** The handler's class must receive the handle through its constructor. */
  inject?: HandleInjection;
}
export type PlanOrReason = GuardPlan | { reason: string };


/** Whether (and how) the guard can be written for this handler, or why not. */
export function planGuard(model: CodeModel, h: WebhookHandler, risky: Effect[]): PlanOrReason {
  return model.cached(`guard:${h.fn.start}`, () => computePlan(model, h, risky));
}

function computePlan(model: CodeModel, h: WebhookHandler, risky: Effect[]): PlanOrReason {
  const fn = h.fn;
  if (!risky.length) return { reason: 'no side effect to guard' };
  if (!fn.async) return { reason: 'the handler is not async, and the guard awaits the claim' };
  if (fn.body.type !== 'Block') return { reason: 'the handler has no statement body to wrap' };
  const stmts = wrapRange(fn.body as ir.Block, risky);
  if (!stmts) return { reason: 'its side effects are spread over blocks that one guard cannot enclose without moving other code' };
  if (!safeToWrap(fn, stmts)) return { reason: 'the side-effect statements return, break out or declare names used after them, which a callback would change' };
  const db = dbHandle(model, fn, risky, stmts[0].start);
  if ('reason' in db) return db;
  const eventId = eventIdExpr(model, h, stmts[0].start);
  if (!eventId) return { reason: 'no event variable or delivery id is in scope where the side effects start' };
  return { stmts, db: db.db, layer: db.layer, eventId, importFrom: db.importFrom, inject: db.inject };
}

/**
 * The run of statements holding every non-idempotent effect: from the statement with the first to
 * the one with the last, in the handler body, descending into a try block that holds them all
 * (its catch answers the request and must stay outside the guard).
 */
export function wrapRange(body: ir.Block, risky: Effect[]): ir.Node[] | undefined {
  let block = body;
  for (;;) {
    const idx = (e: Effect) => block.body.findIndex((s) => ir.isInside(e.node, s));
    const first = idx(risky[0]);
    const last = Math.max(...risky.map(idx));
    if (first < 0 || risky.some((e) => idx(e) < 0)) return undefined;
    const stmts = block.body.slice(first, last + 1);
    const only = stmts.length === 1 ? stmts[0] : undefined;
    if (only?.type === 'Try' && only.block.type === 'Block' && risky.every((e) => ir.isInside(e.node, only.block))) {
      block = only.block;
      continue;
    }
    return stmts;
  }
}

/**
 * Moving statements into a callback keeps their meaning unless they `return` (it would return
 * from the callback), `break`/`continue` out of the range, `yield`, or declare names used after.
 */
function safeToWrap(fn: ir.Func, stmts: ir.Node[]): boolean {
  const end = stmts[stmts.length - 1].end;
  const declared = new Set<string>();
  for (const s of stmts) {
    let ok = true;
    ir.walk(s, (n) => {
      if (!ok || n.type === 'Func') return false;
      if (n.type === 'Return' || (n.type === 'Other' && n.kind === 'yield')) ok = false;
      if (n.type === 'Other' && (n.kind === 'break' || n.kind === 'continue')) {
        const target = ir.ancestors(n).find((a) => a.type === 'Loop' || (n.kind === 'break' && a.type === 'Other' && a.kind === 'switch'));
        if (!target || !ir.isInside(target, s)) ok = false;
      }
    });
    if (!ok) return false;
    if (s.type === 'Assign' && s.decl) for (const id of ir.findAll<ir.Ident>(s.target, (x) => x.type === 'Ident')) declared.add(id.name);
    if ((s.type === 'Func' || s.type === 'Class') && s.name) declared.add(s.name);
  }
  if (!declared.size) return true;
  return !ir.find(fn.body, (n) => n.start > end && n.type === 'Ident' && declared.has(n.name));
}

/** `event.id` for the variable holding the event, a delivery-id header for GitHub and Svix. */
function eventIdExpr(model: CodeModel, h: WebhookHandler, before: number): string | undefined {
  const fn = h.fn;
  const req = fn.params[0]?.name;
  const q = quoteOf(model);
  if (h.provider === 'github' && req) return `${req}.headers[${q}x-github-delivery${q}]`;
  if (h.provider === 'svix' && req) return `${req}.headers[${q}svix-id${q}]`;
  let name: string | undefined;
  ir.walk(fn.body, (n) => {
    if (n.start >= before || (n.type === 'Func' && n !== fn)) return false;
    if (n.type !== 'Assign' || n.target.type !== 'Ident' || !n.value || !(isEventRoot(model, n.value) || returnsEvent(model, n.value))) return;
    const b = model.resolve(n.target);
    // The name must still be in scope where the guard goes (not a const inside an earlier block).
    const declBlock = b && b.node.type === 'Assign' ? ir.ancestors(b.node).find((a) => a.type === 'Block') : undefined;
    if (declBlock && declBlock !== fn.body && !(declBlock.start <= before && before <= declBlock.end)) return;
    name = n.target.name;
  });
  // A framework hands the parsed event in (NestJS `@Body() event`).
  name ??= fn.params.find((p) => p.name && p.target.type === 'Ident' && isEventRoot(model, p.target))?.name;
  if (name) return `${name}.id`;
  if (req && ir.find(fn.body, (n) => n.type === 'Member' && n.prop === 'body' && ir.unwrap(n.object).type === 'Ident' && (ir.unwrap(n.object) as ir.Ident).name === req)) return `${req}.body.id`;
  return undefined;
}

/** `constructStripeEvent(request)`: a function of this module that returns the verified event. */
function returnsEvent(model: CodeModel, v: ir.Node): boolean {
  const u = ir.unwrap(v.type === 'Await' ? v.arg : v);
  const local = u.type === 'Call' ? localFunction(model, u) : undefined;
  return !!local && !!ir.find(local.body, (x) => x.type === 'Return' && !!x.arg && isEventRoot(model, x.arg));
}

// ---------------------------------------------------------------------------------------------
// Producing the edits

export function produceGuard(ctx: FixContext, h: WebhookHandler, risky: Effect[]): FixResult | undefined {
  const model = ctx.model;
  const plan = planGuard(model, h, risky);
  if ('reason' in plan || !workspaceHasLayer(ctx, plan.layer)) return undefined;
  const style = moduleStyle(model);
  const helper = locateHelper(ctx, style, plan.layer);
  if (!helper) return undefined;
  const text = model.text;
  const unit = indentUnit(text);
  const semi = usesSemicolons(model) ? ';' : '';
  const first = plan.stmts[0];
  const last = plan.stmts[plan.stmts.length - 1];
  const start = lineStartOf(text, first.start);
  const indent = indentAt(text, first.start);
  const args = helper.roles.filter((r) => r !== 'fn').map((r) => (r === 'db' ? plan.db : plan.eventId)).join(', ');
  // A comment closing the last line stays with its statement, inside the callback.
  const end = last.end + (/^[ \t]*\/\/[^\n]*/.exec(text.slice(last.end))?.[0].length ?? 0);
  const body = reindent(model, start, end, unit);
  const wrapped = `${indent}await ${helper.fnName}(${args}, async () => {\n${body}\n${indent}})${semi}`;
  const edits: TextEdit[] = [{ start, end, newText: wrapped }];
  const imp = importEdit(model, helper, style);
  if (imp) edits.push(imp);
  if (plan.importFrom) edits.push(handleImportEdit(model, plan.importFrom, style));
  if (plan.inject) {
    const injected = injectionEdits(model, plan.inject);
    if (!injected) return undefined;
    edits.push(...injected);
  }
  const files: FileChange[] = helper.create !== undefined ? [{ kind: 'create', path: helper.path, content: helper.create }] : [];
  if (plan.layer !== 'prisma' || helper.create === undefined) return { edits, files };
  const schema = prismaSchemaChanges(ctx);
  if (!schema) return undefined;
  return { edits, files: [...files, ...schema.files], title: schema.title };
}

/** Indents every line of [start, end) by one unit, except lines inside multi-line strings. */
export function reindent(model: CodeModel, start: number, end: number, unit: string): string {
  const text = model.text;
  const frozen: [number, number][] = [];
  ir.walk(model.root, (n) => {
    if (n.end < start || n.start > end) return false;
    if ((n.type === 'Str' || n.type === 'Template') && text.slice(n.start, n.end).includes('\n')) frozen.push([n.start, n.end]);
  });
  let out = '';
  let pos = start;
  while (pos < end) {
    let nl = text.indexOf('\n', pos);
    if (nl === -1 || nl > end) nl = end;
    const line = text.slice(pos, nl);
    const inString = frozen.some(([s, e]) => pos > s && pos < e);
    out += (line.trim() && !inString ? unit : '') + line + (nl < end ? '\n' : '');
    pos = nl + 1;
  }
  return out;
}

function moduleStyle(model: CodeModel): ModuleStyle {
  if (/\.[cm]?tsx?$/i.test(model.file)) return 'ts';
  if (/\.mjs$/i.test(model.file)) return 'esm';
  if (/\.cjs$/i.test(model.file)) return 'cjs';
  const esm = model.imports.length > 0 || /^\s*export\s/m.test(model.text);
  return esm ? 'esm' : 'cjs';
}

/**
 * A helper the workspace already has (same module system, and for a generated one the same data
 * layer), else a new one at the default place.
 */
function locateHelper(ctx: FixContext, style: ModuleStyle, layer: JsLayer): GuardHelper | undefined {
  const compatible = style === 'ts' ? /\.(ts|mts|cts)$/ : style === 'esm' ? /\.(js|mjs)$/ : /\.(js|cjs)$/;
  const ext = style === 'ts' ? (/\.mts$/i.test(ctx.file) ? 'mts' : 'ts') : /\.(mjs|cjs)$/i.exec(ctx.file)?.[1] ?? 'js';
  const target = defaultHelperPath(ctx.workspaceRoot, ctx.file, ext);
  const candidates = [...(target ? [target] : []), ...ctx.findFiles((rel) => isHelperCandidate(rel) && compatible.test(rel), 20)];
  for (const p of candidates) {
    if (!compatible.test(p) || path.resolve(p) === path.resolve(ctx.file)) continue;
    const content = ctx.readFile(p);
    if (content === undefined) continue;
    const generatedFor = helperLayer(content);
    const found = (generatedFor ? generatedFor === layer : SPEAKS[layer].test(content)) && recogniseHelper(content, layer === 'mongoose');
    if (found) return { path: p, ...found };
    // A module of that name that is not a guard helper for this layer: do not overwrite it.
    if (p === target) return undefined;
  }
  if (!target) return undefined;
  if (layer === 'pg') return { path: target, fnName: HELPER_NAME, roles: ['db', 'id', 'fn'], create: helperSource(style) };
  return { path: target, fnName: HELPER_NAME, roles: layer === 'mongoose' ? ['id', 'fn'] : ['db', 'id', 'fn'], create: layerHelperSource(layer, style, HELPER_NAME) };
}

/** What an app's own helper must do to claim through the handle the handler passes it. */
const SPEAKS: Record<JsLayer, RegExp> = {
  pg: /\.query\([^)]*\$1/,
  mysql2: /\.(query|execute)\([^)]*\?/,
  sqlite: /\.prepare\(/,
  knex: /\.insert\(|\.raw\(/,
  prisma: /\.(create|upsert)\(/,
  mongoose: /mongoose|\b11000\b/,
  typeorm: /\.query\(/,
};

const LAYER_PACKAGE: Record<JsLayer, RegExp> = {
  pg: /"(pg|@neondatabase\/serverless)"\s*:/,
  mysql2: /"mysql2"\s*:/,
  sqlite: /"better-sqlite3"\s*:/,
  knex: /"knex"\s*:/,
  prisma: /"(@prisma\/client|prisma)"\s*:/,
  mongoose: /"mongoose"\s*:/,
  typeorm: /"typeorm"\s*:/,
};

/** The workspace's dependencies (when they can be read) include the data layer's package. */
function workspaceHasLayer(ctx: FixContext, layer: JsLayer): boolean {
  if (!ctx.workspaceRoot) return true;
  if (layer === 'pg' && ctx.model.usesModule((m) => PG_DRIVER.test(m))) return true;
  const pkg = ctx.readFile(path.join(ctx.workspaceRoot, 'package.json'));
  if (!pkg) return true;
  if (layer === 'pg') return dialectFromPackageJson(pkg) === 'pg' && LAYER_PACKAGE.pg.test(pkg);
  return LAYER_PACKAGE[layer].test(pkg);
}

/**
 * Prisma keeps its tables in schema.prisma: the ProcessedEvent model goes there, and when the
 * workspace keeps migrations, one creating its table (named after the latest, one second later).
 */
function prismaSchemaChanges(ctx: FixContext): { files: FileChange[]; title: string } | undefined {
  const schemaPath = ctx.findFiles((rel) => /(^|\/)schema\.prisma$/.test(rel) && !/node_modules\//.test(rel), 5)[0];
  const schema = schemaPath && ctx.readFile(schemaPath);
  if (!schemaPath || schema === undefined) return undefined;
  if (/^model\s+ProcessedEvent\b/m.test(schema)) return { files: [], title: 'Wrap handler in idempotency guard' };
  const files: FileChange[] = [{ kind: 'edit', path: schemaPath, edits: [{ start: schema.length, end: schema.length, newText: (schema.endsWith('\n') ? '' : '\n') + PRISMA_MODEL }] }];
  const provider = /datasource\s+\w+\s*\{[^}]*provider\s*=\s*"(\w+)"/.exec(schema)?.[1] ?? '';
  const dir = path.join(path.dirname(schemaPath), 'migrations');
  const prefix = path.relative(ctx.workspaceRoot ?? path.dirname(schemaPath), dir).replace(/\\/g, '/') + '/';
  const existing = ctx.findFiles((rel) => rel.startsWith(prefix) && /^\d{14}_[^/]+\/migration\.sql$/.test(rel.slice(prefix.length)), 1000).map((p) => path.basename(path.dirname(p))).sort();
  const sql = prismaMigrationSql(provider);
  if (!existing.length || !sql) return { files, title: 'Wrap handler in idempotency guard (run prisma migrate dev and prisma generate for the ProcessedEvent model)' };
  const stamp = nextStamp(existing[existing.length - 1].slice(0, 14));
  files.push({ kind: 'create', path: path.join(dir, `${stamp}_processed_events`, 'migration.sql'), content: sql });
  return { files, title: 'Wrap handler in idempotency guard (run prisma migrate deploy and prisma generate for the ProcessedEvent model)' };
}

/** `20240102030405` one second later, as a migration timestamp. */
function nextStamp(stamp: string): string {
  const d = new Date(Date.UTC(+stamp.slice(0, 4), +stamp.slice(4, 6) - 1, +stamp.slice(6, 8), +stamp.slice(8, 10), +stamp.slice(10, 12), +stamp.slice(12, 14) + 1));
  return d.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

function importEdit(model: CodeModel, helper: GuardHelper, style: ModuleStyle): TextEdit | undefined {
  const existing = model.moduleOf(helper.fnName);
  if (existing || model.resolve(helper.fnName, model.root)) return undefined;
  const q = quoteOf(model);
  const semi = usesSemicolons(model) ? ';' : '';
  const relImports = model.imports.map((i) => i.module).filter((m) => m.startsWith('.'));
  // Node resolves `.cjs`/`.mjs` and ESM specifiers only with their extension.
  const withExt = /\.[cm][jt]s$/.test(helper.path) || (style === 'esm' ? !relImports.length || relImports.some((m) => /\.[cm]?js$/.test(m)) : relImports.some((m) => /\.[cm]?js$/.test(m)));
  const spec = importSpecifier(model.file, helper.path, withExt);
  if (style === 'cjs') {
    const requires = model.root.body.filter((s) => s.type === 'Assign' && s.value && /^require\(/.test(model.text.slice(ir.unwrap(s.value).start, ir.unwrap(s.value).end)));
    const after = requires[requires.length - 1];
    const line = `const { ${helper.fnName} } = require(${q}${spec}${q})${semi}`;
    return insertAfterLine(model, after, line);
  }
  const imports = model.root.body.filter((s) => s.type === 'Import');
  return insertAfterLine(model, imports[imports.length - 1], `import { ${helper.fnName} } from ${q}${spec}${q}${semi}`);
}

/** `import { prisma } from '@/lib/prisma'` (or the require) for a handle the side effects' module uses. */
function handleImportEdit(model: CodeModel, h: HandleImport, style: ModuleStyle): TextEdit {
  const q = quoteOf(model);
  const semi = usesSemicolons(model) ? ';' : '';
  if (style === 'cjs') {
    const requires = model.root.body.filter((s) => s.type === 'Assign' && s.value && /^require\(/.test(model.text.slice(ir.unwrap(s.value).start, ir.unwrap(s.value).end)));
    const local = h.name.replace(/^default as /, '');
    return insertAfterLine(model, requires[requires.length - 1], h.name.startsWith('default as ') ? `const ${local} = require(${q}${h.specifier}${q})${semi}` : `const { ${local} } = require(${q}${h.specifier}${q})${semi}`);
  }
  const imports = model.root.body.filter((s) => s.type === 'Import');
  const clause = h.name.startsWith('default as ') ? h.name.replace(/^default as /, '') : `{ ${h.name} }`;
  return insertAfterLine(model, imports[imports.length - 1], `import ${clause} from ${q}${h.specifier}${q}${semi}`);
}

/**
 * `private readonly dataSource: DataSource` added to the class's constructor (one is created when
 * it has none), and the type imported: the framework's dependency injection provides it.
 */
function injectionEdits(model: CodeModel, inj: HandleInjection): TextEdit[] | undefined {
  const text = model.text;
  const q = quoteOf(model);
  const semi = usesSemicolons(model) ? ';' : '';
  const param = `private readonly ${inj.name}: ${inj.type}`;
  const edits: TextEdit[] = [];
  if (!model.resolve(inj.type, model.root)) {
    const imports = model.root.body.filter((s) => s.type === 'Import');
    edits.push(insertAfterLine(model, imports[imports.length - 1], `import { ${inj.type} } from ${q}${inj.module}${q}${semi}`));
  }
  if (inj.ctor) {
    const close = text.lastIndexOf(')', inj.ctor.bodyStart);
    const open = text.lastIndexOf('(', close);
    if (close < 0 || open < inj.ctor.start) return undefined;
    const inside = text.slice(open + 1, close);
    if (!inside.trim()) edits.push({ start: close, end: close, newText: param });
    else if (inside.includes('\n')) {
      const lastLine = inside.trimEnd().split('\n').pop() ?? '';
      const indent = /^\s*/.exec(lastLine)?.[0] ?? '';
      const end = open + 1 + inside.trimEnd().length;
      edits.push(inside.trimEnd().endsWith(',') ? { start: end, end, newText: `\n${indent}${param},` } : { start: end, end, newText: `,\n${indent}${param}` });
    } else edits.push({ start: close, end: close, newText: `, ${param}` });
    return edits;
  }
  const brace = text.indexOf('{', text.indexOf('class', inj.cls.start));
  if (brace < 0) return undefined;
  const first = inj.cls.body[0];
  const indent = first ? indentAt(text, first.start) : indentUnit(text);
  edits.push({ start: brace + 1, end: brace + 1, newText: `\n${indent}constructor(${param}) {}\n` });
  return edits;
}

function insertAfterLine(model: CodeModel, after: ir.Node | undefined, line: string): TextEdit {
  const text = model.text;
  if (!after) {
    // Above the first statement, below any leading comments and directives.
    const first = model.root.body.find((s) => !(s.type === 'ExprStmt' && s.expr.type === 'Str'));
    const at = first ? lineStartOf(text, first.start) : 0;
    return { start: at, end: at, newText: `${line}\n` };
  }
  let at = text.indexOf('\n', after.end);
  at = at === -1 ? text.length : at;
  return { start: at, end: at, newText: `\n${line}` };
}
