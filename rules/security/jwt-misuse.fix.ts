// The fixes of jwt-misuse: "Verify instead of decode" (with the secret and algorithm the file
// already uses), "Reject alg none" (take `none` out of the algorithms list) and "Add expiry"
// (`expiresIn`, jose's setExpirationTime, a PyJWT `exp` claim).
import * as ir from '../kit/model/ir';
import type { CodeModel } from '../kit/model/model';
import type { TextEdit } from '../kit/rule';
import { constantString } from '../kit/model/values';
import { jsString, pyString, src } from '../kit/model/literals';
import { quoteOf } from '../kit/fixes/style';
import { addPyFromImport, addPyImport } from '../kit/fixes/py-imports';
import { appendProp } from '../kit/fixes/object-edits';
import { algorithmsOf, jsOptionsArg, jwtCall, jwtCalls, noneAlgorithm, objectOf, type JwtCall } from '../kit/frameworks/jwt';

export interface JwtFixData { kind: 'decode' | 'none' | 'expiry'; call: number[] }
export type JwtPlan = { edits: TextEdit[]; title?: string } | { reason: string };

const ENV_SECRET = 'JWT_SECRET';

export function planJwtFix(model: CodeModel, data: JwtFixData): JwtPlan {
  const [s, e] = data.call ?? [];
  const call = model.calls.find((c) => c.start === s && c.end === e);
  const j = call && jwtCall(model, call);
  if (!j) return { reason: 'the call is no longer there' };
  if (data.kind === 'none') return rejectNone(model, j);
  if (data.kind === 'expiry') return addExpiry(model, j);
  return model.lang === 'py' ? pyVerify(model, j) : jsVerify(model, j);
}

function q(model: CodeModel): string {
  return quoteOf(model);
}

/** The secret and algorithm another sign/verify of the file uses, so the fix verifies what the app signs. */
function knownKey(model: CodeModel, except: ir.Call): { key?: string; alg?: string } {
  let alg: string | undefined;
  for (const j of jwtCalls(model)) {
    if (j.call === except || j.op === 'unverified') continue;
    const pos = ir.positional(j.call);
    const keyNode = pos[1] ?? ir.keywordArg(j.call, 'key');
    if (!keyNode || (j.lib === 'jose' && j.op === 'sign') || !readableAt(model, keyNode, except)) continue;
    if (model.lang === 'py') {
      alg = constantString(model, ir.keywordArg(j.call, 'algorithm') ?? { type: 'Lit', value: 'null', start: 0, end: 0 }) ?? firstAlg(model, j);
    } else {
      const o = objectOf(model, jsOptionsArg(j));
      const a = o && ir.propOf(o, 'algorithm');
      alg = (a && constantString(model, a.value)) ?? firstAlg(model, j);
    }
    return { key: src(model, keyNode), alg };
  }
  return {};
}

/** Every name in the key expression means the same thing where the fix writes it (no other function's parameter). */
function readableAt(model: CodeModel, keyNode: ir.Node, at: ir.Node): boolean {
  const names = ir.findAll<ir.Ident>(keyNode, (n) => n.type === 'Ident');
  if (ir.unwrap(keyNode).type === 'Ident') names.push(ir.unwrap(keyNode) as ir.Ident);
  return names.every((id) => {
    const here = model.resolve(id);
    return model.resolve(id.name, at) === here;
  });
}

function firstAlg(model: CodeModel, j: JwtCall): string | undefined {
  const list = algorithmsOf(model, j);
  const u = list && ir.unwrap(list);
  if (u?.type !== 'ArrayLit') return undefined;
  return u.elements.map((e) => constantString(model, e)).find((a) => a && a.toLowerCase() !== 'none');
}

function jsVerify(model: CodeModel, j: JwtCall): JwtPlan {
  if (j.lib === 'jose') return joseVerify(model, j);
  const callee = j.call.callee;
  if (callee.type !== 'Member') return { reason: 'decode is imported on its own: call verify from the same module with the secret and algorithms' };
  const token = ir.positional(j.call)[0];
  if (!token) return { reason: 'the call has no token argument' };
  const { key, alg } = knownKey(model, j.call);
  const quote = q(model);
  const opts = objectOf(model, ir.positional(j.call)[1]);
  const complete = opts && ir.propOf(opts, 'complete');
  const extra = complete ? `, ${src(model, complete)}` : '';
  if (!key && j.lib === 'jose-legacy') return { reason: 'legacy jose verifies with a key object and no other call here shows which: pass the signing key to JWT.verify' };
  const secret = key ?? `process.env.${ENV_SECRET}`;
  const algText = j.lib === 'jose-legacy' ? '' : `, { algorithms: [${jsString(alg ?? 'HS256', quote)}]${extra} }`;
  const text = `${src(model, callee.object)}.verify(${src(model, token)}, ${secret}${algText})`;
  return {
    edits: [{ start: j.call.start, end: j.call.end, newText: text }],
    title: key ? undefined : `Verify instead of decode (set ${ENV_SECRET} to the signing secret)`,
  };
}

