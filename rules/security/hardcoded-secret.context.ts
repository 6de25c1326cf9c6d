// Where a literal under a credential name stands, for the hardcoded-secret rule: whether the slot
// holds a credential at all, whether the value is plausibly one (not a label, code, key name or
// hash), and the places where a credential-looking value is harmless (a placeholder the app
// presents to a provider, a local development database, a list of values the app rejects).
import * as ir from '../kit/model/ir';
import type { CodeModel } from '../kit/model/model';
import {
  isCredentialName, isLoopbackHost, isPlaceholder, looksGenerated, looksLikeIdentifier, looksLikePasswordHash,
  looksLikeReference, looksLikeText, nameWords,
} from '../kit/frameworks/secrets';
import type { Sink, Slot } from '../kit/frameworks/secret-flow';

export function credentialSlot(slot: Slot): boolean {
  if (isCredentialName(slot.name)) return true;
  // nodemailer and friends: `auth: { user, pass }`.
  return slot.name === 'pass' && !!slot.obj && slot.obj.props.some((p) => p.type === 'Prop' && /^(?:user|username)$/.test(p.key ?? ''));
}

export function isAuthorizationSlot(slot: Slot): boolean {
  return /^authorization$/i.test(slot.name);
}

/** Whether a value under a credential name is plausibly the credential rather than a label, placeholder or key name. */
export function plausible(value: string, slot: Slot | undefined): boolean {
  if (isPlaceholder(value) || value.trim().length < 4 || looksLikeText(value) || looksLikeReference(value)) return false;
  const words = slot ? nameWords(slot.name) : [];
  const noun = words[words.length - 1];
  // Codes and keys made of words: an error code naming the field (`password: 'incorrectPassword'`),
  // and under key/token names a lookup or storage key (`HK_AUTH_KEY = 'rc_hk_auth'`). Not for the
  // app's own signing secrets, where any word is the key (`jwt_secret = 'dev_secret'`).
  const own = OWN_SECRET_NAME.test(words.join('_'));
  if (!own && looksLikeIdentifier(value) && (nameWords(value).includes(noun) || /^(?:key|token)$/.test(noun))) return false;
  // A digest in a password slot is the stored hash of a seed account, not its password.
  if (/^(?:password|passwd|pwd|hash)$/.test(noun) && looksLikePasswordHash(value)) return false;
  // Tokens and API keys are issued by a provider, so they look generated; secrets and passwords are chosen by people.
  if (slot && /(?:token|api_?key|access_key)$/.test(nameWords(slot.name).join('_')) && !looksGenerated(value)) return false;
  if (slot?.obj && (isFieldNameMap(slot.obj) || isTextTable(slot.obj, slot.node))) return false;
  if (slot && insideExample(slot.node)) return false;
  // The value spells (part of) its own name: `INVALID_TOKEN = 'invalid_token'`, `csrfToken: 'csrf-token'`.
  if (slot && /^[A-Za-z]+(?:[-_ .][A-Za-z]+)*$/.test(value) && isWordSuffix(nameWords(value), nameWords(slot.name))) return false;
  return true;
}

/** Demo data: `examples: [{ password: '...' }]`, pydantic `json_schema_extra`, `FAKE_USER = {...}`. */
function insideExample(n: ir.Node): boolean {
  for (let p: ir.Node | undefined = n; p && p.type !== 'Func' && p.type !== 'Program'; p = p.parent) {
    const owner = p.type === 'Prop' ? p.key : p.type === 'Keyword' ? p.name : p.type === 'Assign' && p.target.type === 'Ident' ? p.target.name : undefined;
    if (owner && (/schema_?extra$/i.test(owner) || nameWords(owner).some((w) => /^(?:examples?|samples?|mocks?|fixtures?|dummy|fake|demo)$/.test(w)))) return true;
  }
  return false;
}

function isWordSuffix(part: string[], whole: string[]): boolean {
  if (!part.length || part.length > whole.length) return false;
  const tail = whole.slice(whole.length - part.length);
  return part.every((w, i) => w === tail[i]) || part.join('') === whole.join('');
}

