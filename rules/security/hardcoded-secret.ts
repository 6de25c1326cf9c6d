import * as path from 'path';
import * as ir from '../kit/model/ir';
import { defineRule, format, type FileChange, type Severity, type TextEdit } from '../kit/rule';
import { planDotenvLoader } from '../kit/fixes/dotenv-loader';
import type { CodeModel } from '../kit/model/model';
import {
  connectionCredential, queryCredential, isAuthorizationCredential, isCredentialName, isPlaceholder,
  isLiveKey, keyShape, looksGenerated, looksLikeReference, looksLikeText, nameWords, redact, upperSnake,
} from '../kit/frameworks/secrets';
import { appendLine, chooseEnvSlot, dotenvLine, exampleWithName, gitignoreWithDotenv } from '../kit/fixes/dotenv';
import { envReadEdits } from '../kit/fixes/envfix';
import { quoteStyleOf } from '../kit/model/literals';
import { literalsOf, placeOf, sinkArgs, slotSink, type Fallback, type Sink, type SinkKind, type Slot } from '../kit/frameworks/secret-flow';
import { envNameFor } from '../kit/frameworks/secret-names';
import { isExampleFile } from '../kit/frameworks/test-code';
import { accountRecord, credentialSlot, inRejectList, isAuthorizationSlot, isKeyDerivationLabel, isLocalServerCredential, plausible, presentedCredential } from './hardcoded-secret.context';

const messages = {
  sink: '{what} for {call} is hardcoded ({value}): anyone who can read the source can {impact}',
  fallback: '{name} falls back to a hardcoded value ({value}) when the variable is unset',
  shape: '{provider} hardcoded in the source ({value}): everyone who can read the code can use it',
  connection: 'connection string {url} embeds a password',
  named: '{name} is set to a hardcoded credential ({value})',
  authorization: 'Authorization header carries a hardcoded credential ({value})',
  query: 'URL passes a hardcoded credential in its {param} parameter ({value})',
  account: 'account {account} is created with a hardcoded password ({value}): anyone who reads the source can sign in as it wherever this code runs',
};

/** What each kind of key argument is, for messages. */
const SINK_TEXT: Record<SinkKind, { what: string; impact: string }> = {
  jwt: { what: 'JWT secret', impact: 'forge a token for any user' },
  session: { what: 'session secret', impact: 'forge session cookies' },
  cookie: { what: 'cookie signing secret', impact: 'forge signed cookies' },
  stripe: { what: 'Stripe API key', impact: 'charge, refund and read customers through this Stripe account' },
  hmac: { what: 'HMAC key', impact: 'forge signatures' },
  cipher: { what: 'encryption key', impact: 'decrypt the data' },
  smtp: { what: 'SMTP password', impact: 'send mail as this account' },
  database: { what: 'database password', impact: 'log in to the database' },
  twilio: { what: 'Twilio auth token', impact: 'send messages and place calls on this account' },
  apiKey: { what: 'API key', impact: 'use the API as this account' },
};

interface Candidate {
  node: ir.Str | ir.Template;
  value: string;
  /** A template/f-string with dynamic parts: reported, but there is no single literal to move. */
  partial: boolean;
  sink?: Sink;
  slot?: Slot;
  fallback?: Fallback;
}

type Reason = 'sink' | 'fallback' | 'shape' | 'connection' | 'named' | 'authorization' | 'query';

