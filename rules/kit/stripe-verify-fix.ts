// The "Verify webhook signature" fix for Stripe handlers: Express-style (req, res) handlers in
// JS/TS and Flask, FastAPI and Django views in Python. Pure: computes edits from the model.
import * as ir from './ir';
import type { CodeModel } from './model';
import type { FixContext, FixResult, TextEdit } from './rule';
import { applyEdits } from './edits';
import { indentAt, indentUnit, lineStartOf } from './literals';
import { isJsonParser, isRawParser, jsonParserBefore, rawParserName } from './body-parsers';
import { stripeClientName } from './stripe';
import { quoteOf, usesSemicolons } from './style';
import { exportNames, foreignRouter, planHostMounts } from './router-mounts';
import { isRequestObject, isRequestRead, taintOf } from './taint';
import { verificationOf, type WebhookHandler } from './webhooks';

export interface VerifyPlan {
  edits: TextEdit[];
  /** The route registration moves above an app-level JSON parser. */
  movesRoute: boolean;
}

/** The fix for a handler, or undefined when it cannot be written safely. */
export function planStripeVerification(model: CodeModel, h: WebhookHandler): VerifyPlan | undefined {
  return model.cached(`stripeVerify:${h.fn.start}`, () => (h.provider !== 'stripe' ? undefined : model.lang === 'js' ? planJs(model, h) : planPy(model, h)));
}

/**
 * The fix, with the host modules that mount this handler's router when the body reaches it
 * parsed: a mount after the host's `express.json()` moves above it, since the route-level
 * `express.raw()` the fix adds would otherwise get an object and reject every genuine event.
 * No fix when no host is found or one cannot be changed safely: the order is then unknown.
 */
export function produceStripeVerification(ctx: FixContext, h: WebhookHandler): FixResult | undefined {
  const plan = planStripeVerification(ctx.model, h);
  if (!plan) return undefined;
  const router = routerBodyParsedUpstream(ctx.model, h);
  if (!router) return { edits: plan.edits };
  const hosts = planHostMounts(ctx, exportNames(ctx.model.text, router));
  if (hosts.kind === 'unknown') return undefined;
  return hosts.kind === 'move' ? { edits: plan.edits, files: hosts.files } : { edits: plan.edits };
}

/**
 * The router (`express.Router()`) a handler is registered on when it takes the event from a body
 * that middleware outside this file parsed (not `JSON.parse(req.body)` of raw bytes): the mount
 * order in the host decides whether a route-level raw parser ever sees the bytes.
 */
export function routerBodyParsedUpstream(model: CodeModel, h: WebhookHandler): string | undefined {
  if (model.lang !== 'js') return undefined;
  const router = foreignRouter(model, h);
  if (!router) return undefined;
  const parses = ir.find(h.fn.body, (n) => n.type === 'Call' && PARSE.test(ir.dottedName(n.callee) ?? '') && n.args.some((a) => taintOf(model, a) === 'request'));
  return parses ? undefined : router;
}

// ---------------------------------------------------------------------------------------------
// JS / TS

