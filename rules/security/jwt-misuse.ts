import * as ir from '../kit/model/ir';
import { defineRule, format } from '../kit/rule';
import type { CodeModel } from '../kit/model/model';
import { isMutated } from '../kit/model/values';
import { factsOf } from '../kit/frameworks/function-facts';
import { functionName } from '../kit/frameworks/per-request';
import { excerpt } from '../kit/frameworks/redact';
import { algorithmsOf, jwtCalls, jwtCall, noneAlgorithm, objectOf, type JwtCall } from '../kit/frameworks/jwt';
import { planJwtFix } from './jwt-misuse.fix';

const messages = {
  unverified: '{call} reads the token\'s claims without checking its signature in {where}: anyone can forge a token with any user id or role',
  handRolled: 'the token payload is decoded by hand ({call}) in {where} and trusted without checking its signature: anyone can forge it',
  none: '{call} accepts tokens whose alg is "none": an unsigned token passes verification',
  noExpiry: '{call} signs a token without an expiry: a stolen token stays valid forever',
};

/** Names of functions that decide who the caller is (auth middleware, guards, FastAPI dependencies). */
const AUTH_FUNCTION = /auth|guard|canActivate|protect|current_?user|session|identity|permission|login_?required|require_?(login|user)|is_?admin|principal|whoami|get_?user_?from/i;
/** Flask hooks that run before every request (where apps load the current user). */
const HOOK_DECORATOR = /(^|\.)(before_request|before_app_request)$/;
/** Claims naming a server-side session or opaque token record. */
const SERVER_SESSION_CLAIM = /^(token|session|session_?id|sessionId|sid|session_key)$/;
const JSON_PARSE = /^(JSON\.parse|json\.loads)$/;
const BASE64_DECODE = /^(atob|b64decode|urlsafe_b64decode|standard_b64decode|base64url_decode|decodeBase64|base64Decode|fromBase64)$/;

