// The "Wrap handler in idempotency guard" fix: the handler's side-effect statements move into
// `await oncePerEvent(db, event.id, async () => { ... })`, and the helper module is reused or
// generated. JS/TS handlers talking to PostgreSQL through node-postgres only.
import * as path from 'path';
import * as ir from '../kit/model/ir';
import type { CodeModel } from '../kit/model/model';
import type { FileChange, FixContext, FixResult, TextEdit } from '../kit/rule';
import type { Effect } from '../kit/frameworks/effects';
import { indentAt, indentUnit, lineStartOf } from '../kit/model/literals';
import { fileDialect, sqlSink, dialectFromPackageJson } from '../kit/frameworks/sql';
import { quoteOf, usesSemicolons } from '../kit/fixes/style';
import type { WebhookHandler } from '../kit/frameworks/webhooks';
import { isEventRoot } from '../kit/frameworks/webhook-event';
import { defaultHelperPath, helperSource, HELPER_NAME, importSpecifier, isHelperCandidate, recogniseHelper, type GuardHelper, type ModuleStyle } from '../kit/fixes/idempotency-helper';

export interface GuardPlan {
  /** The statements that run inside the guard. */
  stmts: ir.Node[];
  /** Source text of the database handle (`pool`) and of the event id (`event.id`). */
  db: string;
  eventId: string;
}

/** node-postgres-compatible drivers: `query(text, values)` resolving to `{ rowCount }`. */
const PG_DRIVER = /^(pg|pg-pool|@neondatabase\/serverless)$/;
const OTHER_DRIVER = /^(pg-promise|postgres|slonik|@vercel\/postgres|mysql2?(\/promise)?|better-sqlite3|sqlite3?|knex|@prisma\/client|sequelize|typeorm|drizzle-orm.*|mongoose|mongodb)$/;

/** Whether (and how) the guard can be written for this handler; undefined gives no fix. */
export function planGuard(model: CodeModel, h: WebhookHandler, risky: Effect[]): GuardPlan | undefined {
  return model.cached(`guard:${h.fn.start}`, () => computePlan(model, h, risky));
}

function computePlan(model: CodeModel, h: WebhookHandler, risky: Effect[]): GuardPlan | undefined {
  const fn = h.fn;
  if (model.lang !== 'js' || !fn.async || fn.body.type !== 'Block' || !risky.length) return undefined;
  const stmts = wrapRange(fn.body as ir.Block, risky);
  if (!stmts || !safeToWrap(fn, stmts)) return undefined;
  const db = dbHandle(model, fn, risky);
  const eventId = eventIdExpr(model, h, stmts[0].start);
  return db && eventId ? { stmts, db, eventId } : undefined;
}

/**
 * The run of statements holding every non-idempotent effect: from the statement with the first to
 * the one with the last, in the handler body, descending into a try block that holds them all
 * (its catch answers the request and must stay outside the guard).
 */
