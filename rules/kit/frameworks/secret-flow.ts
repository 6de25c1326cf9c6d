// How a literal reaches a key: the slot it initialises (variable, property, keyword, parameter),
// what it passes through on the way (parentheses, encoders, `process.env.X || '...'` fallbacks),
// and the calls that take an argument as a key by construction (jwt.sign, new Stripe, session
// secrets, HMAC keys). Used by the hardcoded-secret rule; the facts are language-neutral.
import * as ir from '../model/ir';
import type { CodeModel } from '../model/model';
import { envReadName } from './config-values';
import { upperSnake } from './secrets';
import { excerpt } from './redact';

/** What a key argument is for. */
export type SinkKind = 'jwt' | 'session' | 'cookie' | 'stripe' | 'hmac' | 'cipher' | 'smtp' | 'database' | 'twilio' | 'apiKey';

export interface Sink {
  kind: SinkKind;
  /** How the call reads in messages. */
  call: string;
  /** A better variable name than the kind's default (`SENDGRID_API_KEY`). */
  envName?: string;
}

/** Where a literal lands: the variable, property, keyword or parameter it initialises. */
export interface Slot {
  name: string;
  /** How the slot reads in messages (`app.config["SECRET_KEY"]`). */
  label: string;
  node: ir.Node;
  /** The object literal holding a property slot (for sibling checks). */
  obj?: ir.ObjectLit;
  /** The slot is `process.env.X` / `os.environ["X"]` itself: the code sets the variable. */
  envTarget?: boolean;
}

/** `process.env.X || 'dev'`, `os.getenv("X", "dev")`, `config("X", default="dev")`. */
export interface Fallback { envName: string; expr: ir.Node; removeKeyword?: ir.Keyword }

const TRANSPARENT = new Set(['paren', 'as', 'satisfies', 'nonNull']);

/**
 * Climbs from a literal through what does not change its meaning (parentheses, fallbacks,
 * encoders such as `new TextEncoder().encode(...)`, `Buffer.from`, `"x".encode()`) to the slot
 * that names it, noting an environment read it is the fallback of.
 */
export function placeOf(model: CodeModel, lit: ir.Str): { slot?: Slot; fallback?: Fallback } {
  let n: ir.Node = lit;
  let fallback: Fallback | undefined;
  for (let guard = 0; guard < 12; guard++) {
    const p: ir.Node | undefined = n.parent;
    if (!p) break;
    if (p.type === 'Other' && TRANSPARENT.has(p.kind)) { n = p; continue; }
    if (p.type === 'Binary' && (p.op === '||' || p.op === '??') && p.right === n) {
      const env = envReadName(model, p.left);
      if (env) fallback = { envName: env, expr: p };
      n = p;
      continue;
    }
    if (p.type === 'Cond' && (p.then === n || p.else === n)) {
      const env = envReadName(model, p.then === n ? p.else : p.then);
      if (env) fallback = { envName: env, expr: p };
      n = p;
      continue;
    }
    if (p.type === 'ArrayLit' && !p.tuple) { n = p; continue; }
    if (p.type === 'Call') {
      if (wrappedValue(model, p) === n) { n = p; continue; }
      const env = envDefaultName(model, p, n);
      if (env) { fallback = { envName: env, expr: p }; n = p; continue; }
      break;
    }
    if (p.type === 'Member' && p.object === n && p.prop === 'encode' && p.parent?.type === 'Call' && p.parent.callee === p) { n = p.parent; continue; }
    if (p.type === 'Keyword' && p.name === 'default' && p.parent?.type === 'Call') {
      const call: ir.Call = p.parent;
      const first = call.args[0];
      const callee = ir.dottedName(call.callee) ?? '';
      if (first?.type === 'Str' && /^(?:config|env(?:\.\w+)?)$/.test(callee) && /^[A-Z][A-Z0-9_]*$/.test(first.value)) {
        fallback = { envName: first.value, expr: call, removeKeyword: p };
        n = call;
        continue;
      }
      if (/(?:^|\.)Field$/.test(callee)) { n = call; continue; }
      break;
    }
    break;
  }
  return { slot: slotOf(model, n), fallback };
}

