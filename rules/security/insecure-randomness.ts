import * as ir from '../kit/model/ir';
import type { CodeModel } from '../kit/model/model';
import { defineRule, format, type TextEdit } from '../kit/rule';
import { nameWords } from '../kit/frameworks/secrets';
import { functionName } from '../kit/frameworks/per-request';
import { addJsModuleImport } from '../kit/fixes/js-imports';
import { addPyImport } from '../kit/fixes/py-imports';
import { constantString } from '../kit/model/values';
import { quoteOf } from '../kit/fixes/style';

const messages = {
  weak: '{call} makes {what} `{name}`: Math.random and Python\'s random are predictable, so whoever sees a few outputs can compute the next ones',
};

/** Values whose whole point is that nobody can guess them. */
const SECRET_WORDS = new Set([
  'token', 'secret', 'password', 'passwd', 'pwd', 'passphrase', 'otp', 'totp', 'hotp', 'pin', 'salt', 'nonce', 'csrf', 'xsrf', 'apikey', 'sid',
  'reset', 'verification', 'invite', 'invitation', 'magic', 'mfa', '2fa', 'twofactor', 'passcode', 'credential', 'credentials', 'iv',
]);
/** Words that make a key, code or id a secret: `apiKey`, `resetCode`, `sessionId`. */
const OWNERS = new Set(['api', 'access', 'secret', 'signing', 'private', 'encryption', 'session', 'auth', 'login', 'confirmation', 'confirm', 'activation', 'sms', 'otp', 'security', 'recovery', 'backup', 'one']);
const OWNED = new Set(['key', 'code', 'id', 'ids', 'codes', 'keys', 'time']);
/** Words of values that are meant to be random-looking, not secret: timing, layout, sampling, display. */
const HARMLESS = new Set([
  'jitter', 'delay', 'backoff', 'timeout', 'retry', 'wait', 'sleep', 'interval', 'duration', 'color', 'colour', 'hue', 'x', 'y', 'z', 'index', 'idx',
  'shuffle', 'shuffled', 'sample', 'sampling', 'position', 'offset', 'width', 'height', 'opacity', 'angle', 'speed', 'animation', 'chance', 'probability',
  'rate', 'percent', 'weight', 'score', 'noise', 'seed', 'mock', 'fake', 'dummy', 'demo', 'test', 'example', 'placeholder', 'avatar', 'tip', 'quote',
  'greeting', 'message', 'emoji', 'status', 'amount', 'price', 'total', 'cost', 'tool', 'name', 'title', 'label', 'request', 'trace', 'correlation', 'span', 'temp', 'tmp', 'filename', 'file',
]);

type Verdict = 'secret' | 'harmless' | undefined;

function nameVerdict(name: string | undefined): Verdict {
  if (!name) return undefined;
  const words = nameWords(name);
  if (words.some((w) => SECRET_WORDS.has(w))) return 'secret';
  for (let i = 1; i < words.length; i++) if (OWNED.has(words[i]) && OWNERS.has(words[i - 1])) return 'secret';
  if (words.some((w) => HARMLESS.has(w))) return 'harmless';
  return undefined;
}

/** `Math.random()` (Math not shadowed), or a function of Python's `random` module (not SystemRandom). */
export function weakRandomCall(model: CodeModel, c: ir.Call): string | undefined {
  const dotted = ir.dottedName(c.callee) ?? '';
  if (model.lang === 'js') return dotted === 'Math.random' && !model.resolve('Math', c) ? 'Math.random()' : undefined;
  if (/SystemRandom/.test(dotted)) return undefined;
  const m = /^random\.(\w+)$/.exec(dotted);
  if (m && model.moduleOf('random')?.module === 'random') return /^(random|randint|randrange|choice|choices|sample|getrandbits|uniform|shuffle|randbytes)$/.test(m[1]) ? `random.${m[1]}()` : undefined;
  if (c.callee.type === 'Ident') {
    const imp = model.moduleOf(c.callee.name);
    if (imp?.module === 'random' && /^(random|randint|randrange|choice|choices|sample|getrandbits|randbytes)$/.test(imp.imported)) return `${imp.imported}()`;
  }
  return undefined;
}

/**
 * Where the random value ends up, nearest first: the variable, property, keyword or cookie/storage
 * key it is written to, then the function that builds it (the variable a function expression is
 * bound to). The first name that says secret or harmless decides.
 */