export default defineRule({
  id: 'jwt-misuse',
  category: 'security',
  severity: 'error',
  languages: ['js', 'py'],
  scope: 'workspace',
  cwe: 347,
  securitySeverity: 8.1,
  triggers: /jwt|jsonwebtoken|jose|split/i,
  docs: {
    summary: 'A JWT is decoded without verifying its signature and trusted, verification allows alg "none", or a token is signed without an expiry',
    why: 'AI assistants "generate JWT implementations instead of using vetted libraries": `jwt.decode(token)` (or `split(\'.\')[1]` + base64 + JSON.parse) reads the claims of any token, signed or not, so an attacker who edits the payload to `{"sub": "admin"}` is let in. Verification that allows `alg: none` accepts unsigned tokens the same way, and a token signed without an expiry stays valid for as long as the secret does, however it leaked. Decoding after a verify in the same function (to display claims or read the header) is not reported; jsonwebtoken\'s `jwt.verify(token, secret)` without `algorithms` is not either, since a secret restricts it to HS*.',
    fix: 'Verify instead of decode: `jwt.decode(token)` becomes `jwt.verify(token, secret, { algorithms: [\'HS256\'] })` (jsonwebtoken, legacy jose `JWT.verify`) and PyJWT / python-jose decoding with verification off becomes `jwt.decode(token, key, algorithms=["HS256"])`, with the secret and algorithm the file already signs or verifies with (else `JWT_SECRET` from the environment, and the fix title says so). Reject alg none: `none` is taken out of `algorithms`. Add expiry: `{ expiresIn: \'1h\' }` for jsonwebtoken, `.setExpirationTime(\'1h\')` for jose\'s SignJWT, an `exp` claim one hour ahead for PyJWT / python-jose. Unsafe: a verify throws (raises) on a forged, expired or malformed token where decode returned its claims, and signed tokens now expire after an hour. jose\'s `decodeJwt(token)` becomes `(await jwtVerify(token, key, { algorithms: [...] })).payload` in async functions, with the key another jose call of the file uses. Hand-rolled parsing gets no fix, and says why.',
    examples: {
      js: {
        bad: "const jwt = require('jsonwebtoken');\n\nfunction requireUser(req, res, next) {\n  const claims = jwt.decode(req.headers.authorization.slice(7));\n  if (!claims) return res.status(401).end();\n  req.userId = claims.sub;\n  next();\n}\n",
        good: "const jwt = require('jsonwebtoken');\n\nfunction requireUser(req, res, next) {\n  try {\n    const claims = jwt.verify(req.headers.authorization.slice(7), process.env.JWT_SECRET, { algorithms: ['HS256'] });\n    req.userId = claims.sub;\n    next();\n  } catch {\n    res.status(401).end();\n  }\n}\n",
      },
      py: {
        bad: "import os\n\nimport jwt\n\n\ndef get_current_user(token):\n    claims = jwt.decode(token, options={\"verify_signature\": False})\n    return claims[\"sub\"]\n",
        good: "import os\n\nimport jwt\n\n\ndef get_current_user(token):\n    claims = jwt.decode(token, os.environ[\"JWT_SECRET\"], algorithms=[\"HS256\"])\n    return claims[\"sub\"]\n",
      },
    },
  },
  messages,
  create({ model, report }) {
    return {
      Call(call) {
        const j = jwtCall(model, call);
        if (!j) {
          if (JSON_PARSE.test(ir.dottedName(call.callee) ?? '') && handRolledPayload(model, call) && decidesAuth(model, call) && !verifiedNearby(model, call)) {
            report({ node: call, message: format(messages.handRolled, { call: excerpt(model, call), where: where(call) }), noFix: 'the payload is parsed by hand: verify the token with the library the app signs with (jwt.verify, jose jwtVerify, PyJWT jwt.decode with algorithms) and read the claims from its result' });
          }
          return;
        }
        const at = [call.start, call.end];
        if (j.op === 'unverified') {
          if (readsHeaderOnly(call) || !decidesAuth(model, call) || verifiedNearby(model, call)) return;
          const plan = planJwtFix(model, { kind: 'decode', call: at });
          report({ node: call, message: format(messages.unverified, { call: excerpt(model, call.callee), where: where(call) }), data: { kind: 'decode', call: at }, noFix: 'reason' in plan ? plan.reason : false });
        } else if (j.op === 'verify') {
          const none = noneAlgorithm(model, algorithmsOf(model, j));
          if (!none) return;
          const plan = planJwtFix(model, { kind: 'none', call: at });
          report({ node: none, message: format(messages.none, { call: excerpt(model, call.callee) }), data: { kind: 'none', call: at }, noFix: 'reason' in plan ? plan.reason : false });
        } else if (signsWithoutExpiry(model, j)) {
          const plan = planJwtFix(model, { kind: 'expiry', call: at });
          report({ node: call, severity: 'warning', message: format(messages.noExpiry, { call: excerpt(model, call.callee) }), data: { kind: 'expiry', call: at }, noFix: 'reason' in plan ? plan.reason : false });
        }
      },
    };
  },
  fix: {
    title: (f) => (f.data?.kind === 'none' ? 'Reject alg none' : f.data?.kind === 'expiry' ? 'Add expiry' : 'Verify instead of decode'),
    safety: 'unsafe',
    produce(finding, ctx) {
      const plan = planJwtFix(ctx.model, finding.data as { kind: 'decode' | 'none' | 'expiry'; call: number[] });
      return 'reason' in plan ? undefined : { edits: plan.edits, title: plan.title };
    },
  },
});

function where(n: ir.Node): string {
  const fn = ir.enclosingFunction(n);
  return fn ? functionName(fn) ?? 'an anonymous function' : 'module code';
}

/**
 * Whether the claims decide who the caller is: the call runs per request (a handler, middleware,
 * what they call) or in a function named for authentication (guards, FastAPI dependencies).
 */
function decidesAuth(model: CodeModel, n: ir.Node): boolean {
  for (let fn = ir.enclosingFunction(n); fn; fn = ir.enclosingFunction(fn)) {
    const facts = factsOf(model, fn);
    if (facts.handler || facts.perRequest) return true;
    if (AUTH_FUNCTION.test(functionName(fn) ?? '')) return true;
    if (fn.decorators.some((d) => HOOK_DECORATOR.test(ir.dottedName(d.type === 'Call' ? d.callee : d) ?? ''))) return true;
  }
  return false;
}

/**
 * A verify of the same token flow: a signature-checking JWT call in the function around the
 * decode, including its callbacks (`getSigningKey(kid, (err, key) => jwt.verify(...))`).
 */
function verifiedNearby(model: CodeModel, n: ir.Node): boolean {
  const outer: ir.Func[] = [];
  for (let fn = ir.enclosingFunction(n); fn; fn = ir.enclosingFunction(fn)) outer.push(fn);
  if (!outer.length) return false;
  return jwtCalls(model).some((j) => j.op === 'verify' && outer.some((fn) => ir.isInside(j.call, fn)));
}

/** `jwt.decode(token, { complete: true }).header` and `.exp` reads: the claims are not trusted for identity. */
function readsHeaderOnly(call: ir.Call): boolean {
  const p = call.parent;
  return p?.type === 'Member' && /^(header|exp|iat|kid|alg|headers)$/.test(p.prop);
}

