// What a JWT library call does: sign, verify, or read claims without checking the signature, for
// jsonwebtoken, jose (its current functions and its legacy `JWT.sign/verify/decode` object),
// PyJWT and python-jose; and the options that govern it (algorithms, expiry, verify_signature).
import * as ir from '../model/ir';
import type { CodeModel } from '../model/model';
import { constantString, resolveValue } from '../model/values';
import { isJwtSign } from './tokens';

export type JwtLib = 'jsonwebtoken' | 'jose' | 'jose-legacy' | 'pyjwt' | 'python-jose';
/** `unverified`: the claims are read without checking the signature. */
export type JwtOp = 'sign' | 'verify' | 'unverified';

export interface JwtCall {
  lib: JwtLib;
  op: JwtOp;
  call: ir.Call;
  /** The Python option that turned verification off (`options={"verify_signature": False}`, `verify=False`). */
  verifyOff?: ir.Node;
}

const JS_OPS: Record<string, JwtOp> = { sign: 'sign', verify: 'verify', decode: 'unverified' };
const JOSE_FUNCS: Record<string, JwtOp> = { jwtVerify: 'verify', decodeJwt: 'unverified', jwtDecrypt: 'verify' };

/** The library of a local name: what it was imported or required from. */
function libOf(model: CodeModel, name: string): { lib: JwtLib; imported: string } | undefined {
  const m = model.moduleOf(name);
  if (!m) return undefined;
  if (m.module === 'jsonwebtoken') return { lib: 'jsonwebtoken', imported: m.imported };
  if (m.module === 'jose') {
    if (model.lang === 'py') return m.imported === 'jwt' ? { lib: 'python-jose', imported: m.imported } : undefined;
    return { lib: m.imported === 'JWT' ? 'jose-legacy' : 'jose', imported: m.imported };
  }
  if (model.lang === 'py' && (m.module === 'jwt' || m.module.startsWith('jwt.'))) return { lib: 'pyjwt', imported: m.imported };
  return undefined;
}

/** What a call does with a JWT, or undefined when it is no JWT library call. */
export function jwtCall(model: CodeModel, c: ir.Call): JwtCall | undefined {
  const callee = c.callee;
  if (model.lang === 'py') return pyJwtCall(model, c);
  if (callee.type === 'Ident') {
    const lib = libOf(model, callee.name);
    if (!lib) return undefined;
    if (lib.lib === 'jsonwebtoken' && JS_OPS[lib.imported]) return { lib: 'jsonwebtoken', op: JS_OPS[lib.imported], call: c };
    if (lib.lib === 'jose' && JOSE_FUNCS[lib.imported]) return { lib: 'jose', op: JOSE_FUNCS[lib.imported], call: c };
    return undefined;
  }
  if (callee.type !== 'Member') return undefined;
  if (callee.prop === 'sign' && isJwtSign(model, c) && !(ir.unwrap(callee.object).type === 'Ident')) return { lib: 'jose', op: 'sign', call: c };
  const obj = ir.unwrap(callee.object);
  if (obj.type === 'Ident') {
    const lib = libOf(model, obj.name);
    if (lib?.lib === 'jsonwebtoken' || (!lib && obj.name === 'jwt' && !model.resolve(obj))) {
      return JS_OPS[callee.prop] ? { lib: 'jsonwebtoken', op: JS_OPS[callee.prop], call: c } : undefined;
    }
    if (lib?.lib === 'jose-legacy') {
      return JS_OPS[callee.prop] ? { lib: 'jose-legacy', op: JS_OPS[callee.prop], call: c } : undefined;
    }
    if (lib?.lib === 'jose' && JOSE_FUNCS[callee.prop]) return { lib: 'jose', op: JOSE_FUNCS[callee.prop], call: c };
  }
  // `jose.JWT.verify(...)` with `const jose = require('jose')` (jose 1.x/2.x).
  if (obj.type === 'Member' && obj.prop === 'JWT' && ir.unwrap(obj.object).type === 'Ident' && libOf(model, (ir.unwrap(obj.object) as ir.Ident).name)?.lib === 'jose') {
    return JS_OPS[callee.prop] ? { lib: 'jose-legacy', op: JS_OPS[callee.prop], call: c } : undefined;
  }
  return undefined;
}