export default defineRule({
  id: 'hardcoded-secret',
  category: 'security',
  severity: 'error',
  languages: ['js', 'py'],
  scope: 'file',
  cwe: 798,
  reportsInTestCode: true,
  securitySeverity: 7.5,
  docs: {
    summary: 'A credential is written into the source: a JWT or session secret, an API key, a password, a connection string with its password, or a provider key',
    why: 'Source code is copied to every laptop, CI runner, fork and AI assistant that touches the repository, and git keeps it forever. `jwt.sign(payload, \'my-secret-key\')` in an AI-written login lets anyone who has read the repository forge a token for any user; a pasted `sk_live_` key lets them charge and refund through the Stripe account. Secrets belong in the environment, where they can differ per deployment and be rotated without a commit.',
    fix: 'Move secret to environment. The literal becomes a read that fails loudly when the variable is unset: in JS/TS `requireEnv(\'NAME\')`, a five-line helper added once per file (typed `string` in TypeScript, so it fits a jwt secret, and the app never signs with `undefined`); in Python `os.environ["NAME"]` (KeyError), adding `import os`. A value used inside a function is read once into a module constant, so a missing variable stops the app at start instead of surfacing as a caught error on the first request. Fallbacks (`process.env.X || \'dev\'`, `os.getenv("X", "dev")`) become a required read of X; `config("X", default=...)` (python-decouple, django-environ) and pydantic `BaseSettings` fields just lose their default, since they already fail when X is missing. NAME is the variable the code already reads, else the name the provider SDK reads (OPENAI_API_KEY, STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET for `whsec_`, AWS_ACCESS_KEY_ID, GITHUB_TOKEN), else the convention of the call (JWT_SECRET, SESSION_SECRET), else DATABASE_URL / MONGODB_URI / REDIS_URL for connection strings, else the variable or key name in UPPER_SNAKE with its owner as prefix (`apiKey` gives API_KEY, `password` in `new Pool({...})` gives DB_PASSWORD, `clientSecret` under `github:` gives GITHUB_CLIENT_SECRET). The value is appended to the workspace `.env` (created if missing; the same NAME with the same value is reused, so sign and verify share one line; a different value gets NAME_2), `.env` is added to `.gitignore` unless a rule already ignores it, and `NAME=` is added to `.env.example` when that file exists. Unsafe: every environment that runs the code (CI, staging, production) must now define NAME or the app refuses to start, and the old value stays in git history, so rotate it. No fix is offered without a workspace folder (the secret would have nowhere to go), in test files, in `\'use client\'` modules (browser code cannot read server variables: move the call server-side), or when the key sits inside a larger string such as a URL or header.',
    examples: {
      js: {
        bad: "import jwt from 'jsonwebtoken';\n\nexport function issueToken(userId: string) {\n  return jwt.sign({ sub: userId }, 'my-secret-key', { expiresIn: '1h' });\n}\n",
        good: "import jwt from 'jsonwebtoken';\n\nconst JWT_SECRET = process.env.JWT_SECRET;\nif (!JWT_SECRET) throw new Error('JWT_SECRET is not set');\n\nexport function issueToken(userId: string) {\n  return jwt.sign({ sub: userId }, JWT_SECRET, { expiresIn: '1h' });\n}\n",
      },
      py: {
        bad: "from flask import Flask\n\napp = Flask(__name__)\napp.config[\"SECRET_KEY\"] = \"8f42a73054b1749f8f58848be5e6502c\"\n",
        good: "import os\n\nfrom flask import Flask\n\napp = Flask(__name__)\napp.config[\"SECRET_KEY\"] = os.environ[\"SECRET_KEY\"]\n",
      },
    },
  },
  messages,
  create({ model, report }) {
    const candidates = new Map<ir.Node, Candidate>();
    const candidate = (lit: ir.Str): Candidate => {
      let c = candidates.get(lit);
      if (!c) {
        const place = placeOf(model, lit);
        c = { node: lit, value: lit.value, partial: false, slot: place.slot, fallback: place.fallback, sink: place.slot && slotSink(model, place.slot) };
        candidates.set(lit, c);
      }
      return c;
    };
    return {
      Str(s) {
        if (!s.value.trim()) return;
        if (s.value.length >= 15 && keyShape(s.value)) { candidate(s); return; }
        if (/:\/\/|=/.test(s.value) && connectionCredential(s.value)) { candidate(s); return; }
        if (s.value.includes('=') && queryCredential(s.value)) { candidate(s); return; }
        const place = placeOf(model, s);
        if (place.fallback || (place.slot && (credentialSlot(place.slot) || isAuthorizationSlot(place.slot) || slotSink(model, place.slot)))) candidate(s);
      },
      Template(t) {
        if (t.tag || !t.exprs.length) return;
        // The dynamic parts become NUL so a password split around an interpolation never matches.
        const value = t.quasis.join('\u0000');
        if (keyShape(value) || connectionCredential(value) || queryCredential(value)) {
          candidates.set(t, { node: t, value, partial: true });
        }
      },
      Call(call) {
        for (const { arg, sink } of sinkArgs(model, call)) {
          for (const lit of literalsOf(model, arg)) {
            const c = candidate(lit);
            c.sink ??= sink;
          }
        }
      },
      'Program:exit'() {
        const test = model.testCode;
        const example = isExampleFile(model.file);
        // Browser bundles cannot read server environment variables: the secret has to move server-side.
        const browser = /^\s*(?:\/\/[^\n]*\n\s*)*['"]use client['"]/.test(model.text);
        for (const c of candidates.values()) {
          const verdict = judge(model, c, example);
          if (!verdict) continue;
          // A live provider key in a test is still a real, usable key; a fixture password, a
          // test-mode key or a throwaway private key is not.
          const live = isLiveKey(keyShape(c.value));
          // A key inside a URL, header or sentence: moving the whole string would hide the URL or scheme in .env.
          const embedded = verdict.reason === 'shape' && !keyShape(c.value)?.whole;
          const noFix =
            test ? 'in test code the key is a fixture: revoke it and give the tests their own from the test environment'
            : browser ? "a 'use client' module runs in the browser, which has no server environment: move the call that needs the secret to the server and revoke the key"
            : c.partial ? 'the secret is part of a template string with interpolations: move that part to an environment variable by hand'
            : embedded ? 'the key sits inside a longer string (a URL, a header or a sentence): move only the key to an environment variable'
            : c.slot?.envTarget ? 'the code sets the environment variable itself: delete the assignment and set the variable where the app is deployed'
            : verdict.reason === 'authorization' ? 'the credential is part of an Authorization header value: read the credential from an environment variable and build the header from it'
            : verdict.reason === 'query' ? "the credential is a parameter of a URL's query string: read it from an environment variable and add it to the URL"
            : isDocstring(c.node) ? 'the key is in a docstring: delete it and revoke the key'
            : false;
          report({
            node: c.node,
            message: verdict.message,
            severity: verdict.severity,
            realInTestCode: live,
            noFix,
            data: noFix ? undefined : fixData(model, c, verdict.reason) as Record<string, unknown> | undefined,
          });
        }
      },
    };
  },
  fix: {
    title: 'Move secret to environment',
    safety: 'unsafe',
    produce(finding, ctx) {
      const d = finding.data as FixData | undefined;
      if (!d || !ctx.workspaceRoot) return undefined;
      const lit = ir.find(ctx.model.root, (n) => n.type === 'Str' && n.start === finding.start && n.end === finding.end) as ir.Str | undefined;
      if (!lit) return undefined;
      const envPath = path.join(ctx.workspaceRoot, '.env');
      const envText = ctx.readFile(envPath);
      const slot = chooseEnvSlot(envText, d.envName, lit.value, d.fixedName);
      const files: FileChange[] = [];
      if (slot.append) files.push({ kind: 'create', path: envPath, content: appendLine(envText, dotenvLine(slot.name, lit.value)) });
      const ignorePath = path.join(ctx.workspaceRoot, '.gitignore');
      const ignore = gitignoreWithDotenv(ctx.readFile(ignorePath));
      if (ignore !== undefined) files.push({ kind: 'create', path: ignorePath, content: ignore });
      const examplePath = path.join(ctx.workspaceRoot, '.env.example');
      const exampleText = ctx.readFile(examplePath);
      const example = exampleText === undefined ? undefined : exampleWithName(exampleText, slot.name);
      if (example !== undefined) files.push({ kind: 'create', path: examplePath, content: example });
      // The app must read .env for the value to arrive: load it here, or say what is missing.
      const loader = planDotenvLoader(ctx);
      const title = loader.missing ? `Move secret to environment (${loader.missing})` : undefined;
      if (d.removeKeyword) {
        // `config("X", default="...")` and pydantic settings already read X and raise when it is missing.
        return { edits: withInsertions([{ start: d.removeKeyword[0], end: d.removeKeyword[1], newText: '' }], loader.edits), files, title };
      }
      const edits = envReadEdits(ctx.model, {
        start: d.replace[0],
        end: d.replace[1],
        name: slot.name,
        hoist: d.hoist,
        quote: quoteStyleOf(ctx.model, lit).quote,
        bytes: lit.prefix.includes('b'),
        value: lit.value,
      });
      return { edits: withInsertions(edits, loader.edits), files, title };
    },
  },
});

/** Adds insertions to a fix's edits; one at the same point as an existing insertion goes before it. */
function withInsertions(edits: TextEdit[], inserts: TextEdit[]): TextEdit[] {
  const out = edits.map((e) => ({ ...e }));
  for (const ins of inserts) {
    const same = out.find((e) => e.start === ins.start && e.end === ins.start);
    if (same) same.newText = ins.newText + same.newText;
    else out.push(ins);
  }
  return out;
}

interface FixData {
  envName: string;
  /** The code reads this variable already (a fallback): keep the name, add the value only when missing. */
  fixedName: boolean;
  replace: [number, number];
  hoist: boolean;
  /** Deleting this range is the code fix (a `default=` keyword, a settings field default). */
  removeKeyword?: [number, number];
}

function judge(model: CodeModel, c: Candidate, example: boolean): { reason: Reason; message: string; severity?: Severity } | undefined {
  const v = c.value;
  const shape = v.length >= 15 ? keyShape(v) : undefined;
  const conn = /:\/\/|=/.test(v) ? connectionCredential(v) : undefined;
  const shown = redact(v, shape?.prefix);
  // An access key id inside a longer string (a presigned URL's credential scope) is the public half
  // of the key pair, printed in every URL the key signs.
  if (shape?.provider === 'AWS access key id' && !shape.whole) return undefined;
  // Example and template files and docstrings hold placeholders by design; only a real-looking provider key there is a leak.
  if (example || isDocstring(c.node)) return shape ? { reason: 'shape', message: format(messages.shape, { provider: shape.provider, value: shown }) } : undefined;
  // A Firebase web config ships to every browser by design; its apiKey identifies the project.
  if (shape?.envName === 'GOOGLE_API_KEY' && c.slot?.obj?.props.some((p) => p.type === 'Prop' && /^(?:authDomain|messagingSenderId)$/.test(p.key ?? ''))) return undefined;
  const nonEmpty = v.trim() !== '';
  // What the app presents to a provider or a database: a placeholder there opens nothing, and a
  // password for a server on this machine opens only a developer's own database.
  const presented = !!conn || presentedCredential(c.sink, [c.fallback?.envName, c.slot?.name]);
  if (presented && (isPlaceholder(v) || isLocalServerCredential(c.slot, conn?.host))) return undefined;
  if (inRejectList(model, c.node) || (c.sink?.kind === 'hmac' && isKeyDerivationLabel(c.node))) return undefined;
  // A fallback is what runs in any deployment that forgot the variable: even `'changeme'` signs tokens there.
  const fallbackUsed = c.fallback && (isCredentialName(c.fallback.envName) || (c.slot && credentialSlot(c.slot))) && !looksLikeText(v) && !looksLikeReference(v);
  if (c.fallback && nonEmpty && (c.sink || fallbackUsed)) {
    return { reason: 'fallback', message: format(messages.fallback, { name: c.fallback.envName, value: shown }) };
  }
  if (c.sink && nonEmpty && !c.partial) {
    const s = SINK_TEXT[c.sink.kind];
    return { reason: 'sink', message: format(messages.sink, { what: s.what, call: c.sink.call, value: shown, impact: s.impact }) };
  }
  if (shape) return { reason: 'shape', message: format(messages.shape, { provider: shape.provider, value: shown }) };
  if (conn) return { reason: 'connection', message: format(messages.connection, { url: `'${conn.display}'` }) };
  const query = v.includes('=') ? queryCredential(v) : undefined;
  if (query) return { reason: 'query', message: format(messages.query, { param: query.param, value: redact(query.value) }) };
  if (c.slot && credentialSlot(c.slot) && plausible(v, c.slot)) {
    const account = accountRecord(c.slot);
    if (account) return { reason: 'named', message: format(messages.account, { account, value: shown }), severity: 'info' };
    return { reason: 'named', message: format(messages.named, { name: c.slot.label, value: shown }) };
  }
  if (c.slot && isAuthorizationSlot(c.slot) && isAuthorizationCredential(v)) {
    return { reason: 'authorization', message: format(messages.authorization, { value: redact(v.replace(/^\S+\s+/, ''), v.split(/\s/)[0] + ' ') }) };
  }
  return undefined;
}

function fixData(model: CodeModel, c: Candidate, reason: Reason): FixData | undefined {
  if (c.node.type !== 'Str') return undefined;
  const field = settingsField(model, c);
  if (field) {
    // pydantic-settings reads the field from the environment by itself and fails validation when
    // it is missing: dropping the default is the whole fix.
    return { envName: upperSnake(field.name), fixedName: true, replace: [c.node.start, c.node.end], hoist: false, removeKeyword: field.remove };
  }
  const fb = reason === 'fallback' ? c.fallback : undefined;
  const replace = fb ? fb.expr : c.node;
  return {
    envName: fb ? fb.envName : envNameFor(model, c.value, c.slot, c.sink),
    fixedName: !!fb,
    replace: [replace.start, replace.end],
    hoist: readsLate(replace),
    removeKeyword: fb?.removeKeyword ? [keywordRemovalStart(fb.removeKeyword), fb.removeKeyword.end] : undefined,
  };
}

/** Inside a function or an instance field: read at call time, so the fix hoists the read to module load. */
function readsLate(n: ir.Node): boolean {
  for (let p = n.parent; p; p = p.parent) {
    if (p.type === 'Func') return true;
    if (p.type === 'Assign' && p.decl === undefined && p.parent?.type === 'Class' && p.target.type === 'Member' && p.target.object.type === 'Other' && p.target.object.kind === 'this') return true;
  }
  return false;
}

/**
 * A field default in a pydantic `BaseSettings` class, which reads the field from the environment
 * by itself and fails validation when it is missing: `jwt_secret: str = "..."` (the ` = "..."`
 * range goes) or `Field("...", alias="JWT_SECRET")` (the default argument goes; the alias names
 * the variable).
 */
function settingsField(model: CodeModel, c: Candidate): { name: string; remove: [number, number] } | undefined {
  const assign = c.slot?.node;
  if (model.lang !== 'py' || assign?.type !== 'Assign' || !assign.value || assign.target.type !== 'Ident') return undefined;
  const cls = assign.parent;
  if (cls?.type !== 'Class' || !cls.bases.some((b) => /(?:^|\.)BaseSettings$/.test(ir.dottedName(b) ?? ''))) return undefined;
  const between = model.text.slice(assign.target.end, assign.value.start);
  if (!between.includes(':')) return undefined;
  if (assign.value === c.node) {
    const eq = between.lastIndexOf('=');
    return eq === -1 ? undefined : { name: assign.target.name, remove: [assign.target.end + between.slice(0, eq).trimEnd().length, c.node.end] };
  }
  const field = ir.unwrap(assign.value);
  if (field.type !== 'Call' || !/(?:^|\.)Field$/.test(ir.dottedName(field.callee) ?? '')) return undefined;
  const i = field.args.findIndex((a) => a === c.node || (a.type === 'Keyword' && a.name === 'default' && a.value === c.node));
  if (i < 0) return undefined;
  const alias = field.args.find((a): a is ir.Keyword => a.type === 'Keyword' && /^(?:alias|validation_alias)$/.test(a.name) && a.value.type === 'Str');
  // The argument and the separator after it (or before it, when it is the last one).
  const arg = field.args[i];
  const next = field.args[i + 1];
  const remove: [number, number] = next ? [arg.start, next.start] : [i > 0 ? field.args[i - 1].end : arg.start, arg.end];
  return { name: alias ? (alias.value as ir.Str).value : assign.target.name, remove };
}

/** From the end of the previous argument, so `, default="x"` disappears with its comma. */
function keywordRemovalStart(kw: ir.Keyword): number {
  const call = kw.parent as ir.Call;
  const i = call.args.indexOf(kw);
  return i > 0 ? call.args[i - 1].end : kw.start;
}

function isDocstring(n: ir.Node): boolean {
  return n.parent?.type === 'ExprStmt';
}
