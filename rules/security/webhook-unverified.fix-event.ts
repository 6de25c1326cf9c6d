// Where a webhook handler gets its event from the request, shared by the JS and Python fixes.
import * as ir from '../kit/model/ir';
import type { CodeModel } from '../kit/model/model';
import { taintOf } from '../kit/frameworks/taint';

export function isEnvRead(model: CodeModel, v?: ir.Node): boolean {
  return !!v && /process\.env|import\.meta\.env/.test(model.text.slice(v.start, v.end)) && !/\?\?|\|\|/.test(model.text.slice(v.start, v.end));
}

export interface EventSource { assign: ir.Assign; value: ir.Node }

export const PARSE = /^(JSON\.parse|json\.loads)$|(^|\.)Event\.construct_from$/;

/**
 * The statement that turns the request body into the event: a parse of request data
 * (`event = JSON.parse(req.body)`, `event = json.loads(payload)` after `payload = request.data`),
 * else a plain read (`const event = req.body`, `event = request.get_json()`). The first counts.
 */
export function eventSource(model: CodeModel, fn: ir.Func, isRead: (v: ir.Node) => boolean): EventSource | undefined {
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
export function usedAsEvent(r: ir.Node): boolean {
  const n = r.parent?.type === 'Await' ? r.parent : r;
  const p = n.parent;
  if ((p?.type === 'Member' || p?.type === 'Index') && p.object === n) return true;
  if (p?.type === 'Call' && p.callee.type === 'Member' && p.callee.object === n) return false;
  return p?.type === 'Assign' && p.value === n && p.target.type === 'ObjectLit';
}

export function enclosingTry(n: ir.Node, fn: ir.Func): ir.Try | undefined {
  for (let p = n.parent; p && p !== fn; p = p.parent) if (p.type === 'Try') return ir.isInside(n, p.block) ? p : undefined;
  return undefined;
}

/** The catch ends the request (returns or throws), so a failed verification cannot fall through. */
export function catchExits(t: ir.Try): boolean {
  const h = t.handlers[0];
  if (!h) return false;
  if (h.typeNode && !/^(Exception|BaseException|ValueError)$|^\(/.test(ir.dottedName(h.typeNode) ?? '(')) return false;
  return !!ir.find(h.body, (n) => n.type === 'Return' || n.type === 'Throw');
}