function planJs(model: CodeModel, h: WebhookHandler): VerifyPlan | undefined {
  const fn = h.fn;
  const framework = h.route?.framework;
  if (isFetchHandler(h)) return planFetchHandler(model, h);
  if (framework && framework !== 'express') return undefined;
  const [reqName, resName] = [fn.params[0]?.name, fn.params[1]?.name];
  if (!reqName || !resName || fn.body.type !== 'Block') return undefined;
  const verified = !!verificationOf(model, h).verified;
  const handlerEdits = verified ? [] : jsHandlerEdits(model, h, reqName, resName);
  if (!handlerEdits) return undefined;
  const route = h.route?.node.type === 'Call' ? h.route : undefined;
  if (!route) return verified ? undefined : { edits: handlerEdits, movesRoute: false };
  const reg = route.node as ir.Call;
  const routeEdits = [...handlerEdits];
  const hasRaw = route.middleware.some(isRawParser);
  if (!hasRaw) {
    const raw = rawParserName(model);
    if (!raw) return undefined;
    const q = quoteOf(model);
    const rawCall = `${raw}({ type: ${q}application/json${q} })`;
    const json = route.middleware.find((m) => isJsonParser(model, m));
    const handlerArg = reg.args[reg.args.length - 1];
    routeEdits.push(json ? { start: json.start, end: json.end, newText: rawCall } : { start: handlerArg.start, end: handlerArg.start, newText: `${rawCall}, ` });
  }
  const use = jsonParserBefore(model, route);
  if (!use) return { edits: routeEdits, movesRoute: false };
  const move = routeMove(model, reg, use);
  if (!move) return undefined;
  const moved = applyEdits(model.text.slice(move.from, move.to), routeEdits.map((e) => ({ start: e.start - move.from, end: e.end - move.from, newText: e.newText })));
  return {
    movesRoute: true,
    edits: [
      { start: move.insertAt, end: move.insertAt, newText: (move.blankAbove ? '' : '\n') + moved + '\n' },
      { start: move.from, end: move.to + move.trailingBlank, newText: '' },
    ],
  };
}

function jsHandlerEdits(model: CodeModel, h: WebhookHandler, req: string, res: string): TextEdit[] | undefined {
  const client = stripeClientName(model);
  if (!client) return undefined;
  const fn = h.fn;
  const text = model.text;
  const ts = /\.[cm]?tsx?$/i.test(model.file);
  const semi = usesSemicolons(model) ? ';' : '';
  const q = quoteOf(model);
  const reads = ir.findAll<ir.Member>(fn.body, (n) => n.type === 'Member' && n.prop === 'body' && ir.unwrap(n.object).type === 'Ident' && (ir.unwrap(n.object) as ir.Ident).name === req);
  if (!reads.length) return undefined;
  const secret = jsSecret(model, ts);
  const construct = `${client}.webhooks.constructEvent(${req}.body, ${req}.headers[${q}stripe-signature${q}]${ts ? ' as string' : ''}, ${secret})`;
  const message = ts ? '(err as Error).message' : 'err.message';
  const failure = `return ${res}.status(400).send(\`Webhook Error: \${${message}}\`)${semi}`;
  const unit = indentUnit(text);
  const edits: TextEdit[] = [];
  const source = eventSource(model, fn, (v) => v.type === 'Member' && reads.includes(v as ir.Member));
  let eventName = 'event';
  let handled: ir.Node | undefined;
  const block = (name: string, indent: string, typed: boolean) => {
    const type = typed && ts ? jsEventType(model, edits) : '';
    return `let ${name}${type}${semi}\n${indent}try {\n${indent}${unit}${name} = ${construct}${semi}\n${indent}} catch (err) {\n${indent}${unit}${failure}\n${indent}}`;
  };
  if (source && source.assign.target.type === 'Ident') {
    eventName = source.assign.target.name;
    handled = source.value;
    const tryStmt = enclosingTry(source.assign, fn);
    if (tryStmt && catchExits(tryStmt)) {
      edits.push({ start: source.value.start, end: source.value.end, newText: construct });
      // `let event;` typed from JSON.parse was `any`; give it the event type so closures see one.
      const decl = model.resolve(source.assign.target as ir.Ident)?.node;
      if (ts && decl?.type === 'Assign' && decl !== source.assign && !decl.value && decl.target.type === 'Ident' && !/^\s*:/.test(text.slice(decl.target.end))) {
        const type = jsEventType(model, edits);
        if (type) edits.push({ start: decl.target.end, end: decl.target.end, newText: type });
      }
    } else {
      const stmt = jsStatementRange(model, source.assign);
      if (!stmt || !stmt.declared) return undefined;
      edits.push({ start: stmt.start, end: stmt.end, newText: block(eventName, indentAt(text, stmt.start), true) });
    }
  } else {
    // The body is read in place (`req.body.type`, `const { type } = req.body`): build the event first.
    if (!reads.every(usedAsEvent)) return undefined;
    if (model.resolve(eventName, fn.body) && model.resolve(eventName, fn.body)!.scope === fn) eventName = 'stripeEvent';
    const first = (fn.body as ir.Block).body[0];
    if (!first) return undefined;
    const indent = indentAt(text, first.start);
    const at = lineStartOf(text, first.start) + indent.length;
    edits.push({ start: at, end: at, newText: `${block(eventName, indent, true)}\n\n${indent}` });
  }
  for (const r of reads) {
    if (handled && ir.isInside(r, handled)) continue;
    if (source && r.start < source.assign.start) continue;
    edits.push({ start: r.start, end: r.end, newText: eventName });
  }
  return edits;
}

