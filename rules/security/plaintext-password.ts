import * as path from 'path';
import * as ir from '../kit/model/ir';
import type { CodeModel } from '../kit/model/model';
import { defineRule, format, type FixContext, type TextEdit } from '../kit/rule';
import { excerpt } from '../kit/frameworks/redact';
import { addJsModuleImport, declaredDependencies, moduleLocal } from '../kit/fixes/js-imports';
import { addPyImport } from '../kit/fixes/py-imports';
import { fastHashOf, isConfigured, isPasswordName, isStoredPassword, isSubmittedPassword, modelHashes, unhashedWrites } from './plaintext-password.context';

const messages = {
  compare: '{stored} is compared with {op} to the submitted password {submitted}: passwords are stored and checked in the clear',
  compareDigest: '{stored} is compared with a {algorithm} digest of the submitted password {submitted}: a fast unsalted digest is cracked as fast as a GPU can hash',
  write: 'the submitted password {value} is stored as it came by {sink}: anyone who reads the table reads every password',
  assign: 'the submitted password {value} is written to {target} and saved as it came: anyone who reads the table reads every password',
  digest: '{algorithm} of the password {value}: a fast digest is cracked as fast as a GPU can hash; store a bcrypt hash',
};

export default defineRule({
  id: 'plaintext-password',
  category: 'security',
  severity: 'error',
  languages: ['js', 'py'],
  scope: 'workspace',
  cwe: 256,
  securitySeverity: 8.1,
  triggers: /pass|pwd/i,
  docs: {
    summary: 'A stored password compared with ==/=== to the submitted one, a submitted password stored unhashed, or md5/sha1/unsalted sha256 of a password',
    why: 'An AI-written login that checks `user.password === password` works in every demo, and it means every password sits in the database in the clear: one SQL injection, one leaked backup or one curious employee exposes all of them, and users reuse them elsewhere. md5, sha1 and plain sha256 are no better: a GPU tries billions of guesses a second against them. Passwords are stored as bcrypt (or argon2/scrypt) hashes and checked with the library\'s compare.',
    fix: 'Use bcrypt (unsafe: rows stored before the fix hold plaintext or a fast digest, so existing users must reset their password or be re-hashed by a migration at their next login). A comparison becomes `await bcrypt.compare(password, user.password)` (negated for `!==`; Python `bcrypt.checkpw(password.encode(), user.password.encode())`); a submitted password written to the database becomes `await bcrypt.hash(password, 12)` (`bcrypt.hashpw(password.encode(), bcrypt.gensalt(12)).decode()`); an md5/sha1/sha256 digest of a password becomes the same bcrypt hash. The library is the one the workspace already uses: argon2 when the module imports it or the manifest lists it without bcrypt (`await argon2.verify(user.password, password)` / `await argon2.hash(password)`; Python `argon2.PasswordHasher().hash(password)` and a `password_matches(stored_hash, password)` function added after the imports, since argon2\'s verify raises on a mismatch), bcryptjs when that is the bcrypt it has, else bcrypt. The import is added, and the fix title says when the package is missing from package.json or requirements. No fix where it cannot be right: a comparison or write in a function that is not `async` (the hash must be awaited), a password kept in configuration, Django models (use `create_user`/`set_password`/`check_password`).',
    examples: {
      js: {
        bad: "app.post('/login', async (req, res) => {\n  const { email, password } = req.body;\n  const user = await db.user.findUnique({ where: { email } });\n  if (!user || user.password !== password) return res.status(401).json({ error: 'invalid credentials' });\n  res.json({ ok: true });\n});\n",
        good: "const bcrypt = require('bcrypt');\n\napp.post('/login', async (req, res) => {\n  const { email, password } = req.body;\n  const user = await db.user.findUnique({ where: { email } });\n  if (!user || !(await bcrypt.compare(password, user.passwordHash))) return res.status(401).json({ error: 'invalid credentials' });\n  res.json({ ok: true });\n});\n",
      },
      py: {
        bad: "import hashlib\n\nfrom flask import Flask, request\n\napp = Flask(__name__)\n\n\n@app.post(\"/signup\")\ndef signup():\n    password = request.form[\"password\"]\n    digest = hashlib.md5(password.encode()).hexdigest()\n    db.execute(\"INSERT INTO users (email, password_hash) VALUES (?, ?)\", (request.form[\"email\"], digest))\n    return \"\", 201\n",
        good: "import bcrypt\nfrom flask import Flask, request\n\napp = Flask(__name__)\n\n\n@app.post(\"/signup\")\ndef signup():\n    password = request.form[\"password\"]\n    if password != request.form[\"password_confirmation\"]:\n        return \"passwords differ\", 400\n    hashed = bcrypt.hashpw(password.encode(), bcrypt.gensalt(12)).decode()\n    db.execute(\"INSERT INTO users (email, password_hash) VALUES (?, ?)\", (request.form[\"email\"], hashed))\n    return \"\", 201\n",
      },
    },
  },
  messages,
  create({ model, report }) {
    const compared = new Set<ir.Call>();
    return {
      Binary(b) {
        if (!/^(===|==|!==|!=)$/.test(b.op)) return;
        for (const [stored, other] of [[b.left, b.right], [b.right, b.left]] as const) {
          if (!isStoredPassword(model, stored)) continue;
          const digest = ir.unwrap(other).type === 'Call' ? fastHashOf(model, ir.unwrap(other) as ir.Call) : undefined;
          const submitted = digest ? digest.input : other;
          if (!isSubmittedPassword(model, submitted)) continue;
          if (digest) compared.add(digest.call);
          report({
            node: b,
            message: digest
              ? format(messages.compareDigest, { stored: excerpt(model, stored), algorithm: digest.algorithm, submitted: excerpt(model, submitted) })
              : format(messages.compare, { stored: excerpt(model, stored), op: b.op, submitted: excerpt(model, submitted) }),
            data: { kind: 'compare', at: [b.start, b.end], stored: [stored.start, stored.end], submitted: [submitted.start, submitted.end], negate: b.op.startsWith('!') },
            noFix: isConfigured(model, stored) ? 'the password is kept in configuration: store a bcrypt hash there instead and compare with bcrypt.compare' : whyNoFix(model, b),
          });
          return;
        }
      },
      Call(c) {
        const writes = unhashedWrites(model, c);
        if (writes.length && modelHashes(model, c.callee)) return;
        for (const w of writes) {
          report({
            node: w.value,
            message: format(messages.write, { value: excerpt(model, w.value), sink: w.sink }),
            data: { kind: 'hash', at: [w.value.start, w.value.end], shorthand: !!w.prop?.shorthand, key: w.prop?.key },
            noFix: whyNoFix(model, c),
          });
        }
        const digest = fastHashOf(model, c);
        if (digest && !isInComparison(c)) {
          report({
            node: c,
            message: format(messages.digest, { algorithm: digest.algorithm, value: excerpt(model, digest.input) }),
            data: { kind: 'rehash', at: [c.start, c.end], input: [digest.input.start, digest.input.end] },
            noFix: whyNoFix(model, c),
          });
        }
      },
      Assign(a) {
        if (a.target.type !== 'Member' || !a.value || a.op !== '=' || !isPasswordName(a.target.prop)) return;
        if (!isSubmittedPassword(model, a.value) || !savedAfter(model, a) || modelHashes(model, a.target.object)) return;
        report({
          node: a.value,
          message: format(messages.assign, { value: excerpt(model, a.value), target: excerpt(model, a.target) }),
          data: { kind: 'hash', at: [a.value.start, a.value.end] },
          noFix: whyNoFix(model, a),
        });
      },
    };
  },
  fix: {
    title: (f) => (f.data?.kind === 'compare' ? 'Use bcrypt to check the password' : 'Use bcrypt to hash the password'),
    safety: 'unsafe',
    produce(finding, ctx) {
      const m = ctx.model;
      const [s, e] = (finding.data?.at as number[] | undefined) ?? [];
      if (s === undefined) return undefined;
      const text = (r: number[]) => m.text.slice(r[0], r[1]);
      const edits: TextEdit[] = [];
      const lib = hashLibrary(ctx);
      const argon = lib.name === 'argon2';
      const local = m.lang === 'py' ? addPyImport(m, edits, `import ${lib.name}`, lib.name) : addJsModuleImport(m, edits, lib.name, moduleLocal(m, lib.name) ?? (argon ? 'argon2' : 'bcrypt'));
      const kind = finding.data?.kind;
      const negate = !!finding.data?.negate;
      if (kind === 'compare') {
        const stored = text(finding.data!.stored as number[]);
        const submitted = plainSource(m, finding.data!.submitted as number[]);
        let check: string;
        if (m.lang === 'py' && argon) {
          if (!m.resolve(PY_ARGON_CHECK, m.root)) edits.push(pyArgonHelper(m, local));
          check = `${PY_ARGON_CHECK}(${stored}, ${submitted})`;
        } else if (m.lang === 'py') check = `${local}.checkpw(${submitted}.encode(), ${stored}.encode())`;
        else check = argon ? `await ${local}.verify(${stored}, ${submitted})` : `await ${local}.compare(${submitted}, ${stored})`;
        edits.push({ start: s, end: e, newText: negate ? (m.lang === 'py' ? `not ${check}` : `!(${check})`) : check });
      } else {
        const value = kind === 'rehash' ? plainSource(m, finding.data!.input as number[]) : text([s, e]);
        const hashed = m.lang === 'py'
          ? (argon ? `${local}.PasswordHasher().hash(${value})` : `${local}.hashpw(${value}.encode(), ${local}.gensalt(12)).decode()`)
          : (argon ? `await ${local}.hash(${value})` : `await ${local}.hash(${value}, 12)`);
        edits.push(finding.data?.shorthand ? { start: s, end: e, newText: `${finding.data.key as string}: ${hashed}` } : { start: s, end: e, newText: hashed });
      }
      const what = kind === 'compare' ? 'check' : 'hash';
      const title = `Use ${argon ? 'argon2' : 'bcrypt'} to ${what} the password`;
      return { edits, title: lib.missing ? `${title} (add ${lib.name} to ${m.lang === 'py' ? 'requirements' : 'package.json'})` : title };
    },
  },
});

