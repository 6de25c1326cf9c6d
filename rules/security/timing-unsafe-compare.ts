import * as ir from '../kit/model/ir';
import type { CodeModel } from '../kit/model/model';
import { defineRule, format, type TextEdit } from '../kit/rule';
import { isConstant } from '../kit/model/values';
import { nameWords } from '../kit/frameworks/secrets';
import { chosenOutside, namedValue } from '../kit/frameworks/value-names';
import { isScriptFile } from '../kit/frameworks/per-request';
import { excerpt } from '../kit/frameworks/redact';
import { addJsModuleImport } from '../kit/fixes/js-imports';
import { addPyImport } from '../kit/fixes/py-imports';
import { quoteOf, usesSemicolons } from '../kit/fixes/style';

const messages = {
  compare: '{secret} is compared with {op} to {other}: the comparison stops at the first differing character, so response times leak the expected {what} byte by byte',
};

export const JS_HELPER = 'timingSafeEqualStrings';
export const PY_HELPER = 'timing_safe_equal';

/** Words that make a value a secret someone may try to guess: signatures, MACs, tokens, API keys. */
const SECRET_WORDS = new Set(['signature', 'sig', 'hmac', 'mac', 'digest', 'hexdigest', 'secret', 'token', 'jwt', 'otp', 'totp', 'csrf', 'xsrf', 'authorization', 'apikey', 'bearer']);
/** A key is a secret when it says whose: `apiKey`, `secretKey`, `x-api-key`, `signing_key`. */
const KEY_OWNERS = new Set(['api', 'access', 'secret', 'signing', 'webhook', 'private', 'auth', 'hmac', 'client', 'master', 'license']);
/** Words that make the value something about a secret, not the secret: its type, length, expiry, page position. */
const ABOUT_WORDS = new Set([
  'type', 'types', 'count', 'length', 'len', 'size', 'expires', 'expiry', 'expiration', 'exp', 'at', 'id', 'ids', 'name', 'kind', 'url', 'uri',
  'format', 'version', 'status', 'prefix', 'field', 'usage', 'limit', 'max', 'min', 'total', 'used', 'remaining', 'next', 'prev',
  'previous', 'page', 'cursor', 'continuation', 'pagination', 'last', 'first', 'index', 'idx', 'position', 'pos', 'start', 'end', 'algorithm',
  'alg', 'method', 'scheme', 'kid', 'issuer', 'iss', 'audience', 'aud', 'scope', 'scopes', 'state', 'mode', 'public', 'pub', 'kty', 'label',
  'tokens', 'group', 'address', 'addr', 'input', 'output', 'prompt', 'completion', 'char', 'line', 'column', 'offset', 'kind', 'tag', 'text', 'category', 'role', 'family',
]);
/** Passwords belong to plaintext-password: one finding per comparison. */
const PASSWORD_WORDS = new Set(['password', 'passwd', 'pwd', 'passphrase', 'pass']);

type Secrecy = 'secret' | 'password' | undefined;

function nameSecrecy(name: string): Secrecy {
  const words = nameWords(name.replace(/^x-/i, ''));
  if (words.some((w) => PASSWORD_WORDS.has(w))) return 'password';
  if (words.some((w) => ABOUT_WORDS.has(w))) return undefined;
  if (words.some((w) => SECRET_WORDS.has(w))) return 'secret';
  for (let i = 1; i < words.length; i++) if (words[i] === 'key' && words.slice(0, i).some((w) => KEY_OWNERS.has(w))) return 'secret';
  return undefined;
}

/** Whether a side of a comparison holds a secret, a password, or neither; the outermost name decides. */
function sideSecrecy(model: CodeModel, n: ir.Node): { secrecy: Secrecy; what: string; about: boolean } {
  const v = namedValue(model, n);
  if (v.computedMac) return { secrecy: 'secret', what: 'signature', about: false };
  for (const name of v.names) {
    const s = nameSecrecy(name);
    if (s) return { secrecy: s, what: describe(name), about: false };
    // The nearest name that says what the value is about (`tokenType`, `s.name`) ends the search.
    if (nameWords(name).some((w) => ABOUT_WORDS.has(w))) return { secrecy: undefined, what: '', about: true };
  }
  return { secrecy: undefined, what: '', about: false };
}