function destination(model: CodeModel, c: ir.Call): { verdict: Verdict; name: string; what: string } {
  let child: ir.Node = c;
  // A bare `id`, `key` or `code` is a secret when what holds it is one: `session.id`, `createSession()`.
  let owned: { name: string; what: string } | undefined;
  for (let p = c.parent; p; child = p, p = p.parent) {
    let name: string | undefined;
    let what = 'the value';
    if (p.type === 'Assign' && p.value === child) { name = ir.dottedName(p.target)?.split('.').pop() ?? (p.target.type === 'Index' ? constantString(model, p.target.index) : undefined); what = 'the value of'; }
    else if (p.type === 'Prop' && p.value === child) { name = p.key; what = 'the value of'; }
    else if (p.type === 'Keyword') { name = p.name; what = 'the value of'; }
    else if (p.type === 'Call' && child !== p.callee && p.args[0] && p.args[0] !== child) {
      // `res.cookie('session_id', ...)`, `localStorage.setItem('token', ...)`, `redis.set(\`reset:${id}\`, ...)`.
      const key = constantString(model, p.args[0]) ?? (ir.unwrap(p.args[0]).type === 'Template' ? (ir.unwrap(p.args[0]) as ir.Template).quasis.join('') : undefined);
      if (key && /^(cookie|setItem|set|setex|hset|setCookie|set_cookie)$/.test(ir.calleeName(p) ?? '')) { name = key.replace(/[:_\-\s]+$/, ''); what = 'the value stored under'; }
      // The route a handler serves names what it makes: `app.post('/login/code', ...)`.
      else if (key?.startsWith('/') && /^(get|post|put|patch|all|route)$/.test(ir.calleeName(p) ?? '')) { name = key.replace(/[/:{}<>]+/g, ' ').trim(); what = 'a value in the route'; }
    } else if (p.type === 'Func') {
      name = functionName(p);
      what = 'the result of';
    }
    const v = nameVerdict(name);
    if (v) return { verdict: v, name: name!, what };
    if (name && owned && nameWords(name).some((w) => OWNERS.has(w))) return { verdict: 'secret', ...owned };
    if (name && !owned && nameWords(name).some((w) => OWNED.has(w))) owned = { name, what };
    if (p.type === 'Func' && p.kind !== 'arrow' && p.kind !== 'expr' && p.kind !== 'lambda') break;
  }
  return { verdict: undefined, name: '', what: '' };
}

