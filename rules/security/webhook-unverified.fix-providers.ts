// What "verify the signature" is for each provider the fix knows, as an expression that turns the
// raw body into the verified event or throws: Stripe's `constructEvent`, Svix's (Clerk, Resend)
// `new Webhook(secret).verify(body, headers)`, and for GitHub a small HMAC-SHA256 check of
// `X-Hub-Signature-256` compared in constant time (`crypto.timingSafeEqual` /
// `hmac.compare_digest`), added to the module once.
import type { CodeModel } from '../kit/model/model';
import type { TextEdit } from '../kit/rule';
import { stripeClientName } from '../kit/frameworks/stripe';
import { quoteOf, usesSemicolons } from '../kit/fixes/style';
import { addPyFromImport, addPyImport } from '../kit/fixes/py-imports';
import { addJsImport, addJsModuleImport, lastImport } from '../kit/fixes/js-imports';
import type { Provider } from '../kit/frameworks/webhooks';

export const GITHUB_JS_HELPER = 'verifyGitHubEvent';
export const GITHUB_PY_HELPER = 'verify_github_event';
export const SVIX_JS_HELPER = 'verifySvixEvent';

export interface JsVerifier {
  /** The verifying expression over the raw body, given how headers are read (`h => req.headers[h]`). */
  construct(raw: string, header: (name: string) => string, headers: string): string;
  /** Whether the event gets Stripe's type annotation in TypeScript. */
  stripeTyped: boolean;
}

/** The verifier for a JS/TS module, adding the imports and helper it needs to `edits`; undefined when the provider is unknown. */
export function jsVerifier(model: CodeModel, provider: Provider, edits: TextEdit[]): JsVerifier | undefined {
  const ts = /\.[cm]?tsx?$/i.test(model.file);
  const q = quoteOf(model);
  const bang = ts ? '!' : '';
  if (provider === 'stripe') {
    const client = stripeClientName(model);
    if (!client) return undefined;
    return { stripeTyped: true, construct: (raw, header) => `${client}.webhooks.constructEvent(${raw}, ${header('stripe-signature')}, ${jsSecret(model, ts, 'STRIPE_WEBHOOK_SECRET')})` };
  }
  if (provider === 'svix') {
    const env = svixSecretName(model);
    if (!model.resolve(SVIX_JS_HELPER, model.root)) {
      const webhook = addJsImport(model, edits, 'svix', 'Webhook');
      edits.push(moduleHelper(model, svixJsHelper(model, webhook, ts)));
    }
    return { stripeTyped: false, construct: (raw, _header, headers) => `${SVIX_JS_HELPER}(${raw}, ${headers}${ts ? ' as Record<string, string>' : ''}, ${jsSecret(model, ts, env)})` };
  }
  if (provider === 'github') {
    if (!model.resolve(GITHUB_JS_HELPER, model.root)) {
      const crypto = addJsModuleImport(model, edits, 'crypto');
      edits.push(moduleHelper(model, githubJsHelper(model, crypto, ts)));
    }
    return { stripeTyped: false, construct: (raw, header) => `${GITHUB_JS_HELPER}(${raw}, ${header('x-hub-signature-256')}, process.env.GITHUB_WEBHOOK_SECRET${bang})` };
  }
  void q;
  return undefined;
}

/** The Svix signing secret's environment name: Clerk and Resend document their own. */
function svixSecretName(model: CodeModel): string {
  if (/clerk/i.test(model.text)) return 'CLERK_WEBHOOK_SECRET';
  if (/resend/i.test(model.text)) return 'RESEND_WEBHOOK_SECRET';
  return 'SVIX_WEBHOOK_SECRET';
}

/** A module-level constant holding the secret (`const endpointSecret = ...`), else the environment variable. */
export function jsSecret(model: CodeModel, ts: boolean, env: string): string {
  for (const [name, b] of model.bindings(model.root)) {
    if (b.kind === 'var' && /webhook_?secret|endpoint_?secret|signing_?secret|whsec/i.test(name)) {
      const envRead = !!b.value && /process\.env|import\.meta\.env/.test(model.text.slice(b.value.start, b.value.end)) && !/\?\?|\|\|/.test(model.text.slice(b.value.start, b.value.end));
      return name + (ts && envRead ? '!' : '');
    }
  }
  return `process.env.${env}${ts ? '!' : ''}`;
}


/** The GitHub check: HMAC-SHA256 of the raw body, compared in constant time. */
function githubJsHelper(model: CodeModel, crypto: string, ts: boolean): string {
  const semi = usesSemicolons(model) ? ';' : '';
  const q = quoteOf(model);
  const sig = ts ? '(rawBody: Buffer | string, signature: string | string[] | null | undefined, secret: string)' : '(rawBody, signature, secret)';
  return `
/**
 * GitHub signs each delivery with HMAC-SHA256 of the raw body under the webhook's secret
 * (X-Hub-Signature-256: sha256=<hex>). Compares in constant time and returns the parsed event;
 * throws when the signature does not match.
 */
function ${GITHUB_JS_HELPER}${sig} {
  const expected = Buffer.from(\`sha256=\${${crypto}.createHmac(${q}sha256${q}, secret).update(rawBody).digest(${q}hex${q})}\`)${semi}
  const given = Buffer.from(String(signature ?? ${q}${q}))${semi}
  if (given.length !== expected.length || !${crypto}.timingSafeEqual(given, expected)) throw new Error(${q}invalid signature${q})${semi}
  return JSON.parse(rawBody.toString())${semi}
}
`;
}

