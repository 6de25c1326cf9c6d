// The "Verify webhook signature" fix for Python views: Flask, FastAPI and Django; Stripe, Svix and GitHub.
import * as ir from '../kit/model/ir';
import type { CodeModel } from '../kit/model/model';
import type { TextEdit } from '../kit/rule';
import { indentAt, indentUnit } from '../kit/model/literals';
import { quoteOf } from '../kit/fixes/style';
import { isRequestObject, isRequestRead } from '../kit/frameworks/taint';
import type { WebhookHandler } from '../kit/frameworks/webhooks';
import { verificationOf } from '../kit/frameworks/webhook-verify';
import { EventSource, eventSource, usedAsEvent, enclosingTry, catchExits } from './webhook-unverified.fix-event';
import { addPyFromImport } from '../kit/fixes/py-imports';
import { VerifyPlan } from './webhook-unverified.fix';
import { pyVerifier } from './webhook-unverified.fix-providers';

// ---------------------------------------------------------------------------------------------
// Python

type PyFramework = 'flask' | 'fastapi' | 'django';

export function planPy(model: CodeModel, h: WebhookHandler): VerifyPlan | undefined {
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
  const verifier = pyVerifier(model, h.provider, edits);
  if (!verifier) return undefined;
  const payload = framework === 'flask' ? `${reqName}.get_data()` : framework === 'fastapi' ? `await ${reqName}.body()` : `${reqName}.body`;
  const header = (name: string) => framework === 'django' ? `${reqName}.META.get(${q}HTTP_${name.toUpperCase().replace(/-/g, '_')}${q})` : `${reqName}.headers.get(${q}${framework === 'flask' ? name : name.toLowerCase()}${q})`;
  const failure = pyFailure(model, edits, framework, q);
  if (!failure) return undefined;
  const unit = indentUnit(text);
  const source = eventSource(model, fn, (v) => reads.some((r) => r === v || (v.type === 'Await' && v.arg === r)));
  const construct = verifier.construct(rawPayloadVar(model, source) ?? payload, header, framework === 'django' ? `${reqName}.headers` : `${reqName}.headers`);
  const block = (name: string, indent: string) =>
    `try:\n${indent}${unit}${name} = ${construct}\n${indent}except ${verifier.errors} as e:\n${indent}${unit}${failure}`;
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