function describe(name: string): string {
  const words = nameWords(name.replace(/^x-/i, ''));
  if (words.some((w) => /^(signature|sig|hmac|mac|digest|hexdigest)$/.test(w))) return 'signature';
  if (words.includes('key')) return 'key';
  if (words.some((w) => /^(otp|totp)$/.test(w))) return 'code';
  return words.includes('secret') ? 'secret' : 'token';
}

/** Values that say nothing secret whatever their name: literals, `null`, `typeof x`, lengths, enum members (`TokenType.ACCESS_TOKEN`). */
function isPlainValue(model: CodeModel, n: ir.Node): boolean {
  const u = ir.unwrap(n);
  if (u.type === 'Unary' && (u.op === 'typeof' || u.op === '!' || u.op === 'not')) return true;
  if (u.type === 'Member' && /^(length|size|byteLength)$/.test(u.prop)) return true;
  if (u.type === 'Member' && /^[A-Z][A-Z0-9_]*$/.test(u.prop) && u.object.type === 'Ident' && /^[A-Z]/.test(u.object.name)) return true;
  if (u.type === 'Call' && /^(len|typeof|type|isinstance|Boolean|bool|Number|int)$/.test(ir.calleeName(u) ?? '')) return true;
  return isConstant(model, u);
}

/** Calls that build query expressions: `select(...).where(User.token == token)` compares in the database, not in Python or JS. */
const QUERY_BUILDERS = /^(where|filter|filter_by|having|and_|or_|not_|join|outerjoin|exclude|get_or_none|first_or_404|one_or_none)$/;

function isQueryExpression(model: CodeModel, b: ir.Binary): boolean {
  for (let p = b.parent; p && p.type !== 'Func' && p.type !== 'ExprStmt'; p = p.parent) {
    if (p.type === 'Call' && QUERY_BUILDERS.test(ir.calleeName(p) ?? '')) return true;
  }
  // A column of a model class (`PublicLink.token`): SQLAlchemy and peewee overload == into SQL.
  return [b.left, b.right].some((s) => {
    const u = ir.unwrap(s);
    if (u.type !== 'Member' || u.object.type !== 'Ident' || !/^[A-Z]/.test(u.object.name)) return false;
    const bd = model.resolve(u.object);
    return bd?.kind === 'class' || bd?.kind === 'import';
  });
}

/** The same routine applied to two values (`planSignature(a) !== planSignature(b)`): a comparison of two things of one kind, neither held back. */
function sameShape(model: CodeModel, b: ir.Binary): boolean {
  const key = (n: ir.Node) => {
    const u = ir.unwrap(n);
    return u.type === 'Call' ? ir.dottedName(u.callee) : undefined;
  };
  const l = key(b.left);
  return !!l && l === key(b.right);
}

/**
 * Code nobody outside can time: a command-line script (a server started from `__main__` handles
 * requests and is not one), and browser code, which runs on the user's own machine.
 */