function pyJwtCall(model: CodeModel, c: ir.Call): JwtCall | undefined {
  const callee = c.callee;
  if (callee.type !== 'Member') return undefined;
  const obj = ir.unwrap(callee.object);
  if (obj.type !== 'Ident') return undefined;
  const lib = libOf(model, obj.name);
  if (!lib) return undefined;
  const l = lib.lib;
  if (callee.prop === 'encode') return { lib: l, op: 'sign', call: c };
  if (callee.prop === 'get_unverified_claims' && l === 'python-jose') return { lib: l, op: 'unverified', call: c };
  if (callee.prop !== 'decode' && callee.prop !== 'decode_complete') return undefined;
  const off = pyVerifyOff(model, c);
  return off ? { lib: l, op: 'unverified', call: c, verifyOff: off } : { lib: l, op: 'verify', call: c };
}

/** `options={"verify_signature": False}` (PyJWT 2, python-jose) or `verify=False` (PyJWT 1): the node that says so. */
function pyVerifyOff(model: CodeModel, c: ir.Call): ir.Node | undefined {
  const verify = ir.keywordArg(c, 'verify');
  if (verify && isFalse(verify)) return verify.parent?.type === 'Keyword' ? verify.parent : verify;
  const options = ir.keywordArg(c, 'options');
  const o = options && objectOf(model, options);
  const p = o && ir.propOf(o, 'verify_signature');
  return p && isFalse(p.value) ? p : undefined;
}

function isFalse(n: ir.Node): boolean {
  const u = ir.unwrap(n);
  return u.type === 'Lit' && u.value === 'false';
}

/** An object literal (JS object, Python dict) a value is, directly or through a local name. */
export function objectOf(model: CodeModel, n: ir.Node | undefined): ir.ObjectLit | undefined {
  if (!n) return undefined;
  const u = ir.unwrap(n);
  if (u.type === 'ObjectLit') return u;
  if (u.type === 'Call' && model.lang === 'py' && ir.calleeName(u) === 'dict' && u.callee.type === 'Ident') return undefined;
  const v = resolveValue(model, u);
  return v && v !== u && ir.unwrap(v).type === 'ObjectLit' ? (ir.unwrap(v) as ir.ObjectLit) : undefined;
}

/** The options argument of a JS call: jsonwebtoken's sign(payload, key, options), verify/decode(token, key?, options). */
export function jsOptionsArg(j: JwtCall): ir.Node | undefined {
  const pos = ir.positional(j.call);
  if (j.lib === 'jsonwebtoken' || j.lib === 'jose-legacy') {
    if (j.op === 'unverified') return pos[1];
    return pos[2] && ir.unwrap(pos[2]).type !== 'Func' ? pos[2] : undefined;
  }
  if (j.lib === 'jose' && j.op === 'verify') return pos[2];
  return undefined;
}

/** The algorithms list a verify call allows (`algorithms: [...]`, `algorithms=[...]`). */
export function algorithmsOf(model: CodeModel, j: JwtCall): ir.Node | undefined {
  if (model.lang === 'py') return ir.keywordArg(j.call, 'algorithms');
  const o = objectOf(model, jsOptionsArg(j));
  return o ? ir.propOf(o, 'algorithms')?.value : undefined;
}

/** The element of an algorithms list that allows unsigned tokens (`'none'`), if any. */
export function noneAlgorithm(model: CodeModel, list: ir.Node | undefined): ir.Node | undefined {
  if (!list) return undefined;
  const u = ir.unwrap(list);
  const arr = u.type === 'ArrayLit' ? u : (resolveValue(model, u) && ir.unwrap(resolveValue(model, u)!).type === 'ArrayLit' ? (ir.unwrap(resolveValue(model, u)!) as ir.ArrayLit) : undefined);
  if (!arr) return constantString(model, u)?.toLowerCase() === 'none' ? u : undefined;
  return arr.elements.find((e) => constantString(model, e)?.toLowerCase() === 'none');
}

/** All JWT library calls of the file, computed once. */
export function jwtCalls(model: CodeModel): JwtCall[] {
  return model.cached('jwtCalls', () => model.calls.map((c) => jwtCall(model, c)).filter((j): j is JwtCall => !!j));
}