const PY_ARGON_CHECK = 'password_matches';

/** `password_matches` after the imports: argon2's verify raises on a mismatch, the comparison it replaces answered False. */
function pyArgonHelper(model: CodeModel, argon2: string): TextEdit {
  const text = `

def ${PY_ARGON_CHECK}(stored_hash, password):
    """Checks a password against its argon2 hash; a mismatch or a value that is not a hash is False."""
    try:
        return ${argon2}.PasswordHasher().verify(stored_hash, password)
    except (${argon2}.exceptions.VerificationError, ${argon2}.exceptions.InvalidHashError):
        return False
`;
  const tops = model.imports.filter((i) => i.parent?.type === 'Program');
  const last = tops[tops.length - 1];
  const at = last ? last.end : 0;
  return { start: at, end: at, newText: last ? `\n${text.trimEnd()}\n` : text.trimStart() + '\n' };
}

/** The submitted password's source text without the `.encode()` a digest needed (bcrypt wants the password itself). */
function plainSource(model: CodeModel, r: number[]): string {
  return model.text.slice(r[0], r[1]).replace(/\.encode\((["']utf-?8["'])?\)$/, '');
}

/** Why no fix is offered for a finding in this function, or false. */
function whyNoFix(model: CodeModel, at: ir.Node): string | false {
  if (model.lang === 'py') {
    return model.usesModule((x) => x === 'django' || x.startsWith('django.')) ? 'Django stores passwords through its own hashers: use create_user/set_password and check_password' : false;
  }
  const fn = ir.enclosingFunction(at);
  if (!fn || !fn.async) return 'bcrypt hashes off the main thread and has to be awaited: make the function async and use await bcrypt.compare / bcrypt.hash';
  return false;
}

function isInComparison(c: ir.Call): boolean {
  const p = c.parent;
  return p?.type === 'Binary' && /^(===|==|!==|!=)$/.test(p.op);
}

/** `user.password = password` counts as storing when the same object is saved later in the function. */
function savedAfter(model: CodeModel, a: ir.Assign): boolean {
  const target = a.target as ir.Member;
  const owner = ir.dottedName(target.object);
  const fn = ir.enclosingFunction(a);
  if (!owner || !fn) return false;
  return model.calls.some((c) => ir.isInside(c, fn) && c.start > a.end && /^(save|update|commit|flush|add|persist)$/.test(ir.calleeName(c) ?? '')
    && (ir.dottedName(ir.receiver(c) ?? c.callee) === owner || c.args.some((x) => ir.dottedName(x) === owner) || /session$/.test(ir.dottedName(ir.receiver(c) ?? c) ?? '')));
}

/**
 * The hashing library the workspace already uses: argon2 when the module imports it or the
 * manifest lists it without bcrypt, bcryptjs when that is the bcrypt it has, else bcrypt; and
 * whether the manifest lacks it.
 */
function hashLibrary(ctx: FixContext): { name: 'bcrypt' | 'bcryptjs' | 'argon2'; missing: boolean } {
  const m = ctx.model;
  if (m.lang === 'py') {
    const req = ctx.workspaceRoot ? (ctx.readFile(path.join(ctx.workspaceRoot, 'requirements.txt')) ?? '') + (ctx.readFile(path.join(ctx.workspaceRoot, 'pyproject.toml')) ?? '') : '';
    const has = (re: RegExp) => re.test(req);
    if (m.modules.has('argon2') || (has(/^\s*"?argon2-cffi\b/im) && !has(/^\s*"?bcrypt\b/im) && !m.modules.has('bcrypt'))) return { name: 'argon2', missing: !!ctx.workspaceRoot && !has(/argon2-cffi/i) && !m.modules.has('argon2') };
    return { name: 'bcrypt', missing: !!ctx.workspaceRoot && !has(/^\s*"?bcrypt\b/im) && !m.modules.has('bcrypt') };
  }
  for (const name of ['argon2', 'bcryptjs', 'bcrypt'] as const) if (moduleLocal(m, name)) return { name, missing: false };
  const deps = declaredDependencies(ctx.workspaceRoot ? ctx.readFile(path.join(ctx.workspaceRoot, 'package.json')) : undefined);
  if (deps.has('argon2') && !deps.has('bcrypt') && !deps.has('bcryptjs')) return { name: 'argon2', missing: false };
  if (deps.has('bcryptjs') && !deps.has('bcrypt')) return { name: 'bcryptjs', missing: false };
  return { name: 'bcrypt', missing: !!ctx.workspaceRoot && !deps.has('bcrypt') };
}