export function slotOf(model: CodeModel, n: ir.Node): Slot | undefined {
  const p = n.parent;
  if (!p) return undefined;
  if (p.type === 'Assign' && p.value === n) {
    const t = ir.unwrap(p.target);
    if (t.type === 'Ident') return { name: t.name, label: t.name, node: p };
    if (t.type === 'Member') {
      const obj = ir.dottedName(t.object);
      // Labels of member and index targets quote code through redaction: made when a message asks.
      return { name: t.prop, get label() { return excerpt(model, t); }, node: p, envTarget: obj === 'process.env' || obj === 'os.environ' };
    }
    if (t.type === 'Index' && t.index.type === 'Str') return { name: t.index.value, get label() { return excerpt(model, t); }, node: p };
    return undefined;
  }
  if (p.type === 'Prop' && p.value === n && p.key !== undefined) {
    return { name: p.key, label: p.key, node: p, obj: p.parent?.type === 'ObjectLit' ? p.parent : undefined };
  }
  if (p.type === 'Keyword' && p.value === n) return { name: p.name, label: `${p.name}=`, node: p };
  if (p.type === 'Func') {
    const param = p.params.find((x) => x.default === n);
    if (param?.name) return { name: param.name, label: param.name, node: p };
  }
  return undefined;
}

/** `os.getenv("X", <n>)`, `os.environ.get("X", <n>)`, `os.environ.setdefault("X", <n>)`. */
export function envDefaultName(model: CodeModel, call: ir.Call, n: ir.Node): string | undefined {
  if (model.lang !== 'py' || call.args[1] !== n || call.args[0]?.type !== 'Str') return undefined;
  const name = ir.dottedName(call.callee) ?? '';
  return /^(?:os\.environ\.get|os\.getenv|environ\.get|getenv|os\.environ\.setdefault)$/.test(name) ? call.args[0].value : undefined;
}

/**
 * The argument a call only re-encodes (`new TextEncoder().encode(s)`, `Buffer.from(s)`,
 * `createSecretKey(s)`, `bytes(s, "utf-8")`, `"s".encode()`, `SecretStr(s)`, `Field(s)`).
 */
export function wrappedValue(model: CodeModel, call: ir.Call): ir.Node | undefined {
  const callee = call.callee;
  const first = ir.positional(call)[0];
  if (callee.type === 'Member') {
    if (callee.prop === 'encode') return model.lang === 'py' ? callee.object : first;
    const name = ir.dottedName(callee);
    if (name === 'Buffer.from' || name === 'crypto.createSecretKey') return first;
    return undefined;
  }
  if (callee.type === 'Ident') {
    if (/^(?:createSecretKey|String|str|bytes|bytearray|SecretStr|Field)$/.test(callee.name)) return first ?? (callee.name === 'Field' ? ir.keywordArg(call, 'default') : undefined);
  }
  return undefined;
}

/** The literals an expression may evaluate to, following fallbacks, encoders and names bound once. */
export function literalsOf(model: CodeModel, n: ir.Node, depth = 0): ir.Str[] {
  if (depth > 4) return [];
  const d = depth + 1;
  const u = ir.unwrap(n);
  switch (u.type) {
    case 'Str': return [u];
    case 'Binary': return u.op === '||' || u.op === '??' ? [...(u.left.type === 'Str' ? [u.left] : []), ...literalsOf(model, u.right, d)] : [];
    case 'Cond': return [...literalsOf(model, u.then, d), ...literalsOf(model, u.else, d)];
    case 'ArrayLit': return u.tuple ? [] : u.elements.flatMap((e) => literalsOf(model, e, d));
    case 'Call': {
      const inner = wrappedValue(model, u);
      if (inner) return literalsOf(model, inner, d);
      const dflt = u.args[1];
      return dflt && envDefaultName(model, u, dflt) ? literalsOf(model, dflt, d) : [];
    }
    case 'Ident': {
      const b = model.resolve(u);
      // A parameter's default is what the call uses whenever the caller leaves it out.
      if (b?.kind === 'param' && b.node.type === 'Func' && b.paramIndex !== undefined) {
        const dflt = b.node.params[b.paramIndex]?.default;
        return dflt ? literalsOf(model, dflt, d) : [];
      }
      const v = model.valueOf(u);
      return v && v !== u ? literalsOf(model, v, d) : [];
    }
    default: return [];
  }
}

