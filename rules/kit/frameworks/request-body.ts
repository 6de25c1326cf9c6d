// The request body as a whole: `req.body`, `ctx.request.body`, `await req.json()`, Flask
// `request.json`/`request.get_json()`, Django `request.POST`/`request.data`, and local names bound
// to one of them. A field read (`req.body.email`) is not the whole body; the whole body handed to a
// write is mass assignment.
import * as ir from '../model/ir';
import type { CodeModel } from '../model/model';
import { isRequestObject } from './taint';

const JS_BODY = new Set(['body']);
const PY_BODY = new Set(['json', 'data', 'POST', 'form']);
const BODY_CALLS = new Set(['json', 'get_json', 'formData']);
/** Copies of a body that are still the whole body (`request.POST.dict()`, `{ ...req.body }` is handled by callers). */
const COPIES = new Set(['dict', 'copy', 'to_dict', 'toObject']);

/** True when the expression evaluates to the whole request body. */
export function isWholeBody(model: CodeModel, n: ir.Node, depth = 0): boolean {
  if (depth > 4) return false;
  const u = ir.unwrap(n);
  if (u.type === 'Member') return (model.lang === 'js' ? JS_BODY : PY_BODY).has(u.prop) && isRequestObject(model, u.object);
  if (u.type === 'Call' && u.callee.type === 'Member') {
    const callee = u.callee;
    if (BODY_CALLS.has(callee.prop) && !u.args.length) return isRequestObject(model, callee.object);
    if (COPIES.has(callee.prop) && !u.args.length) return isWholeBody(model, callee.object, depth + 1);
    return false;
  }
  if (u.type === 'Ident') {
    const v = model.valueOf(u);
    return !!v && v !== u && isWholeBody(model, v, depth + 1);
  }
  return false;
}

/**
 * The fields of the body the function reads elsewhere, in order of first use: `req.body.email`,
 * `const { email, password } = req.body` (with the local name when destructured),
 * `request.json["email"]`, `data.get("email")`.
 */
export function bodyFieldsUsed(model: CodeModel, fn: ir.Func): { name: string; local?: ir.Node }[] {
  const out = new Map<string, { name: string; local?: ir.Node; at: number }>();
  const add = (name: string, at: number, local?: ir.Node) => {
    if (!/^[A-Za-z_$][\w$]*$/.test(name) || out.has(name)) return;
    out.set(name, { name, local, at });
  };
  for (const m of model.nodesOfType('Member')) {
    const called = m.parent?.type === 'Call' && m.parent.callee === m;
    if (!called && ir.isInside(m, fn) && isWholeBody(model, m.object) && !isWriteTarget(m)) add(m.prop, m.start);
  }
  for (const x of model.nodesOfType('Index')) {
    if (x.index.type === 'Str' && ir.isInside(x, fn) && isWholeBody(model, x.object) && !isWriteTarget(x)) add(x.index.value, x.start);
  }
  for (const c of model.nodesOfType('Call')) {
    if (c.callee.type !== 'Member' || c.callee.prop !== 'get' || c.args[0]?.type !== 'Str' || !ir.isInside(c, fn)) continue;
    if (isWholeBody(model, c.callee.object)) add(c.args[0].value, c.start);
  }
  for (const a of model.nodesOfType('Assign')) {
    if (!a.value || a.target.type !== 'ObjectLit' || !ir.isInside(a, fn) || !isWholeBody(model, a.value)) continue;
    for (const p of a.target.props) {
      if (p.type !== 'Prop' || !p.key) continue;
      const local = p.value && ir.unwrap(p.value).type === 'Ident' ? ir.unwrap(p.value) : p.value?.type === 'Assign' ? p.value.target : undefined;
      add(p.key, a.start, local);
    }
  }
  return [...out.values()].sort((x, y) => x.at - y.at);
}

function isWriteTarget(n: ir.Node): boolean {
  return n.parent?.type === 'Assign' && n.parent.target === n;
}