const norm = (s: string) => nameWords(s).join('');

/** `{ email: 'email', password: 'password' }`: a map of field names, not credentials. */
function isFieldNameMap(obj: ir.ObjectLit): boolean {
  const same = obj.props.filter((p) => p.type === 'Prop' && p.key !== undefined && p.value.type === 'Str' && norm(p.value.value) === norm(p.key));
  return same.length >= 2;
}

/** An object of labels or messages (`{ email: 'Email address', password: 'Passwort' }`). */
function isTextTable(obj: ir.ObjectLit, self: ir.Node): boolean {
  const others = obj.props.filter((p): p is ir.Prop & { value: ir.Str } => p !== self && p.type === 'Prop' && p.value.type === 'Str');
  const text = others.filter((p) => looksLikeText(p.value.value));
  return text.length >= 2 && text.length * 2 >= others.length;
}

/** Sinks that take the app's own secret: whoever knows it can forge what the app trusts. */
const OWN_SECRET_SINKS = new Set<Sink['kind']>(['jwt', 'session', 'cookie', 'hmac', 'cipher']);
/** Names of the app's own secrets: signing, session, CSRF and encryption keys, framework SECRET_KEYs. */
const OWN_SECRET_NAME = /(?:^|_)(?:jwt|session|cookie|csrf|xsrf|signing|encryption|encrypt|hmac|cipher|nextauth|auth_secret|app_secret|secret_key|master|private)(?:_|$)|^secret$/;

/**
 * A credential the app presents to someone else (a provider API key, a database password), as
 * opposed to one it checks itself. A placeholder there cannot authenticate anywhere, so it is not
 * a leak; a placeholder JWT secret, in contrast, is the key every forged token will be signed with.
 */
export function presentedCredential(sink: Sink | undefined, names: (string | undefined)[]): boolean {
  if (sink) return !OWN_SECRET_SINKS.has(sink.kind);
  const known = names.filter((n): n is string => !!n);
  return known.length > 0 && !known.some((n) => OWN_SECRET_NAME.test(nameWords(n).join('_')));
}

const HOST_KEY = /^(?:host|hostname|server|db_?host|database_?host|addr|address)$/i;

/**
 * A credential for a server on this machine: a connection string to localhost, or a password
 * next to a loopback host (`{ host: process.env.DB_HOST || 'localhost', password: ... }`, Django's
 * `"HOST": "127.0.0.1"`). It opens only a developer's or CI runner's own database.
 */
export function isLocalServerCredential(slot: Slot | undefined, connectionHost: string | undefined): boolean {
  if (connectionHost !== undefined) return isLoopbackHost(connectionHost);
  if (!slot?.obj || !/^(?:password|passwd|pwd|pass)$/.test(nameWords(slot.name).join('_'))) return false;
  return slot.obj.props.some((p) => p.type === 'Prop' && HOST_KEY.test(p.key ?? '') && loopbackValue(p.value));
}

function loopbackValue(n: ir.Node): boolean {
  const u = ir.unwrap(n);
  if (u.type === 'Str') return isLoopbackHost(u.value);
  // `process.env.DB_HOST || 'localhost'`, `os.getenv("DB_HOST", "localhost")`, `env("DB_HOST", default="localhost")`.
  if (u.type === 'Binary' && (u.op === '||' || u.op === '??')) return loopbackValue(u.right);
  if (u.type === 'Call') return u.args.slice(1).some((a) => loopbackValue(a.type === 'Keyword' ? a.value : a));
  return false;
}

/**
 * A literal in a collection the app tests values against (`INSECURE_DEFAULTS.includes(secret)`,
 * `if key in PLACEHOLDER_KEYS`): the values it refuses, not a credential it uses.
 */