export function sinkArgs(model: CodeModel, call: ir.Call): { arg: ir.Node; sink: Sink }[] {
  const out: { arg: ir.Node; sink: Sink }[] = [];
  // Every sink is an argument: most calls (no arguments) are done here.
  if (!call.args.length) return out;
  let labelText: string | undefined;
  const label = () => (labelText ??= sinkLabel(call));
  const add = (arg: ir.Node | undefined, kind: SinkKind) => { if (arg) out.push({ arg, sink: { kind, call: label() } }); };
  const pos = ir.positional(call);
  const name = ir.calleeName(call);
  const module = calleeModule(model, call);
  const py = model.lang === 'py';

  // jsonwebtoken sign/verify; PyJWT / python-jose encode/decode.
  if (!py && (name === 'sign' || name === 'verify') && (module === 'jsonwebtoken' || (!module && rootName(call) === 'jwt'))) add(pos[1], 'jwt');
  if (py && (name === 'encode' || name === 'decode') && /^(?:jwt|jose|jose\.jwt)$/.test(module ?? (rootName(call) === 'jwt' ? 'jwt' : ''))) {
    add(ir.keywordArg(call, 'key') ?? pos[1], 'jwt');
  }
  // jose: jwtVerify(token, key), new SignJWT(...)....sign(key), importJWK({ k }).
  if (module === 'jose') {
    if (name && /^(?:jwtVerify|jwtDecrypt|compactVerify|flattenedVerify|generalVerify|compactDecrypt|flattenedDecrypt|generalDecrypt)$/.test(name)) add(pos[1], 'jwt');
    if (name === 'importJWK' && pos[0]?.type === 'ObjectLit') {
      for (const p of pos[0].props) if (p.type === 'Prop' && (p.key === 'k' || p.key === 'd')) add(p.value, 'jwt');
    }
  }
  if (!py && (name === 'sign' || name === 'encrypt') && builtFromJose(model, call)) add(pos[0], 'jwt');
  // express-session, cookie-session, cookie-parser, Fastify's session/cookie/jwt plugins.
  if (!py && module && /^(?:express-session|cookie-session|@fastify\/(?:session|secure-session))$/.test(module)) sessionOptions(pos[0], 'session', add);
  if (!py && module === 'cookie-parser') add(pos[0], 'cookie');
  if (!py && name === 'register' && pos[0]?.type === 'Ident') {
    const plugin = model.moduleOf(pos[0].name)?.module;
    if (plugin && /^@fastify\/(?:session|secure-session|cookie|jwt)$/.test(plugin)) {
      const kind: SinkKind = plugin === '@fastify/jwt' ? 'jwt' : plugin === '@fastify/cookie' ? 'cookie' : 'session';
      sessionOptions(pos[1], kind, (arg, k) => { if (arg) out.push({ arg, sink: { kind: k, call: `${label()}(${pos[0].type === 'Ident' ? pos[0].name : plugin})` } }); });
    }
  }
  // NestJS JwtModule.register({ secret }), jwtService.sign(payload, { secret }), passport-jwt, express-jwt.
  if (!py && module === '@nestjs/jwt' && /^register(?:Async)?$/.test(name ?? '')) sessionOptions(pos[0], 'jwt', add);
  const receiver = ir.receiver(call);
  if (!py && /^(?:sign|signAsync|verify|verifyAsync)$/.test(name ?? '') && receiver && /jwt/i.test(ir.dottedName(receiver) ?? '') && module !== 'jsonwebtoken') sessionOptions(pos[1], 'jwt', add);
  if (!py && module && /^(?:passport-jwt|express-jwt|koa-jwt)$/.test(module)) sessionOptions(pos[0], 'jwt', add);
  // Twilio: twilio(accountSid, authToken), Client(account_sid, auth_token); SendGrid-style setApiKey(key).
  if (call.callee.type === 'Ident' && module && /^twilio(?:\.rest)?$/.test(module)) add(pos[1], 'twilio');
  if (name === 'setApiKey' || name === 'set_api_key') {
    const pkg = module && !module.startsWith('.') ? packageName(module) : undefined;
    if (pos[0]) out.push({ arg: pos[0], sink: { kind: 'apiKey', call: label(), envName: pkg ? `${upperSnake(pkg)}_API_KEY` : undefined } });
  }
  // Stripe clients: new Stripe(key), require('stripe')(key), stripe.StripeClient(key); stripe.api_key = key is a slot.
  if ((module === 'stripe' && (call.callee.type === 'Ident' || call.callee.type === 'Call' || name === 'StripeClient')) || (!module && call.isNew && name === 'Stripe')) add(pos[0], 'stripe');
  // crypto keys and SMTP / database logins.
  if (!py && (name === 'createHmac')) add(pos[1], 'hmac');
  if (!py && (name === 'createCipheriv' || name === 'createDecipheriv')) add(pos[1], 'cipher');
  if (py && name === 'new' && module === 'hmac') add(ir.keywordArg(call, 'key') ?? pos[0], 'hmac');
  if (py && name === 'login' && pos.length === 2 && model.usesModule((m) => m === 'smtplib')) add(pos[1], 'smtp');
  if (!py && call.isNew && module === 'sequelize' && pos.length >= 3 && ir.unwrap(pos[2]).type !== 'ObjectLit') add(pos[2], 'database');
  return out;
}