/** Next.js App Router handlers and other Fetch-API handlers: `export async function POST(req: Request)`. */
function isFetchHandler(h: WebhookHandler): boolean {
  const fn = h.fn;
  if (fn.params.length !== 1 && !(fn.params.length === 2 && /^(ctx|context|params|_\w*)$/.test(fn.params[1].name ?? ''))) return false;
  const named = /^(GET|POST|PUT|PATCH|DELETE)$/.test(fn.name ?? '');
  return (h.route?.framework === 'next' && h.route.method !== 'ALL') || (!h.route && named && /\b(Next)?Request\b/.test(fn.params[0]?.typeText ?? 'Request'));
}

/**
 * `const event = await req.json()` becomes the raw text verified by constructEvent; a failure
 * answers 400 with a Response (NextResponse when the file uses it).
 */
function planFetchHandler(model: CodeModel, h: WebhookHandler): VerifyPlan | undefined {
  if (verificationOf(model, h).verified) return undefined;
  const fn = h.fn;
  const req = fn.params[0]?.name;
  const client = stripeClientName(model);
  if (!req || !client || fn.body.type !== 'Block' || !fn.async) return undefined;
  const reads = ir.findAll<ir.Call>(fn.body, (n) => n.type === 'Call' && n.callee.type === 'Member' && n.callee.prop === 'json' && ir.unwrap(n.callee.object).type === 'Ident' && (ir.unwrap(n.callee.object) as ir.Ident).name === req);
  const source = eventSource(model, fn, (v) => reads.some((r) => r === v));
  if (!source || source.assign.target.type !== 'Ident' || reads.length !== 1) return undefined;
  const stmt = jsStatementRange(model, source.assign);
  if (!stmt?.declared) return undefined;
  const text = model.text;
  const ts = /\.[cm]?tsx?$/i.test(model.file);
  const semi = usesSemicolons(model) ? ';' : '';
  const q = quoteOf(model);
  const unit = indentUnit(text);
  const indent = indentAt(text, stmt.start);
  const name = source.assign.target.name;
  const payload = model.resolve('payload', fn.body)?.scope === fn ? 'rawBody' : 'payload';
  const edits: TextEdit[] = [];
  const type = ts ? jsEventType(model, edits) : '';
  const nextResponse = model.imports.some((i) => i.module === 'next/server' && i.names.some((n) => n.imported === 'NextResponse'));
  const message = ts ? '(err as Error).message' : 'err.message';
  const failure = nextResponse
    ? `return NextResponse.json({ error: \`Webhook Error: \${${message}}\` }, { status: 400 })${semi}`
    : `return new Response(\`Webhook Error: \${${message}}\`, { status: 400 })${semi}`;
  const construct = `${client}.webhooks.constructEvent(${payload}, ${req}.headers.get(${q}stripe-signature${q}) ?? ${q}${q}, ${jsSecret(model, ts)})`;
  edits.push({
    start: stmt.start,
    end: stmt.end,
    newText: `const ${payload} = await ${req}.text()${semi}\n${indent}let ${name}${type}${semi}\n${indent}try {\n${indent}${unit}${name} = ${construct}${semi}\n${indent}} catch (err) {\n${indent}${unit}${failure}\n${indent}}`,
  });
  return { edits, movesRoute: false };
}