export function inRejectList(model: CodeModel, lit: ir.Node): boolean {
  let coll: ir.Node | undefined;
  let cur: ir.Node = lit;
  for (let p = lit.parent; p; cur = p, p = p.parent) {
    if (p.type === 'ArrayLit' || (p.type === 'Call' && p.args.includes(cur) && /^(?:Set|set|frozenset)$/.test(ir.calleeName(p) ?? ''))) coll = p;
    else if (!(p.type === 'Other' && p.kind === 'paren')) break;
  }
  if (!coll) return false;
  const bound = coll.parent?.type === 'Assign' && coll.parent.value === coll ? ir.unwrap(coll.parent.target) : undefined;
  if (coll.parent?.type === 'Binary' && /^(?:in|not in)$/.test(coll.parent.op) && coll.parent.right === coll) return true;
  if (coll.parent?.type === 'Member' && /^(?:includes|has|indexOf|some|contains)$/.test(coll.parent.prop)) return true;
  if (bound?.type !== 'Ident') return false;
  const b = model.resolve(bound);
  if (!b) return false;
  return model.identsNamedIn(bound.name, b.scope).some((n) => {
    const p = n.parent;
    const test = (p?.type === 'Binary' && /^(?:in|not in)$/.test(p.op) && p.right === n)
      || (p?.type === 'Member' && p.object === n && /^(?:includes|has|indexOf|some|contains|__contains__)$/.test(p.prop));
    return test && model.resolve(n) === b;
  });
}

/**
 * The constant key of an HMAC that derives a key from a secret message (`HMAC("WebAppData",
 * bot_token)` in Telegram's login check, `createHmac('sha256', 'label').update(apiSecret)`): a
 * published domain label; the secret is the message.
 */
export function isKeyDerivationLabel(lit: ir.Node): boolean {
  let call: ir.Call | undefined;
  let cur: ir.Node = lit;
  for (let p = lit.parent, i = 0; p && i < 4; cur = p, p = p.parent, i++) {
    if (p.type === 'Call' && p.args.includes(cur)) { call = p; break; }
  }
  if (!call) return false;
  const others = call.args.filter((a) => a !== cur);
  const update = call.parent?.type === 'Member' && call.parent.prop === 'update' && call.parent.parent?.type === 'Call' ? call.parent.parent.args : [];
  return [...others, ...update].some((a) => secretNamed(a));
}

function secretNamed(n: ir.Node): boolean {
  let u = ir.unwrap(n);
  // `bot_token.encode()`, `Buffer.from(apiSecret)`.
  if (u.type === 'Call' && u.callee.type === 'Member' && u.callee.prop === 'encode') u = ir.unwrap(u.callee.object);
  else if (u.type === 'Call' && u.args.length === 1 && /^(?:Buffer\.from|bytes|str)$/.test(ir.dottedName(u.callee) ?? '')) u = ir.unwrap(u.args[0]);
  const name = u.type === 'Ident' ? u.name : u.type === 'Member' ? u.prop : undefined;
  return !!name && isCredentialName(name);
}

const ACCOUNT_KEY = /^(?:email|e_?mail|username|user_?name|login|name|handle)$/i;

/**
 * The password of a user account being created or seeded (`{ email, password: '...' }` handed to
 * a create call, `user_create(email=..., password='...')`): account data rather than a secret the
 * app authenticates with. Returns how messages name the account, or undefined.
 */
export function accountRecord(slot: Slot): string | undefined {
  if (!/^(?:password|passwd|pwd|pass)$/.test(nameWords(slot.name).join('_'))) return undefined;
  const p = slot.node;
  if (p.type === 'Prop' && slot.obj) {
    const id = slot.obj.props.find((x): x is ir.Prop => x.type === 'Prop' && ACCOUNT_KEY.test(x.key ?? ''));
    return id ? accountName(id.value) : undefined;
  }
  if (p.type === 'Keyword' && p.parent?.type === 'Call') {
    const id = p.parent.args.find((a): a is ir.Keyword => a.type === 'Keyword' && ACCOUNT_KEY.test(a.name));
    return id ? accountName(id.value) : undefined;
  }
  return undefined;
}

function accountName(n: ir.Node): string {
  const u = ir.unwrap(n);
  return u.type === 'Str' && u.value.length <= 40 ? `'${u.value}'` : 'record';
}
