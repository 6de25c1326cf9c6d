// What plaintext-password sees: a stored password compared with the submitted one, a submitted
// password written to a database as it came, and a fast digest (md5, sha1, sha256) taken of a
// password. Names say which values are passwords; the request and the callers of a function say
// which one was submitted.
import * as ir from '../kit/model/ir';
import type { CodeModel } from '../kit/model/model';
import { constantString, isConstant } from '../kit/model/values';
import { nameWords } from '../kit/frameworks/secrets';
import { chosenOutside } from '../kit/frameworks/value-names';
import { isOperatorValue } from '../kit/frameworks/config-values';

const PASSWORD_WORDS = new Set(['password', 'passwd', 'pwd', 'passphrase', 'pw']);
/** Words that make a password-named value something else: a confirmation, a hash, a rule, a flag. */
const NOT_PLAIN = new Set([
  'confirm', 'confirmation', 'confirmed', 'repeat', 'repeated', 'again', 'retype', 'verify', 'verification', 'hash', 'hashed', 'digest', 'salt',
  'encrypted', 'crypt', 'bcrypt', 'argon', 'argon2', 'scrypt', 'reset', 'token', 'policy', 'length', 'min', 'max', 'field', 'label', 'placeholder',
  'error', 'errors', 'valid', 'invalid', 'strength', 'expired', 'expires', 'expiry', 'changed', 'updated', 'at', 'required', 'rule', 'rules',
  'regex', 'pattern', 'visible', 'show', 'hint', 'input', 'type', 'set', 'is', 'has', 'needs', 'must', 'change', 'forgot', 'lost', 'enabled',
  'login', 'auth', 'mode', 'protected', 'ref', 'key', 'schema', 'message', 'msg', 'url', 'path', 'route', 'page', 'form', 'dialog', 'modal',
]);

export function isPasswordName(name: string | undefined): boolean {
  if (!name) return false;
  const words = nameWords(name);
  return words.some((w) => PASSWORD_WORDS.has(w)) && !words.some((w) => NOT_PLAIN.has(w));
}

/** Calls that keep a value as it is for our purposes (`String(pw)`, `pw.trim()`, `pw.encode()`). */
const KEEPS = /^(String|str|trim|strip|encode|toString|normalize)$/;

/** The name a value goes by, when it is read as it is (no hashing call on the way): `req.body.password` → password. */
export function plainName(model: CodeModel, n: ir.Node, depth = 0): string | undefined {
  if (depth > 6) return undefined;
  const u = ir.unwrap(n);
  switch (u.type) {
    case 'Ident': {
      if (!isPasswordName(u.name)) return undefined;
      const b = model.resolve(u);
      if (b?.kind === 'var') {
        const v = model.valueOf(u);
        if (!v) return b.assigns.every((a) => !a.value || plainName(model, a.value, depth + 1) !== undefined || a.value.type === 'Ident') ? u.name : undefined;
        if (v !== u && ir.unwrap(v).type === 'Call' && plainName(model, v, depth + 1) === undefined) return undefined;
      }
      return u.name;
    }
    case 'Member': return isPasswordName(u.prop) ? u.prop : undefined;
    case 'Index': { const k = constantString(model, u.index); return isPasswordName(k) ? k : undefined; }
    case 'Call': {
      const name = ir.calleeName(u) ?? '';
      if (u.callee.type === 'Member' && KEEPS.test(name)) return plainName(model, u.callee.object, depth + 1);
      if (KEEPS.test(name) && u.args[0]) return plainName(model, u.args[0], depth + 1);
      if (u.callee.type === 'Member' && /^(get|getlist)$/.test(name) && u.args[0]) { const k = constantString(model, u.args[0]); return isPasswordName(k) ? k : undefined; }
      return undefined;
    }
    default: return undefined;
  }
}

/** The password the user submitted: read from the request or handed in by a caller, unhashed. */
export function isSubmittedPassword(model: CodeModel, n: ir.Node): boolean {
  return plainName(model, n) !== undefined && chosenOutside(model, n);
}

/** A password the app holds (a database row, configuration) as it is, not a hash of it. */
export function isStoredPassword(model: CodeModel, n: ir.Node): boolean {
  return plainName(model, n) !== undefined && !chosenOutside(model, n) && !isConstant(model, n);
}

export type FastHash = { call: ir.Call; input: ir.Node; algorithm: string };

const FAST = /^(md5|sha1|sha224|sha256|sha384|sha512|sha-1|sha-256|sha-512)$/i;