/** `let event: Stripe.Event`: the type name needs `Stripe` imported, added when missing. */
function jsEventType(model: CodeModel, edits: TextEdit[]): string {
  const imp = model.imports.find((i) => i.module === 'stripe' && i.names.some((n) => n.imported === 'default'));
  if (imp) return `: ${imp.names.find((n) => n.imported === 'default')!.local}.Event`;
  if (model.resolve('Stripe', model.root)) return '';
  const last = [...model.imports].filter((i) => i.parent?.type === 'Program').pop();
  const q = quoteOf(model);
  const semi = usesSemicolons(model) ? ';' : '';
  const at = last ? last.end : 0;
  edits.push({ start: at, end: at, newText: last ? `\nimport type Stripe from ${q}stripe${q}${semi}` : `import type Stripe from ${q}stripe${q}${semi}\n` });
  return ': Stripe.Event';
}

function jsSecret(model: CodeModel, ts: boolean): string {
  for (const [name, b] of model.bindings(model.root)) {
    if (b.kind === 'var' && /webhook_?secret|endpoint_?secret|signing_?secret|whsec/i.test(name)) return name + (ts && isEnvRead(model, b.value) ? '!' : '');
  }
  return `process.env.STRIPE_WEBHOOK_SECRET${ts ? '!' : ''}`;
}

function isEnvRead(model: CodeModel, v?: ir.Node): boolean {
  return !!v && /process\.env|import\.meta\.env/.test(model.text.slice(v.start, v.end)) && !/\?\?|\|\|/.test(model.text.slice(v.start, v.end));
}

interface EventSource { assign: ir.Assign; value: ir.Node }

const PARSE = /^(JSON\.parse|json\.loads)$|(^|\.)Event\.construct_from$/;

/**
 * The statement that turns the request body into the event: a parse of request data
 * (`event = JSON.parse(req.body)`, `event = json.loads(payload)` after `payload = request.data`),
 * else a plain read (`const event = req.body`, `event = request.get_json()`). The first counts.
 */
function eventSource(model: CodeModel, fn: ir.Func, isRead: (v: ir.Node) => boolean): EventSource | undefined {
  let parsed: EventSource | undefined;
  let read: EventSource | undefined;
  ir.walk(fn.body, (n) => {
    if (parsed || (n.type === 'Func' && n !== fn)) return false;
    if (n.type !== 'Assign' || n.op !== '=' || !n.value) return;
    const v = ir.unwrap(n.value);
    const value = n.value.type === 'Await' ? n.value : v;
    if (v.type === 'Call' && PARSE.test(ir.dottedName(v.callee) ?? '') && v.args.some((a) => taintOf(model, a) === 'request')) parsed = { assign: n, value };
    else if (!read && isRead(v)) read = { assign: n, value };
  });
  // A raw read kept in a variable and parsed later (`payload = request.data`) is not the event.
  return parsed ?? read;
}

/** Reads used in place as the event: `req.body.type`, `request.json["type"]`, `const { type } = req.body`. */
function usedAsEvent(r: ir.Node): boolean {
  const n = r.parent?.type === 'Await' ? r.parent : r;
  const p = n.parent;
  if ((p?.type === 'Member' || p?.type === 'Index') && p.object === n) return true;
  if (p?.type === 'Call' && p.callee.type === 'Member' && p.callee.object === n) return false;
  return p?.type === 'Assign' && p.value === n && p.target.type === 'ObjectLit';
}

function enclosingTry(n: ir.Node, fn: ir.Func): ir.Try | undefined {
  for (let p = n.parent; p && p !== fn; p = p.parent) if (p.type === 'Try') return ir.isInside(n, p.block) ? p : undefined;
  return undefined;
}