/** How a message names the call a secret is passed to: `jwt.sign`, `new Stripe`, `require('stripe')`. */
function sinkLabel(call: ir.Call): string {
  const required = call.callee.type === 'Call' && call.callee.callee.type === 'Ident' && call.callee.callee.name === 'require' && call.callee.args[0]?.type === 'Str' ? call.callee.args[0].value : undefined;
  const dotted = required ? `require('${required}')` : ir.dottedName(call.callee) ?? ir.calleeName(call) ?? 'call';
  // A builder chain reads as its start and end: `SignJWT.sign`, not every step in between.
  // (First and last segment found without splitting: a chain of thousands of calls is one long name.)
  const first = dotted.slice(0, dotted.indexOf('.') === -1 ? dotted.length : dotted.indexOf('.'));
  const last = dotted.slice(dotted.lastIndexOf('.') + 1);
  return (call.isNew ? 'new ' : '') + (dotted.includes('()') ? `${first.replace(/\(\)$/, '')}.${last}` : dotted);
}

/** Assignments that configure a key: Koa `app.keys = [...]`, Flask `app.secret_key = ...`, `stripe.api_key = ...`. */
export function slotSink(model: CodeModel, slot: Slot): Sink | undefined {
  if (slot.node.type !== 'Assign' || slot.node.target.type !== 'Member') return undefined;
  const obj = slot.node.target.object;
  if (obj.type !== 'Ident') return undefined;
  // The label quotes code through redaction: made only for an assignment that is a sink.
  const label = () => excerpt(model, (slot.node as ir.Assign).target, 80);
  if (model.lang === 'py') {
    if (slot.name === 'api_key' && model.moduleOf(obj.name)?.module === 'stripe') return { kind: 'stripe', call: label() };
    const app = model.valueOf(obj);
    if (slot.name === 'secret_key' && app?.type === 'Call' && ir.calleeName(app) === 'Flask') return { kind: 'session', call: label() };
    return undefined;
  }
  const app = model.valueOf(obj);
  if (slot.name === 'keys' && app?.type === 'Call' && app.isNew && app.callee.type === 'Ident' && model.moduleOf(app.callee.name)?.module === 'koa') return { kind: 'session', call: label() };
  return undefined;
}

function rootName(call: ir.Call): string | undefined {
  let n: ir.Node = call.callee;
  for (let links = 0; links < ir.MAX_CHAIN && n.type === 'Member'; links++) n = n.object;
  return n.type === 'Ident' ? n.name : undefined;
}

/** `new SignJWT(...).setProtectedHeader(...).sign(key)`: a builder chain that starts at a jose class. */
function builtFromJose(model: CodeModel, call: ir.Call): boolean {
  let n: ir.Node = call.callee;
  for (let i = 0; i < 20; i++) {
    if (n.type === 'Member') n = n.object;
    else if (n.type === 'Call') {
      if (n.isNew && n.callee.type === 'Ident') return model.moduleOf(n.callee.name)?.module === 'jose';
      n = n.callee;
    } else if (n.type === 'Other' && n.kind === 'paren' && n.children[0]) n = n.children[0];
    else return false;
  }
  return false;
}

/** `session({ secret: '...' })`, `cookieSession({ keys: ['...'] })`, `{ secret }` / `{ key }` plugin options. */
function sessionOptions(opts: ir.Node | undefined, kind: SinkKind, add: (arg: ir.Node | undefined, kind: SinkKind) => void): void {
  const o = opts && ir.unwrap(opts);
  if (o?.type !== 'ObjectLit') return;
  for (const p of o.props) if (p.type === 'Prop' && /^(?:secret|keys|key|password|secretOrKey|secretOrPrivateKey|privateKey)$/.test(p.key ?? '')) add(p.value, kind);
}

/** `@sendgrid/mail` → sendgrid, `@anthropic-ai/sdk` → anthropic, `openai` → openai. */
export function packageName(module: string): string {
  const pkg = module.startsWith('@') ? module.slice(1).split('/')[0] : module.split(/[/.]/)[0];
  return pkg.replace(/-(?:ai|js|sdk|node|client|api)$/, '');
}

export function calleeModule(model: CodeModel, call: ir.Call): string | undefined {
  let root: ir.Node = call.callee;
  while (root.type === 'Member') root = root.object;
  if (root.type === 'Call' && root.callee.type === 'Ident' && root.callee.name === 'require' && root.args[0]?.type === 'Str') return root.args[0].value;
  return root.type === 'Ident' ? model.moduleOf(root.name)?.module : undefined;
}
