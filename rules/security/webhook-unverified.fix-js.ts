// The "Verify webhook signature" fix for JS/TS handlers: Express-style (req, res) handlers and
// Fetch-API route handlers (Next.js App Router); Stripe, Svix and GitHub (fix-providers.ts).
import * as ir from '../kit/model/ir';
import type { CodeModel } from '../kit/model/model';
import type { TextEdit } from '../kit/rule';
import { applyEdits } from '../kit/fixes/edits';
import { indentAt, indentUnit, lineStartOf } from '../kit/model/literals';
import { isJsonParser, isRawParser, jsonParserBefore, rawParserName } from '../kit/frameworks/body-parsers';
import { quoteOf, usesSemicolons } from '../kit/fixes/style';
import type { WebhookHandler } from '../kit/frameworks/webhooks';
import { verificationOf } from '../kit/frameworks/webhook-verify';
import { eventSource, usedAsEvent, enclosingTry, catchExits } from './webhook-unverified.fix-event';
import { VerifyPlan } from './webhook-unverified.fix';
import { jsVerifier } from './webhook-unverified.fix-providers';

// ---------------------------------------------------------------------------------------------
// JS / TS

export function planJs(model: CodeModel, h: WebhookHandler): VerifyPlan | undefined {
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
  const fn = h.fn;
  const text = model.text;
  const ts = /\.[cm]?tsx?$/i.test(model.file);
  const semi = usesSemicolons(model) ? ';' : '';
  const q = quoteOf(model);
  const reads = ir.findAll<ir.Member>(fn.body, (n) => n.type === 'Member' && n.prop === 'body' && ir.unwrap(n.object).type === 'Ident' && (ir.unwrap(n.object) as ir.Ident).name === req);
  if (!reads.length) return undefined;
  const edits: TextEdit[] = [];
  const verifier = jsVerifier(model, h.provider, edits);
  if (!verifier) return undefined;
  const construct = verifier.construct(`${req}.body`, (name) => `${req}.headers[${q}${name}${q}]${ts && verifier.stripeTyped ? ' as string' : ''}`, `${req}.headers`);
  const message = ts ? '(err as Error).message' : 'err.message';
  const failure = `return ${res}.status(400).send(\`Webhook Error: \${${message}}\`)${semi}`;
  const unit = indentUnit(text);
  const source = eventSource(model, fn, (v) => v.type === 'Member' && reads.includes(v as ir.Member));
  let eventName = 'event';
  let handled: ir.Node | undefined;
  const block = (name: string, indent: string, typed: boolean) => {
    const type = typed && ts && verifier.stripeTyped ? jsEventType(model, edits) : '';
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
      if (ts && verifier.stripeTyped && decl?.type === 'Assign' && decl !== source.assign && !decl.value && decl.target.type === 'Ident' && !/^\s*:/.test(text.slice(decl.target.end))) {
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
  if (!req || fn.body.type !== 'Block' || !fn.async) return undefined;
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
  const verifier = jsVerifier(model, h.provider, edits);
  if (!verifier) return undefined;
  const type = ts && verifier.stripeTyped ? jsEventType(model, edits) : '';
  const nextResponse = model.imports.some((i) => i.module === 'next/server' && i.names.some((n) => n.imported === 'NextResponse'));
  const message = ts ? '(err as Error).message' : 'err.message';
  const failure = nextResponse
    ? `return NextResponse.json({ error: \`Webhook Error: \${${message}}\` }, { status: 400 })${semi}`
    : `return new Response(\`Webhook Error: \${${message}}\`, { status: 400 })${semi}`;
  const construct = verifier.construct(payload, (name) => `${req}.headers.get(${q}${name}${q}) ?? ${q}${q}`, `Object.fromEntries(${req}.headers)`);
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