function runsFromTerminal(model: CodeModel): boolean {
  return model.cached('timing:untimed', () => {
    if (model.lang === 'js' && /^\s*['"]use client['"]/.test(model.text)) return true;
    // A component module with no request in sight (a Remix route's action reads `request`: that part runs on the server).
    if (model.lang === 'js' && model.usesModule((m) => /^(react|react-dom|react-native|vue|svelte|@angular\/core|solid-js|preact)$/.test(m)) && !model.identsNamed('request').length && !model.identsNamed('req').length) return true;
    return isScriptFile(model) && !model.functions.some((f) => f.params.some((p) => /^(req|request|ctx|event)$/.test(p.name ?? '')));
  });
}

export interface UnsafeCompare { node: ir.Binary; secret: ir.Node; other: ir.Node; what: string }

/** A `==`/`===`/`!=`/`!==` comparison of a secret with a value that may come from outside. */
export function unsafeCompare(model: CodeModel, b: ir.Binary): UnsafeCompare | undefined {
  if (!/^(===|==|!==|!=)$/.test(b.op)) return undefined;
  if (isPlainValue(model, b.left) || isPlainValue(model, b.right)) return undefined;
  const l = sideSecrecy(model, b.left);
  const r = sideSecrecy(model, b.right);
  if (l.secrecy === 'password' || r.secrecy === 'password' || l.about || r.about) return undefined;
  if (!l.secrecy && !r.secrecy) return undefined;
  if (runsFromTerminal(model) || isQueryExpression(model, b) || sameShape(model, b)) return undefined;
  // One side is chosen outside (the request, or a verify helper's caller); the other is the
  // secret the server holds back. Two values the caller sends (a double-submit cookie and header)
  // have nothing to leak.
  const lOut = chosenOutside(model, b.left);
  const rOut = chosenOutside(model, b.right);
  if (lOut === rOut) return undefined;
  const [held, heldSecrecy, other] = lOut ? [b.right, r, b.left] : [b.left, l, b.right];
  if (heldSecrecy.secrecy !== 'secret') return undefined;
  return { node: b, secret: held, other, what: heldSecrecy.what };
}

export default defineRule({
  id: 'timing-unsafe-compare',
  category: 'security',
  severity: 'warning',
  languages: ['js', 'py'],
  scope: 'file',
  cwe: 208,
  securitySeverity: 5.3,
  triggers: /[!=]=/,
  docs: {
    summary: 'A signature, HMAC, token or API key is compared with ==/===/!=/!== instead of in constant time',
    why: 'String equality returns at the first character that differs, so how long a rejection takes tells an attacker how much of their guess was right. A webhook or API endpoint that checks `req.headers[\'x-signature\'] === expected` lets an attacker recover the expected signature byte by byte by timing many requests: the signature check leaks the very value it protects. Password comparisons are reported by plaintext-password instead.',
    fix: 'Compare in constant time. JavaScript/TypeScript: the comparison becomes `timingSafeEqualStrings(a, b)` (negated for `!==`), a small function added to the module once that checks the byte lengths first (`crypto.timingSafeEqual` throws on buffers of different lengths) and then compares with `crypto.timingSafeEqual`; values that are not strings keep the plain `===` they had. Python: `timing_safe_equal(a, b)` (`not timing_safe_equal(...)` for `!=`), a function added after the imports once that compares strings (encoded) and bytes with `hmac.compare_digest` and anything else (`None` from a missing header or an unset variable) with `==` as before, since `compare_digest` raises on `None` and on non-ASCII strings. The `crypto`/`hmac` import is added when missing. Safe: the result is the same for every pair of strings; only the time taken stops depending on where they differ.',
    examples: {
      js: {
        bad: "const crypto = require('crypto');\n\napp.post('/hooks/deploy', (req, res) => {\n  const expected = crypto.createHmac('sha256', process.env.DEPLOY_SECRET).update(req.rawBody).digest('hex');\n  if (req.headers['x-deploy-signature'] !== expected) return res.sendStatus(401);\n  res.sendStatus(204);\n});\n",
        good: "const crypto = require('crypto');\n\napp.post('/hooks/deploy', (req, res) => {\n  const expected = Buffer.from(crypto.createHmac('sha256', process.env.DEPLOY_SECRET).update(req.rawBody).digest('hex'));\n  const given = Buffer.from(String(req.headers['x-deploy-signature'] ?? ''));\n  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return res.sendStatus(401);\n  res.sendStatus(204);\n});\n",
      },
      py: {
        bad: "import os\nfrom flask import Flask, request\n\napp = Flask(__name__)\n\n\n@app.post(\"/internal/jobs\")\ndef run_job():\n    if request.headers.get(\"X-Api-Key\") != os.environ[\"JOBS_API_KEY\"]:\n        return \"forbidden\", 403\n    return \"ok\"\n",
        good: "import hmac\nimport os\nfrom flask import Flask, request\n\napp = Flask(__name__)\n\n\n@app.post(\"/internal/jobs\")\ndef run_job():\n    if not hmac.compare_digest(request.headers.get(\"X-Api-Key\") or \"\", os.environ[\"JOBS_API_KEY\"]):\n        return \"forbidden\", 403\n    return \"ok\"\n",
      },
    },
  },
  messages,
  create({ model, report }) {
    return {
      Binary(b) {
        const c = unsafeCompare(model, b);
        if (!c) return;
        report({
          node: b,
          message: format(messages.compare, { secret: excerpt(model, c.secret), other: excerpt(model, c.other), op: b.op, what: c.what }),
          data: { at: [b.start, b.end] },
        });
      },
    };
  },
  fix: {
    title: 'Compare in constant time',
    safety: 'safe',
    produce(finding, ctx) {
      const [s, e] = (finding.data?.at as number[] | undefined) ?? [];
      const b = ctx.model.nodesOfType('Binary').find((x) => x.start === s && x.end === e);
      if (!b) return undefined;
      const edits: TextEdit[] = [];
      const negate = b.op.startsWith('!');
      const text = (n: ir.Node) => ctx.model.text.slice(n.start, n.end);
      if (ctx.model.lang === 'py') {
        if (!ctx.model.resolve(PY_HELPER, ctx.model.root)) edits.push(pyHelper(ctx.model, addPyImport(ctx.model, edits, 'import hmac', 'hmac')));
        edits.push({ start: b.start, end: b.end, newText: `${negate ? 'not ' : ''}${PY_HELPER}(${text(b.left)}, ${text(b.right)})` });
        return { edits };
      }
      const crypto = addJsModuleImport(ctx.model, edits, 'crypto');
      if (!ctx.model.resolve(JS_HELPER, ctx.model.root)) edits.push({ start: ctx.model.text.length, end: ctx.model.text.length, newText: jsHelper(ctx.model, crypto) });
      edits.push({ start: b.start, end: b.end, newText: `${negate ? '!' : ''}${JS_HELPER}(${text(b.left)}, ${text(b.right)})` });
      return { edits };
    },
  },
});

/** `timing_safe_equal` after the imports: strings and bytes compared with hmac.compare_digest, anything else (None) as before. */
function pyHelper(model: CodeModel, hmac: string): TextEdit {
  const text = `

def ${PY_HELPER}(a, b):
    """Compares two strings in constant time; values that are not strings or bytes compare as before."""
    if isinstance(a, str) and isinstance(b, str):
        return ${hmac}.compare_digest(a.encode(), b.encode())
    if isinstance(a, bytes) and isinstance(b, bytes):
        return ${hmac}.compare_digest(a, b)
    return a == b
`;
  const tops = model.imports.filter((i) => i.parent?.type === 'Program');
  const last = tops[tops.length - 1];
  const at = last ? last.end : 0;
  return { start: at, end: at, newText: last ? `\n${text.trimEnd()}\n` : text.trimStart() + '\n' };
}

function jsHelper(model: CodeModel, crypto: string): string {
  const ts = /\.[cm]?tsx?$/i.test(model.file);
  const q = quoteOf(model);
  const semi = usesSemicolons(model) ? ';' : '';
  const sig = ts ? '(a: unknown, b: unknown): boolean' : '(a, b)';
  const lead = model.text.endsWith('\n') ? '' : '\n';
  return `${lead}
/**
 * Compares two strings in constant time. crypto.timingSafeEqual throws on inputs of different
 * lengths, so the lengths are checked first; values that are not strings compare as before.
 */
function ${JS_HELPER}${sig} {
  if (typeof a !== ${q}string${q} || typeof b !== ${q}string${q}) return a === b${semi}
  const left = Buffer.from(a)${semi}
  const right = Buffer.from(b)${semi}
  return left.length === right.length && ${crypto}.timingSafeEqual(left, right)${semi}
}
`;
}