/**
 * jose: `decodeJwt(token)` → `(await jwtVerify(token, key, { algorithms: [...] })).payload`, with the
 * key another jose call of the file signs or verifies with; jwtVerify is asynchronous, so only in
 * an async function.
 */
function joseVerify(model: CodeModel, j: JwtCall): JwtPlan {
  const reason = 'jose\'s jwtVerify is asynchronous and takes the signing key: replace decodeJwt(token) with (await jwtVerify(token, key, { algorithms })).payload';
  const fn = ir.enclosingFunction(j.call);
  const token = ir.positional(j.call)[0];
  if (!fn?.async || !token || j.call.callee.type !== 'Ident') return { reason };
  let key: string | undefined;
  let alg: string | undefined;
  for (const other of jwtCalls(model)) {
    if (other.lib !== 'jose' || other.call === j.call) continue;
    const keyNode = other.op === 'sign' ? ir.positional(other.call)[0] : other.op === 'verify' ? ir.positional(other.call)[1] : undefined;
    if (!keyNode || !readableAt(model, keyNode, j.call)) continue;
    key = src(model, keyNode);
    alg = other.op === 'verify' ? firstAlg(model, other) : joseHeaderAlg(model, other.call);
    break;
  }
  if (!key) return { reason };
  const imp = model.imports.find((i) => i.module === 'jose' && i.names.some((n) => n.local === (j.call.callee as ir.Ident).name));
  const existing = imp?.names.find((n) => n.imported === 'jwtVerify')?.local;
  const edits: TextEdit[] = [];
  const decodeName = (j.call.callee as ir.Ident).name;
  const otherUses = model.identsNamed(decodeName).filter((id) => id !== j.call.callee && !(imp && ir.isInside(id, imp)) && !(imp && id.start >= imp.start && id.end <= imp.end));
  const named = imp ? new RegExp(`\\b${decodeName}\\b`).exec(model.text.slice(imp.start, imp.end)) : null;
  if (!existing && imp && named && !otherUses.length && imp.names.find((n) => n.local === decodeName)?.imported === decodeName) {
    // decodeJwt has no other use: the import names jwtVerify instead.
    edits.push({ start: imp.start + named.index, end: imp.start + named.index + decodeName.length, newText: 'jwtVerify' });
  } else if (!existing) {
    const text = imp && model.text.slice(imp.start, imp.end);
    const close = text ? text.lastIndexOf('}') : -1;
    if (!imp || close < 0) return { reason };
    const before = text!.slice(0, close).trimEnd();
    const at = imp.start + before.length;
    edits.push({ start: at, end: at, newText: `${before.endsWith(',') ? '' : ','} jwtVerify` });
  }
  const quote = q(model);
  edits.push({ start: j.call.start, end: j.call.end, newText: `(await ${existing ?? 'jwtVerify'}(${src(model, token)}, ${key}, { algorithms: [${jsString(alg ?? 'HS256', quote)}] })).payload` });
  return { edits };
}

/** The `alg` of `new SignJWT(...).setProtectedHeader({ alg })` in a jose sign chain. */
function joseHeaderAlg(model: CodeModel, call: ir.Call): string | undefined {
  let cur: ir.Node = call.callee;
  while (cur.type === 'Call' || cur.type === 'Member') {
    if (cur.type === 'Call' && ir.calleeName(cur) === 'setProtectedHeader') {
      const o = objectOf(model, ir.positional(cur)[0]);
      const a = o && ir.propOf(o, 'alg');
      return a ? constantString(model, a.value) : undefined;
    }
    cur = cur.type === 'Call' ? cur.callee : cur.object;
  }
  return undefined;
}