/** `JSON.parse(atob(token.split('.')[1]))` and its spread-out forms (destructuring, helper variables). */
function handRolledPayload(model: CodeModel, call: ir.Call): boolean {
  const arg = ir.positional(call)[0];
  if (!arg) return false;
  let decoded = false;
  let payloadPart = false;
  const seen = new Set<ir.Node>();
  const visit = (root: ir.Node, depth: number) => {
    if (depth > 4 || seen.has(root)) return;
    seen.add(root);
    ir.walk(root, (n) => {
      if (n.type === 'Func') return false;
      if (n.type === 'Call') {
        const name = ir.calleeName(n) ?? '';
        if (BASE64_DECODE.test(name)) decoded = true;
        if (name === 'from' && ir.dottedName(n.callee) === 'Buffer.from' && /^base64/.test(strValue(ir.positional(n)[1]) ?? '')) decoded = true;
        if (name === 'decode' && /base64|b64/i.test(ir.dottedName(n.callee) ?? '')) decoded = true;
      }
      if (n.type === 'Index' && isSplitOnDot(n.object) && ir.unwrap(n.index).type === 'Num' && (ir.unwrap(n.index) as ir.Num).value === 1) payloadPart = true;
      if (n.type === 'Ident') {
        const b = model.resolve(n);
        const v = b?.kind === 'var' ? b.value : undefined;
        if (v && !ir.isInside(n, v)) visit(v, depth + 1);
      }
    });
  };
  visit(arg, 0);
  return decoded && payloadPart;
}

function isSplitOnDot(n: ir.Node): boolean {
  const u = ir.unwrap(n);
  return u.type === 'Call' && ir.calleeName(u) === 'split' && strValue(ir.positional(u)[0]) === '.';
}

function strValue(n: ir.Node | undefined): string | undefined {
  const u = n && ir.unwrap(n);
  return u?.type === 'Str' ? u.value : undefined;
}

/** A sign whose payload is written out here without `exp` and whose options set no expiry. */
function signsWithoutExpiry(model: CodeModel, j: JwtCall): boolean {
  const pos = ir.positional(j.call);
  if (j.lib === 'jose') return joseChainWithoutExpiry(model, j.call);
  const payloadArg = pos[0] ?? ir.keywordArg(j.call, 'payload') ?? ir.keywordArg(j.call, 'claims');
  const payload = objectOf(model, payloadArg);
  if (!payload || !knownKeys(model, payload, payloadArg) || ir.propOf(payload, 'exp') || refersToServerSession(payload)) return false;
  if (model.lang === 'py') return true;
  const optsArg = pos[2] && ir.unwrap(pos[2]).type !== 'Func' ? pos[2] : undefined;
  if (!optsArg) return true;
  const opts = objectOf(model, optsArg);
  return !!opts && knownKeys(model, opts, optsArg) && !ir.propOf(opts, 'expiresIn') && !ir.propOf(opts, 'exp');
}

/**
 * A token that only wraps a reference to a server-side record (an opaque token or session id the
 * server looks up): its lifetime is the record's, which the server expires.
 */
function refersToServerSession(payload: ir.ObjectLit): boolean {
  return payload.props.some((p) => p.type === 'Prop' && SERVER_SESSION_CLAIM.test(p.key ?? ''));
}

/** Every key of the object is written out: no spread, and the variable holding it is not added to later. */
function knownKeys(model: CodeModel, o: ir.ObjectLit, via: ir.Node | undefined): boolean {
  if (o.props.some((p) => p.type === 'Spread' || p.key === undefined)) return false;
  const u = via && ir.unwrap(via);
  return !(u?.type === 'Ident' && isMutated(model, u));
}

/** jose: `new SignJWT(payload)...sign(key)` with no `setExpirationTime` in the chain and no `exp` in the payload. */
function joseChainWithoutExpiry(model: CodeModel, call: ir.Call): boolean {
  let cur: ir.Node = call.callee;
  while (cur.type === 'Call' || cur.type === 'Member' || cur.type === 'Await') {
    if (cur.type === 'Member' && cur.prop === 'setExpirationTime') return false;
    if (cur.type === 'Call' && cur.isNew && ir.calleeName(cur) === 'SignJWT') {
      const payloadArg = ir.positional(cur)[0];
      const payload = objectOf(model, payloadArg);
      return !!payload && knownKeys(model, payload, payloadArg) && !ir.propOf(payload, 'exp');
    }
    cur = cur.type === 'Call' ? cur.callee : cur.type === 'Member' ? cur.object : cur.arg;
  }
  // The builder is held in a variable (`const jwt = new SignJWT(...)`, then `jwt.setExpirationTime(...)`): not judged.
  return false;
}