/** The Svix check: svix 1.x returns the verified event and 2.x only verifies, so parse the verified bytes either way. */
function svixJsHelper(model: CodeModel, webhook: string, ts: boolean): string {
  const semi = usesSemicolons(model) ? ';' : '';
  const sig = ts ? '(rawBody: Buffer | string, headers: Record<string, string>, secret: string)' : '(rawBody, headers, secret)';
  return `
/**
 * Svix (Clerk, Resend) signs each delivery over its id, timestamp and raw body; Webhook.verify
 * throws when the signature or the timestamp is wrong. Returns the parsed event.
 */
function ${SVIX_JS_HELPER}${sig} {
  new ${webhook}(secret).verify(rawBody.toString(), headers)${semi}
  return JSON.parse(rawBody.toString())${semi}
}
`;
}

/** A helper function's text placed after the module's imports and requires. */
function moduleHelper(model: CodeModel, text: string): TextEdit {
  const last = lastImport(model);
  let at = last ? model.text.indexOf('\n', last.end) : 0;
  at = at === -1 ? model.text.length : at;
  return { start: at, end: at, newText: last ? `\n${text.trimEnd()}` : text.trimStart() + '\n' };
}

export interface PyVerifier {
  construct(raw: string, header: (name: string) => string, headers: string): string;
  /** The exceptions a failed check raises, as an `except` clause's type. */
  errors: string;
}

export function pyVerifier(model: CodeModel, provider: Provider, edits: TextEdit[]): PyVerifier | undefined {
  const q = quoteOf(model);
  if (provider === 'stripe') {
    const stripe = stripeClientName(model) ?? addPyImport(model, edits, 'import stripe', 'stripe');
    // stripe.error.SignatureVerificationError exists in every stripe-python still in use (the
    // top-level alias only from v8 on, so an older install would fail inside the except clause).
    return { errors: `(ValueError, ${stripe}.error.SignatureVerificationError)`, construct: (raw, header) => `${stripe}.Webhook.construct_event(${raw}, ${header('Stripe-Signature')}, ${pySecret(model, edits, q, 'STRIPE_WEBHOOK_SECRET')})` };
  }
  if (provider === 'svix') {
    const [webhook, error] = pyFromImports(model, edits, 'svix.webhooks', ['Webhook', 'WebhookVerificationError']);
    const env = svixSecretName(model);
    return { errors: `(ValueError, ${error})`, construct: (raw, _header, headers) => `${webhook}(${pySecret(model, edits, q, env)}).verify(${raw}, ${headers})` };
  }
  if (provider === 'github') {
    if (!model.resolve(GITHUB_PY_HELPER, model.root)) edits.push(githubPyHelper(model, edits, q));
    return { errors: 'ValueError', construct: (raw, header) => `${GITHUB_PY_HELPER}(${raw}, ${header('X-Hub-Signature-256')}, ${pySecret(model, edits, q, 'GITHUB_WEBHOOK_SECRET')})` };
  }
  return undefined;
}

/** Several names from one module: each existing import reused, the missing ones in one `from` line. */
function pyFromImports(model: CodeModel, edits: TextEdit[], module: string, names: string[]): string[] {
  const imported = new Map<string, string>();
  for (const i of model.imports) if (i.module === module) for (const n of i.names) imported.set(n.imported, n.local);
  const missing = names.filter((n) => !imported.has(n));
  if (missing.length) addPyFromImport(model, edits, module, missing.join(', '));
  return names.map((n) => imported.get(n) ?? n);
}

export function pySecret(model: CodeModel, edits: TextEdit[], q: string, env: string): string {
  for (const [name, b] of model.bindings(model.root)) {
    if (b.kind === 'var' && /webhook_?secret|endpoint_?secret|signing_?secret|whsec/i.test(name)) return name;
  }
  const os = addPyImport(model, edits, 'import os', 'os');
  return `${os}.environ[${q}${env}${q}]`;
}

/** `verify_github_event` after the imports: HMAC-SHA256 of the raw body, compared with hmac.compare_digest. */
function githubPyHelper(model: CodeModel, edits: TextEdit[], q: string): TextEdit {
  const hmac = addPyImport(model, edits, 'import hmac', 'hmac');
  const hashlib = addPyImport(model, edits, 'import hashlib', 'hashlib');
  const json = addPyImport(model, edits, 'import json', 'json');
  const text = `

def ${GITHUB_PY_HELPER}(raw_body, signature, secret):
    """GitHub signs each delivery with HMAC-SHA256 of the raw body (X-Hub-Signature-256: sha256=<hex>).

    Compares in constant time and returns the parsed event; raises ValueError when the signature does not match.
    """
    expected = ${q}sha256=${q} + ${hmac}.new(secret.encode(), raw_body, ${hashlib}.sha256).hexdigest()
    if not ${hmac}.compare_digest(signature or ${q}${q}, expected):
        raise ValueError(${q}invalid signature${q})
    return ${json}.loads(raw_body)
`;
  const tops = model.imports.filter((i) => i.parent?.type === 'Program');
  const last = tops[tops.length - 1];
  const at = last ? last.end : 0;
  return { start: at, end: at, newText: last ? `\n${text.trimEnd()}\n` : text.trimStart() + '\n' };
}