/**
 * A fast digest of a password: `crypto.createHash('md5').update(pw).digest('hex')`, `md5(pw)`,
 * `CryptoJS.SHA256(pw)`, `hashlib.sha1(pw.encode()).hexdigest()`. Reported at the outermost call
 * of the chain. md5 and sha1 of anything password-like; sha2 only unsalted (the password alone).
 */
export function fastHashOf(model: CodeModel, c: ir.Call): FastHash | undefined {
  // The outermost link of a chain only (`createHash(...).update(pw).digest('hex').toUpperCase()` is one digest).
  if (c.parent?.type === 'Member' && c.parent.parent?.type === 'Call' && c.parent.parent.callee === c.parent) return undefined;
  let cur: ir.Node = c;
  let algorithm: string | undefined;
  let input: ir.Node | undefined;
  for (let i = 0; i < 6 && cur.type === 'Call'; i++) {
    const call: ir.Call = cur;
    const name = ir.calleeName(call) ?? '';
    const dotted = ir.dottedName(call.callee) ?? '';
    if (name === 'createHash' && call.args[0]) { algorithm = constantString(model, call.args[0]); break; }
    if (dotted === 'hashlib.new' && call.args[0]) { algorithm = constantString(model, call.args[0]); input ??= call.args[1]; break; }
    if (/^hashlib\.(md5|sha1|sha224|sha256|sha384|sha512)$/.test(dotted)) { algorithm = name; input ??= call.args[0]; break; }
    if (/^(md5|sha1|sha256|sha512|MD5|SHA1|SHA256|SHA512)$/.test(name) && (call.callee.type === 'Ident' || /^(CryptoJS|crypto_js|jsSHA)$/i.test(ir.dottedName((call.callee as ir.Member).object ?? call.callee) ?? ''))) {
      algorithm = name; input = call.args[0]; break;
    }
    if (name === 'update' && call.args[0]) input = call.args[0];
    if (call.callee.type !== 'Member') return undefined;
    cur = call.callee.object;
  }
  if (!algorithm || !input || !FAST.test(algorithm)) return undefined;
  const plain = plainName(model, input) !== undefined;
  if (!plain) {
    // md5/sha1 of a password with something around it (a salt, a pepper) is still a fast digest.
    if (!/^(md5|sha1|sha-1)$/i.test(algorithm)) return undefined;
    const u = ir.unwrap(input);
    const parts = u.type === 'Binary' ? [u.left, u.right] : u.type === 'Template' ? u.exprs : [];
    if (!parts.some((p) => plainName(model, p) !== undefined)) return undefined;
  }
  if (isPrefixLookup(model, c)) return undefined;
  return { call: c, input, algorithm: algorithm.toLowerCase() };
}

/**
 * A digest only cut into pieces (`hash.slice(0, 5)`): a k-anonymity lookup such as the Pwned
 * Passwords range API, which sends a prefix of the sha1 and never stores it.
 */
function isPrefixLookup(model: CodeModel, c: ir.Call): boolean {
  const a = c.parent;
  if (a?.type !== 'Assign' || a.value !== c || a.target.type !== 'Ident') return false;
  const fn = ir.enclosingFunction(c);
  const uses = model.identsNamedIn(a.target.name, fn ?? model.root).filter((id) => id !== a.target);
  return uses.length > 0 && uses.every((id) => id.parent?.type === 'Member' && /^(slice|substring|substr|startsWith|endsWith|includes)$/.test(id.parent.prop)
    || (id.parent?.type === 'Index' && id.parent.object === id && ir.unwrap(id.parent.index).type === 'Other'));
}