export default defineRule({
  id: 'insecure-randomness',
  category: 'security',
  severity: 'error',
  languages: ['js', 'py'],
  scope: 'file',
  cwe: 338,
  securitySeverity: 7.5,
  triggers: /random|randint|randrange|choice|choices|getrandbits/,
  docs: {
    summary: 'Math.random() or Python\'s random module used for tokens, passwords, reset codes, OTPs, session ids, salts, nonces or API keys',
    why: 'Math.random and Python\'s random are built for simulations, not secrets: their generators (xorshift128+, Mersenne Twister) can be reconstructed from a handful of outputs, after which every future value is known. A password-reset token made with `Math.random().toString(36)` is guessable: an attacker requests a reset for their own account, observes the token, and computes the one sent to the victim. Jitter, shuffling for display and sampling are not reported.',
    fix: 'Use crypto randomness, keeping the length and alphabet the code relies on: `Math.floor(Math.random() * n)` becomes `crypto.randomInt(n)` (so `chars[...]` keeps its alphabet), `Math.floor(100000 + Math.random() * 900000)` becomes `crypto.randomInt(100000, 1000000)` (a 6-digit code stays 6 digits), `Math.random().toString(36).substring(2, 10)` becomes `crypto.randomBytes(4).toString(\'hex\')` (hex digits are base-36 digits; 8 characters stay 8), and an unbounded `.substring(2)` becomes `crypto.randomBytes(16).toString(\'hex\')`. Python: `random.randint(a, b)` becomes `secrets.randbelow(b - a + 1) + a`, `random.choice` becomes `secrets.choice`, `random.choices(pool, k=n)` becomes `[secrets.choice(pool) for _ in range(n)]`, `random.randrange` becomes `secrets.randbelow`, `random.getrandbits` becomes `secrets.randbits`, and anything else `secrets.SystemRandom().<same method>`. The `crypto`/`secrets` import is added. Safe: values keep their range and format. A bare `Math.random()` in other arithmetic and browser code (no Node crypto there; use `crypto.getRandomValues`) get no fix, and say why.',
    examples: {
      js: {
        bad: "app.post('/password-reset', async (req, res) => {\n  const resetToken = Math.random().toString(36).substring(2);\n  await db.users.update({ where: { email: req.body.email }, data: { resetToken } });\n  res.sendStatus(202);\n});\n",
        good: "const crypto = require('crypto');\n\napp.post('/password-reset', async (req, res) => {\n  const resetToken = crypto.randomBytes(32).toString('hex');\n  const retryAfterMs = 1000 + Math.floor(Math.random() * 500);\n  await db.users.update({ where: { email: req.body.email }, data: { resetToken } });\n  res.set('Retry-After', String(retryAfterMs)).sendStatus(202);\n});\n",
      },
      py: {
        bad: "import random\n\n\ndef send_login_code(user):\n    otp = str(random.randint(100000, 999999))\n    user.pending_otp = otp\n    return otp\n",
        good: "import random\nimport secrets\n\n\ndef send_login_code(user):\n    otp = str(secrets.randbelow(900000) + 100000)\n    user.pending_otp = otp\n    return otp\n\n\ndef retry_delay(attempt):\n    return 2 ** attempt + random.uniform(0, 1)\n",
      },
    },
  },
  messages,
  create({ model, report }) {
    return {
      Call(c) {
        const call = weakRandomCall(model, c);
        if (!call) return;
        const dest = destination(model, c);
        if (dest.verdict !== 'secret') return;
        const plan = planFix(model, c);
        report({
          node: c,
          message: format(messages.weak, { call, what: dest.what, name: dest.name }),
          data: 'reason' in plan ? undefined : { at: [plan.start, plan.end], text: plan.text, module: plan.module },
          noFix: 'reason' in plan ? plan.reason : false,
        });
      },
    };
  },
  fix: {
    title: 'Use crypto randomness',
    safety: 'safe',
    produce(finding, ctx) {
      const [s, e] = (finding.data?.at as number[] | undefined) ?? [];
      if (s === undefined) return undefined;
      const edits: TextEdit[] = [];
      const mod = ctx.model.lang === 'py' ? addPyImport(ctx.model, edits, 'import secrets', 'secrets') : addJsModuleImport(ctx.model, edits, 'crypto');
      edits.push({ start: s, end: e, newText: (finding.data!.text as string).replace(/\$MOD\$/g, mod) });
      return { edits };
    },
  },
});

type Plan = { start: number; end: number; text: string; module: string } | { reason: string };

/** The replacement of the random expression around `c`, with `$MOD$` standing for the crypto/secrets module's local name. */
function planFix(model: CodeModel, c: ir.Call): Plan {
  return model.lang === 'py' ? planPy(model, c) : planJs(model, c);
}

const src = (model: CodeModel, n: ir.Node) => model.text.slice(n.start, n.end);
function num(n: ir.Node | undefined): number | undefined {
  const u = n && ir.unwrap(n);
  if (u?.type === 'Num') return u.value;
  if (u?.type === 'Unary' && u.op === '-' && u.arg.type === 'Num') return -u.arg.value;
  return undefined;
}