/** The catch ends the request (returns or throws), so a failed verification cannot fall through. */
function catchExits(t: ir.Try): boolean {
  const h = t.handlers[0];
  if (!h) return false;
  if (h.typeNode && !/^(Exception|BaseException|ValueError)$|^\(/.test(ir.dottedName(h.typeNode) ?? '(')) return false;
  return !!ir.find(h.body, (n) => n.type === 'Return' || n.type === 'Throw');
}

/** The whole `const x = ...;` statement of a declaration (single declarator only). */
function jsStatementRange(model: CodeModel, a: ir.Assign): { start: number; end: number; declared: boolean } | undefined {
  const text = model.text;
  if (!a.decl) {
    const stmt = a.parent?.type === 'ExprStmt' ? a.parent : undefined;
    return stmt ? { start: stmt.start, end: stmt.end, declared: false } : undefined;
  }
  const ls = lineStartOf(text, a.start);
  const m = /^(\s*)(const|let|var)\s+$/.exec(text.slice(ls, a.start));
  if (!m) return undefined;
  let end = a.end;
  while (text[end] === ' ') end++;
  if (text[end] === ';') end++;
  else if (text[end] === ',') return undefined;
  return { start: ls + m[1].length, end, declared: true };
}

interface RouteMove { from: number; to: number; trailingBlank: number; insertAt: number; blankAbove: boolean }

/**
 * Moving `app.post('/webhook', ...)` above `app.use(express.json())` is safe when both are
 * top-level statements and everything the registration evaluates right away (its middleware
 * and a named handler) is already defined at the new place.
 */
function routeMove(model: CodeModel, reg: ir.Call, use: ir.Call): RouteMove | undefined {
  const regStmt = reg.parent?.type === 'ExprStmt' && reg.parent.parent?.type === 'Program' ? reg.parent : undefined;
  const useStmt = use.parent?.type === 'ExprStmt' && use.parent.parent?.type === 'Program' ? use.parent : undefined;
  if (!regStmt || !useStmt) return undefined;
  const dest = leadingCommentStart(model.text, useStmt.start);
  for (const arg of reg.args) {
    let ok = true;
    ir.walk(arg, (n) => {
      if (n.type === 'Func') return false;
      if (n.type !== 'Ident' || (n.parent?.type === 'Member' && (n.parent as ir.Member).object !== n)) return;
      const b = model.resolve(n);
      if (!b) return;
      if (b.kind === 'import' || b.kind === 'func') return;
      if (b.node.start >= dest) ok = false;
    });
    if (!ok) return undefined;
  }
  const text = model.text;
  const from = leadingCommentStart(text, regStmt.start);
  let to = text.indexOf('\n', regStmt.end);
  to = to === -1 ? text.length : to + 1;
  const blankBefore = from >= 2 && text[from - 1] === '\n' && text[from - 2] === '\n';
  const trailingBlank = blankBefore && text[to] === '\n' ? 1 : 0;
  const blankAbove = dest === 0 || text.slice(0, dest).endsWith('\n\n');
  return { from, to, trailingBlank, insertAt: dest, blankAbove };
}

/** Start of the line holding `offset`, moved up over the comment lines directly above it. */
function leadingCommentStart(text: string, offset: number): number {
  let start = lineStartOf(text, offset);
  for (;;) {
    if (start === 0) return start;
    const prev = lineStartOf(text, start - 1);
    const line = text.slice(prev, start - 1).trim();
    if (!/^(\/\/|#|\/\*|\*)/.test(line)) return start;
    start = prev;
  }
}

// ---------------------------------------------------------------------------------------------
// Python

type PyFramework = 'flask' | 'fastapi' | 'django';

function planPy(model: CodeModel, h: WebhookHandler): VerifyPlan | undefined {
  if (verificationOf(model, h).verified) return undefined;
  const fn = h.fn;
  const framework = pyFramework(model, h);
  if (!framework || fn.body.type !== 'Block' || !(fn.body as ir.Block).body.length) return undefined;
  const text = model.text;
  const q = quoteOf(model);
  const reqParam = fn.params.find((p) => p.name && (/Request\b/.test(p.typeText ?? '') || /^(request|req)$/.test(p.name)))?.name;
  let reqName: string;
  if (framework === 'flask') {
    const imp = model.imports.find((i) => i.module === 'flask' || i.module === 'quart');
    const local = imp?.names.find((n) => n.imported === 'request')?.local;
    if (!local) return undefined;
    reqName = local;
  } else {
    if (!reqParam) return undefined;
    if (framework === 'fastapi' && !fn.async) return undefined;
    reqName = reqParam;
  }
  const reads = pyPayloadReads(model, fn);
  if (!reads.length) return undefined;
  const edits: TextEdit[] = [];
  const stripe = stripeClientName(model) ?? addPyImport(model, edits, 'import stripe', 'stripe');
  const payload = framework === 'flask' ? `${reqName}.get_data()` : framework === 'fastapi' ? `await ${reqName}.body()` : `${reqName}.body`;
  const sig = framework === 'django' ? `${reqName}.META.get(${q}HTTP_STRIPE_SIGNATURE${q})` : `${reqName}.headers.get(${q}${framework === 'flask' ? 'Stripe-Signature' : 'stripe-signature'}${q})`;
  const secret = pySecret(model, edits, q);
  const failure = pyFailure(model, edits, framework, q);
  if (!failure) return undefined;
  const unit = indentUnit(text);
  const source = eventSource(model, fn, (v) => reads.some((r) => r === v || (v.type === 'Await' && v.arg === r)));
  const construct = `${stripe}.Webhook.construct_event(${rawPayloadVar(model, source) ?? payload}, ${sig}, ${secret})`;
  const block = (name: string, indent: string) =>
    `try:\n${indent}${unit}${name} = ${construct}\n${indent}except (ValueError, ${stripe}.SignatureVerificationError) as e:\n${indent}${unit}${failure}`;
  let eventName = 'event';
  let handled: ir.Node | undefined;
  if (source && source.assign.target.type === 'Ident') {
    eventName = source.assign.target.name;
    handled = source.value;
    const tryStmt = enclosingTry(source.assign, fn);
    if (tryStmt && catchExits(tryStmt) && tryStmt.handlers.some((c) => !c.typeNode || /Exception/.test(ir.dottedName(c.typeNode) ?? ''))) {
      edits.push({ start: source.value.start, end: source.value.end, newText: construct });
    } else {
      edits.push({ start: source.assign.start, end: source.assign.end, newText: block(eventName, indentAt(text, source.assign.start)) });
    }
  } else {
    if (!reads.every(usedAsEvent)) return undefined;
    if (model.bindings(fn).has(eventName)) eventName = 'stripe_event';
    const first = (fn.body as ir.Block).body[0];
    const indent = indentAt(text, first.start);
    edits.push({ start: first.start, end: first.start, newText: `${block(eventName, indent)}\n\n${indent}` });
  }
  for (const r of reads) {
    if (handled && ir.isInside(r, handled)) continue;
    if (source && r.start < source.assign.start) continue;
    const node = r.parent?.type === 'Await' ? r.parent : r;
    edits.push({ start: node.start, end: node.end, newText: eventName });
  }
  return { edits, movesRoute: false };
}

/** `payload` in `payload = request.data` ... `json.loads(payload)`: the raw bytes are already at hand. */
function rawPayloadVar(model: CodeModel, source?: EventSource): string | undefined {
  if (!source) return undefined;
  const arg = ir.find(source.value, (n) => {
    if (n.type !== 'Ident') return false;
    const raw = model.valueOf(n);
    const u = raw && ir.unwrap(raw);
    return (u?.type === 'Member' && /^(data|body)$/.test(u.prop) && isRequestObject(model, u.object))
      || (u?.type === 'Call' && u.callee.type === 'Member' && /^(get_data|body)$/.test(u.callee.prop) && isRequestObject(model, u.callee.object));
  });
  return arg?.type === 'Ident' ? arg.name : undefined;
}

function pyFramework(model: CodeModel, h: WebhookHandler): PyFramework | undefined {
  const f = h.route?.framework;
  if (f === 'flask' || f === 'fastapi' || f === 'django') return f;
  if (model.usesModule((m) => m === 'fastapi' || m.startsWith('fastapi.') || m.startsWith('starlette'))) return 'fastapi';
  if (model.usesModule((m) => m.startsWith('django'))) return 'django';
  if (model.usesModule((m) => m === 'flask' || m === 'quart')) return 'flask';
  return undefined;
}

/** Reads of the parsed body: `request.get_json()`, `request.json`, `await request.json()`, `request.body`/`request.data`. */
function pyPayloadReads(model: CodeModel, fn: ir.Func): ir.Node[] {
  return ir.findAll(fn.body, (n) => {
    if (n.type === 'Member') return isRequestRead(model, n) && /^(json|data|body)$/.test(n.prop) && !(n.parent?.type === 'Call' && (n.parent as ir.Call).callee === n);
    if (n.type === 'Call' && n.callee.type === 'Member') return /^(get_json|json|get_data|body)$/.test(n.callee.prop) && isRequestObject(model, n.callee.object);
    return false;
  });
}

function pySecret(model: CodeModel, edits: TextEdit[], q: string): string {
  for (const [name, b] of model.bindings(model.root)) {
    if (b.kind === 'var' && /webhook_?secret|endpoint_?secret|signing_?secret|whsec/i.test(name)) return name;
  }
  const os = addPyImport(model, edits, 'import os', 'os');
  return `${os}.environ[${q}STRIPE_WEBHOOK_SECRET${q}]`;
}

function pyFailure(model: CodeModel, edits: TextEdit[], framework: PyFramework, q: string): string | undefined {
  const msg = `f${q}Webhook Error: {e}${q}`;
  if (framework === 'flask') return `return ${msg}, 400`;
  if (framework === 'fastapi') {
    const name = addPyFromImport(model, edits, 'fastapi', 'HTTPException');
    return `raise ${name}(status_code=400, detail=${msg})`;
  }
  const name = addPyFromImport(model, edits, 'django.http', 'HttpResponse');
  return `return ${name}(${msg}, status=400)`;
}

/** The local name of a module, adding `import x` above the first import when the file has none. */
function addPyImport(model: CodeModel, edits: TextEdit[], line: string, module: string): string {
  for (const imp of model.imports) if (imp.module === module) for (const n of imp.names) if (n.imported === '*') return n.local;
  // Among the plain `import x` lines, in alphabetical order; else above the first import.
  const top = model.imports.filter((i) => i.parent?.type === 'Program' && i.module !== '__future__');
  const plain = top.filter((i) => /^import\s/.test(model.text.slice(i.start, i.end)));
  const next = plain.find((i) => i.module > module);
  const lineAfter = (n: ir.Node) => { const nl = model.text.indexOf('\n', n.end); return nl === -1 ? model.text.length : nl + 1; };
  const at = next ? lineStartOf(model.text, next.start) : plain.length ? lineAfter(plain[plain.length - 1]) : top.length ? lineStartOf(model.text, top[0].start) : 0;
  const existing = edits.find((e) => e.start === at && e.end === at && e.newText.endsWith('\n') && /^import /.test(e.newText));
  if (existing) existing.newText = [...existing.newText.trim().split('\n'), line].sort().join('\n') + '\n';
  else edits.push({ start: at, end: at, newText: `${line}\n` });
  return module;
}

/** The local name of `from module import name`, extending an existing import of that module. */
function addPyFromImport(model: CodeModel, edits: TextEdit[], module: string, name: string): string {
  const imps = model.imports.filter((i) => i.module === module);
  for (const imp of imps) for (const n of imp.names) if (n.imported === name) return n.local;
  const imp = imps.find((i) => !model.text.slice(i.start, i.end).includes('('));
  if (imp) {
    edits.push({ start: imp.end, end: imp.end, newText: `, ${name}` });
    return name;
  }
  const last = model.imports.filter((i) => i.parent?.type === 'Program').pop();
  const at = last ? last.end : 0;
  edits.push({ start: at, end: at, newText: last ? `\nfrom ${module} import ${name}` : `from ${module} import ${name}\n` });
  return name;
}