function pyVerify(model: CodeModel, j: JwtCall): JwtPlan {
  const callee = j.call.callee as ir.Member;
  const style = { quote: q(model), prefix: '', triple: false };
  const pos = ir.positional(j.call);
  const token = pos[0] ?? ir.keywordArg(j.call, 'jwt') ?? ir.keywordArg(j.call, 'token');
  if (!token) return { reason: 'the call has no token argument' };
  const edits: TextEdit[] = [];
  const ownKey = pos[1] ?? ir.keywordArg(j.call, 'key');
  const usable = ownKey && !(ir.unwrap(ownKey).type === 'Lit') && constantString(model, ownKey) !== '';
  const known = knownKey(model, j.call);
  let key = usable ? src(model, ownKey) : known.key;
  let title: string | undefined;
  if (!key) {
    const os = addPyImport(model, edits, 'import os', 'os');
    key = `${os}.environ[${pyString(ENV_SECRET, style)}]`;
    title = `Verify instead of decode (set ${ENV_SECRET} to the signing secret)`;
  }
  const alg = firstAlg(model, j) ?? known.alg ?? 'HS256';
  const rest: string[] = [];
  for (const a of j.call.args) {
    if (a.type !== 'Keyword' || /^(key|jwt|token|algorithms|verify)$/.test(a.name)) continue;
    if (a.name === 'options') {
      const o = objectOf(model, a.value);
      if (!o) return { reason: 'the options are built elsewhere: remove verify_signature from them and pass the key and algorithms' };
      const kept = o.props.filter((p) => !(p.type === 'Prop' && p.key === 'verify_signature'));
      if (kept.length) rest.push(`options={${kept.map((p) => src(model, p)).join(', ')}}`);
      continue;
    }
    rest.push(src(model, a));
  }
  const method = callee.prop === 'decode_complete' ? 'decode_complete' : 'decode';
  const text = `${src(model, callee.object)}.${method}(${src(model, token)}, ${key}, algorithms=[${pyString(alg, style)}]${rest.map((r) => `, ${r}`).join('')})`;
  edits.push({ start: j.call.start, end: j.call.end, newText: text });
  return { edits, title };
}

function rejectNone(model: CodeModel, j: JwtCall): JwtPlan {
  const list = algorithmsOf(model, j);
  const none = noneAlgorithm(model, list);
  const arr = list && ir.unwrap(list);
  if (!none || arr?.type !== 'ArrayLit' || !arr.elements.includes(none)) return { reason: 'the algorithms list is built elsewhere: take "none" out of it' };
  const others = arr.elements.filter((e) => e !== none);
  const quote = q(model);
  if (!others.length) {
    const alg = model.lang === 'py' ? pyString('HS256', { quote, prefix: '', triple: false }) : jsString('HS256', quote);
    return { edits: [{ start: none.start, end: none.end, newText: alg }] };
  }
  const i = arr.elements.indexOf(none);
  // Remove the element with the separator on one side of it.
  const edit = i < arr.elements.length - 1
    ? { start: none.start, end: arr.elements[i + 1].start, newText: '' }
    : { start: arr.elements[i - 1].end, end: none.end, newText: '' };
  return { edits: [edit] };
}

function addExpiry(model: CodeModel, j: JwtCall): JwtPlan {
  const quote = q(model);
  if (j.lib === 'jose') {
    const callee = j.call.callee as ir.Member;
    return { edits: [{ start: callee.object.end, end: callee.object.end, newText: `.setExpirationTime(${jsString('1h', quote)})` }] };
  }
  if (model.lang === 'py') {
    const payload = objectOf(model, ir.positional(j.call)[0] ?? ir.keywordArg(j.call, 'payload') ?? ir.keywordArg(j.call, 'claims'));
    if (!payload) return { reason: 'the payload is built elsewhere: add an exp claim' };
    const edits: TextEdit[] = [];
    const expiry = pyExpiry(model, edits);
    edits.push(appendProp(model, payload, `${pyString('exp', { quote, prefix: '', triple: false })}: ${expiry}`));
    return { edits };
  }
  const pos = ir.positional(j.call);
  const optsArg = pos[2] && ir.unwrap(pos[2]).type !== 'Func' ? pos[2] : undefined;
  const prop = `expiresIn: ${jsString('1h', quote)}`;
  if (!optsArg) {
    if (!pos[1]) return { reason: 'the call has no secret argument' };
    return { edits: [{ start: pos[1].end, end: pos[1].end, newText: `, { ${prop} }` }] };
  }
  const opts = objectOf(model, optsArg);
  if (!opts) return { reason: 'the options are built elsewhere: add expiresIn to them' };
  return { edits: [appendProp(model, opts, prop)] };
}

/** `datetime.now(timezone.utc) + timedelta(hours=1)` in the names the file imports datetime under. */
function pyExpiry(model: CodeModel, edits: TextEdit[]): string {
  const mod = model.moduleOf('datetime');
  if (mod && mod.module === 'datetime' && (mod.imported === '*' || mod.imported === 'datetime') && !model.imports.some((i) => i.module === 'datetime' && /^from\s/.test(model.text.slice(i.start, i.end)))) {
    return 'datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=1)';
  }
  const names = ['datetime', 'timedelta', 'timezone'];
  const local = (n: string) => model.imports.flatMap((i) => (i.module === 'datetime' ? i.names : [])).find((x) => x.imported === n)?.local;
  const missing = names.filter((n) => !local(n));
  if (missing.length) addPyFromImport(model, edits, 'datetime', missing.join(', '));
  const [dt, td, tz] = names.map((n) => local(n) ?? n);
  return `${dt}.now(${tz}.utc) + ${td}(hours=1)`;
}