function wrapRange(body: ir.Block, risky: Effect[]): ir.Node[] | undefined {
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

/**
 * What the guard claims events through: the receiver of the handler's own node-postgres
 * queries. A module-level pool claims in its own autocommitted statement; a client the handler
 * checked out (`await pool.connect()`) makes the claim part of the transaction the handler runs
 * on it, so a rollback releases it and concurrent duplicates wait for the outcome.
 */
function dbHandle(model: CodeModel, fn: ir.Func, risky: Effect[]): string | undefined {
  if (model.usesModule((m) => OTHER_DRIVER.test(m))) return undefined;
  const pgFile = model.usesModule((m) => PG_DRIVER.test(m)) || fileDialect(model) === 'pg';
  if (!pgFile) return undefined;
  const queries = model.calls.filter((c) => ir.isInside(c, fn) && ir.calleeName(c) === 'query');
  // The risky writes' own receiver first: it is in scope where the guard goes.
  queries.sort((a, b) => Number(risky.some((e) => e.node === b)) - Number(risky.some((e) => e.node === a)));
  for (const c of queries) {
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

function rootIdent(n: ir.Node): ir.Ident | undefined {
  let cur = ir.unwrap(n);
  while (cur.type === 'Member') cur = ir.unwrap(cur.object);
  return cur.type === 'Ident' ? cur : undefined;
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
    if (n.type !== 'Assign' || n.target.type !== 'Ident' || !n.value || !isEventRoot(model, n.value)) return;
    const b = model.resolve(n.target);
    // The name must still be in scope where the guard goes (not a const inside an earlier block).
    const declBlock = b && b.node.type === 'Assign' ? ir.ancestors(b.node).find((a) => a.type === 'Block') : undefined;
    if (declBlock && declBlock !== fn.body && !(declBlock.start <= before && before <= declBlock.end)) return;
    name = n.target.name;
  });
  if (name) return `${name}.id`;
  if (req && ir.find(fn.body, (n) => n.type === 'Member' && n.prop === 'body' && ir.unwrap(n.object).type === 'Ident' && (ir.unwrap(n.object) as ir.Ident).name === req)) return `${req}.body.id`;
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Producing the edits

export function produceGuard(ctx: FixContext, h: WebhookHandler, risky: Effect[]): FixResult | undefined {
  const model = ctx.model;
  const plan = planGuard(model, h, risky);
  if (!plan || !workspaceUsesPg(ctx)) return undefined;
  const style = moduleStyle(model);
  const helper = locateHelper(ctx, style);
  if (!helper) return undefined;
  const text = model.text;
  const unit = indentUnit(text);
  const semi = usesSemicolons(model) ? ';' : '';
  const first = plan.stmts[0];
  const last = plan.stmts[plan.stmts.length - 1];
  const start = lineStartOf(text, first.start);
  const indent = indentAt(text, first.start);
  const args = helper.roles.slice(0, 2).map((r) => (r === 'db' ? plan.db : plan.eventId)).join(', ');
  // A comment closing the last line stays with its statement, inside the callback.
  const end = last.end + (/^[ \t]*\/\/[^\n]*/.exec(text.slice(last.end))?.[0].length ?? 0);
  const body = reindent(model, start, end, unit);
  const wrapped = `${indent}await ${helper.fnName}(${args}, async () => {\n${body}\n${indent}})${semi}`;
  const edits: TextEdit[] = [{ start, end, newText: wrapped }];
  const imp = importEdit(model, helper, style);
  if (imp) edits.push(imp);
  const files: FileChange[] = helper.create !== undefined ? [{ kind: 'create', path: helper.path, content: helper.create }] : [];
  return { edits, files };
}

/** Indents every line of [start, end) by one unit, except lines inside multi-line strings. */
function reindent(model: CodeModel, start: number, end: number, unit: string): string {
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

/** A helper the workspace already has (same module system), else a new one at the default place. */
function locateHelper(ctx: FixContext, style: ModuleStyle): GuardHelper | undefined {
  const compatible = style === 'ts' ? /\.(ts|mts|cts)$/ : style === 'esm' ? /\.(js|mjs)$/ : /\.(js|cjs)$/;
  const ext = style === 'ts' ? (/\.mts$/i.test(ctx.file) ? 'mts' : 'ts') : /\.(mjs|cjs)$/i.exec(ctx.file)?.[1] ?? 'js';
  const target = defaultHelperPath(ctx.workspaceRoot, ctx.file, ext);
  const candidates = [...(target ? [target] : []), ...ctx.findFiles((rel) => isHelperCandidate(rel) && compatible.test(rel), 20)];
  for (const p of candidates) {
    if (!compatible.test(p) || path.resolve(p) === path.resolve(ctx.file)) continue;
    const content = ctx.readFile(p);
    if (content === undefined) continue;
    const found = recogniseHelper(content);
    if (found) return { path: p, ...found };
    // A module of that name that is not a guard helper: do not overwrite it.
    if (p === target) return undefined;
  }
  if (!target) return undefined;
  return { path: target, fnName: HELPER_NAME, roles: ['db', 'id', 'fn'], create: helperSource(style) };
}

/** The workspace's dependencies (when they can be read) include a node-postgres-compatible driver. */
function workspaceUsesPg(ctx: FixContext): boolean {
  if (ctx.model.usesModule((m) => PG_DRIVER.test(m)) || !ctx.workspaceRoot) return true;
  const pkg = ctx.readFile(path.join(ctx.workspaceRoot, 'package.json'));
  if (!pkg) return true;
  return dialectFromPackageJson(pkg) === 'pg' && /"(pg|@neondatabase\/serverless)"\s*:/.test(pkg);
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