function planJs(model: CodeModel, c: ir.Call): Plan {
  if (/^\s*['"]use client['"]/.test(model.text) || model.usesModule((m) => m === 'react' || m === 'react-dom' || m === 'vue')) return { reason: 'browser code has no Node crypto module: use crypto.getRandomValues / crypto.randomUUID there' };
  const q = quoteOf(model);
  // Math.random().toString(36).substring(2[, end]) / .substr(2, len) / .slice(2[, end])
  const toStr = c.parent?.type === 'Member' && c.parent.prop === 'toString' && c.parent.parent?.type === 'Call' ? c.parent.parent : undefined;
  if (toStr && num(toStr.args[0]) === 36) {
    const cut = toStr.parent?.type === 'Member' && /^(substring|substr|slice)$/.test(toStr.parent.prop) && toStr.parent.parent?.type === 'Call' ? toStr.parent.parent : undefined;
    const whole = cut ?? toStr;
    const from = cut ? num(cut.args[0]) : 0;
    const to = cut ? num(cut.args[1]) : undefined;
    let len: number | undefined;
    if (cut && from !== undefined && to !== undefined) len = (cut.callee as ir.Member).prop === 'substr' ? to : to - from;
    // `.slice(-8)` keeps the last 8 characters.
    if (cut && from !== undefined && from < 0 && to === undefined && (cut.callee as ir.Member).prop !== 'substring') len = -from;
    const text = len !== undefined && len > 0 && len <= 64
      ? `$MOD$.randomBytes(${Math.ceil(len / 2)}).toString(${q}hex${q})${len % 2 ? `.slice(0, ${len})` : ''}`
      : `$MOD$.randomBytes(16).toString(${q}hex${q})`;
    return { start: whole.start, end: whole.end, text, module: 'crypto' };
  }
  // Math.floor(Math.random() * n [+ a]) / Math.floor(a + Math.random() * n) / Math.floor(Math.random() * n) + a
  const mul = c.parent?.type === 'Binary' && c.parent.op === '*' ? c.parent : undefined;
  if (mul) {
    const n = mul.left === c ? mul.right : mul.left;
    let inner: ir.Node = mul;
    let add: ir.Node | undefined;
    if (inner.parent?.type === 'Binary' && inner.parent.op === '+') { add = inner.parent.left === inner ? inner.parent.right : inner.parent.left; inner = inner.parent; }
    const floor = inner.parent?.type === 'Call' && /^Math\.(floor|trunc)$/.test(ir.dottedName(inner.parent.callee) ?? '') && inner.parent.args.length === 1 ? inner.parent : undefined;
    if (floor) {
      if (!add && floor.parent?.type === 'Binary' && floor.parent.op === '+') {
        const other = floor.parent.left === floor ? floor.parent.right : floor.parent.left;
        if (num(other) !== undefined) { add = other; return rangeInt(model, floor.parent, add, n); }
      }
      return add ? rangeInt(model, floor, add, n) : { start: floor.start, end: floor.end, text: `$MOD$.randomInt(${src(model, n)})`, module: 'crypto' };
    }
  }
  return { reason: 'the random number feeds arithmetic the fix cannot map to crypto.randomInt or crypto.randomBytes' };
}

function rangeInt(model: CodeModel, whole: ir.Node, add: ir.Node, n: ir.Node): Plan {
  const a = num(add);
  const b = num(n);
  const hi = a !== undefined && b !== undefined ? String(a + b) : `${src(model, add)} + ${src(model, n)}`;
  return { start: whole.start, end: whole.end, text: `$MOD$.randomInt(${src(model, add)}, ${hi})`, module: 'crypto' };
}

function planPy(model: CodeModel, c: ir.Call): Plan {
  const fn = ir.calleeName(c) ?? '';
  const imported = c.callee.type === 'Ident' ? model.moduleOf(c.callee.name)?.imported : undefined;
  const method = imported ?? fn;
  const pos = ir.positional(c);
  const args = c.args.map((a) => src(model, a)).join(', ');
  const at = { start: c.start, end: c.end, module: 'secrets' };
  if (method === 'randint' && pos.length === 2) {
    const [a, b] = pos.map(num);
    const span = a !== undefined && b !== undefined ? String(b - a + 1) : `${src(model, pos[1])} - ${src(model, pos[0])} + 1`;
    return { ...at, text: a === 0 ? `$MOD$.randbelow(${span})` : `$MOD$.randbelow(${span}) + ${src(model, pos[0])}` };
  }
  if (method === 'randrange' && pos.length === 1 && c.args.length === 1) return { ...at, text: `$MOD$.randbelow(${src(model, pos[0])})` };
  if (method === 'choice' && c.args.length === 1) return { ...at, text: `$MOD$.choice(${args})` };
  if (method === 'getrandbits' && c.args.length === 1) return { ...at, text: `$MOD$.randbits(${args})` };
  if (method === 'choices' && pos.length === 1) {
    const k = ir.keywordArg(c, 'k');
    if (k && c.args.length === 2) return { ...at, text: `[$MOD$.choice(${src(model, pos[0])}) for _ in range(${src(model, k)})]` };
  }
  return { ...at, text: `$MOD$.SystemRandom().${method}(${args})` };
}