/** A model whose own code hashes the password it is given: a mongoose pre-save hook, Sequelize/TypeORM hooks, a Python property setter. */
const HASHING_MODEL = /\.pre\(\s*['"](save|validate)|\bbefore(Create|Save|Update|BulkCreate|Insert)\b|@BeforeInsert|@BeforeUpdate|@\w*password\w*\.setter|def\s+set_password\b/i;
const HASH_LIB = /bcrypt|argon2|scrypt|pbkdf2|generate_password_hash|make_password|hashPassword|hash_password|passlib/i;

function hashesItself(text: string): boolean {
  return HASHING_MODEL.test(text) && HASH_LIB.test(text);
}

/**
 * Whether the object a password is written to belongs to a model that hashes on its own: the model
 * defined in this file, or in the workspace module its name is imported from (and the modules that
 * one imports, for a `models/index` that gathers them).
 */
export function modelHashes(model: CodeModel, target: ir.Node): boolean {
  if (hashesItself(model.text)) return true;
  const root = rootIdent(model, target, 0);
  if (!root) return false;
  const imp = model.moduleOf(root);
  if (!imp || !model.loader || !/^[./]|^@\/|^~\//.test(imp.module) && model.lang === 'js') return false;
  return model.cached(`hashesItself:${imp.module}`, () => {
    const other = model.loader!.load(model.file, imp.module, model.lang);
    if (!other) return false;
    if (hashesItself(other.text)) return true;
    let n = 0;
    for (const i of other.imports) {
      if (n++ > 20 || (model.lang === 'js' && !/^[./]/.test(i.module))) continue;
      const next = model.loader!.load(other.file, i.module, model.lang);
      if (next && hashesItself(next.text)) return true;
    }
    return false;
  });
}

/** The identifier a receiver chain starts from, through a local name bound to a call on it (`user = await User.findById(id)` → User). */
function rootIdent(model: CodeModel, n: ir.Node, depth: number): string | undefined {
  if (depth > 4) return undefined;
  const u = ir.unwrap(n);
  if (u.type === 'Member' || u.type === 'Index') return rootIdent(model, u.object, depth + 1);
  if (u.type === 'Call') return rootIdent(model, u.callee, depth + 1);
  if (u.type !== 'Ident') return undefined;
  if (model.moduleOf(u.name)) return u.name;
  const v = model.valueOf(u);
  return v && v !== u ? rootIdent(model, v, depth + 1) : u.name;
}

/** Calls that hash on their own (Django's create_user, set_password) or are not storage at all. */
const HASHING_SINKS = /^(create_user|create_superuser|set_password|make_password|hashpw|hash|hashSync|genSalt|compare|compareSync|checkpw|verify|signIn|signUp|login|authenticate|log|info|warn|debug|error|render|json|send|emit|validate|parse|safeParse)$/;
/** Calls that store what they are given. */
const STORE_SINKS = /^(create|createOne|insert|insertOne|insertMany|insert_one|insert_many|save|update|updateOne|update_one|findOneAndUpdate|findByIdAndUpdate|upsert|build|set|values|query|execute|executemany|run|add|put|merge|bulkCreate|create_many|createMany|objects)$/;

export interface UnhashedWrite { value: ir.Node; prop?: ir.Prop; keyword?: ir.Keyword; sink: string }

/** A submitted password handed to a call that stores it, through an object, keyword or SQL parameter list. */
export function unhashedWrites(model: CodeModel, call: ir.Call): UnhashedWrite[] {
  const name = ir.calleeName(call) ?? '';
  if (HASHING_SINKS.test(name)) return [];
  const dotted = ir.dottedName(call.callee) ?? name;
  const modelCtor = call.isNew || (model.lang === 'py' && /^[A-Z]/.test(name));
  if (!modelCtor && !STORE_SINKS.test(name)) return [];
  const out: UnhashedWrite[] = [];
  const visitObject = (o: ir.ObjectLit, depth: number) => {
    for (const p of o.props) {
      if (p.type !== 'Prop') continue;
      const v = ir.unwrap(p.value);
      if (v.type === 'ObjectLit' && depth < 2) { visitObject(v, depth + 1); continue; }
      if (isPasswordName(p.key) && isSubmittedPassword(model, p.value)) out.push({ value: p.value, prop: p, sink: dotted });
    }
  };
  for (const a of call.args) {
    if (a.type === 'Keyword') {
      if (isPasswordName(a.name) && isSubmittedPassword(model, a.value)) out.push({ value: a.value, keyword: a, sink: dotted });
      continue;
    }
    const u = ir.unwrap(a);
    if (u.type === 'ObjectLit') visitObject(u, 0);
    if (u.type === 'ArrayLit' && storesPasswordColumn(sqlTextOf(model, call))) {
      for (const e of u.elements) if (isSubmittedPassword(model, e)) out.push({ value: e, sink: dotted });
    }
  }
  return out;
}

/** An INSERT or UPDATE that names a password column, with no hashing in SQL (`crypt($2, gen_salt('bf'))`, a function that hashes). */
function storesPasswordColumn(sql: string | undefined): boolean {
  if (!sql || /\b(crypt|digest|gen_salt|hmac)\s*\(/i.test(sql)) return false;
  return /\b(insert\s+into|update)\s+[\w."`]+[^;]*\b(password|passwd|pwd)\w*\b/i.test(sql);
}

function sqlTextOf(model: CodeModel, call: ir.Call): string | undefined {
  const first = call.args[0];
  if (!first) return undefined;
  const u = ir.unwrap(first);
  if (u.type === 'Template') return u.quasis.join(' ');
  return constantString(model, first);
}

/** The password lives in configuration (an environment variable, settings): the fix would have to change the deployment. */
export function isConfigured(model: CodeModel, n: ir.Node): boolean {
  return isOperatorValue(model, n);
}
