import * as ir from '../kit/model/ir';
import { defineRule, format } from '../kit/rule';
import type { CodeModel } from '../kit/model/model';
import { effectsOf, payloadCalls } from '../kit/frameworks/effects';
import { isJsonParser, jsonParserBefore } from '../kit/frameworks/body-parsers';
import { isRequestObject, isRequestRead } from '../kit/frameworks/taint';
import { webhookHandlers, type WebhookHandler } from '../kit/frameworks/webhooks';
import { verificationOf } from '../kit/frameworks/webhook-verify';
import { planStripeVerification, produceStripeVerification, routerBodyParsedUpstream } from './webhook-unverified.fix';
import { excerpt } from '../kit/frameworks/redact';
import { planFailClosed } from './webhook-unverified.fix-failopen';

const messages = {
  unverified: 'webhook handler {handler} acts on the event ({effect}) without verifying its signature: anyone can POST a forged {example}',
  unverifiedRouter: 'webhook handler {handler} acts on the event ({effect}) without verifying its signature: anyone can POST a forged {example}; the body reaches {router} parsed upstream and verifying needs the raw bytes: mount {router} before the app\'s JSON body parser',
  actsFirst: 'webhook handler {handler} runs {effect} before verifying the signature: a forged request gets that far',
  weakCompare: 'webhook handler {handler} compares its HMAC signature with a plain string comparison, which leaks timing: use {compare}',
  parsedBody: '{verify} in {handler} checks a body {parser}: the signature never matches, so every real event is rejected',
  failOpen: 'webhook handler {handler} verifies the signature only when {secret} is set; otherwise it acts on the unverified body ({effect}): a deployment without the variable accepts a forged {example}',
};

export default defineRule({
  id: 'webhook-unverified',
  category: 'security',
  severity: 'error',
  languages: ['js', 'py'],
  scope: 'workspace',
  cwe: 345,
  securitySeverity: 8.1,
  triggers: /hook|signature|svix|x-github|type|event|action|topic/i,
  docs: {
    summary: 'A webhook handler acts on the payload without verifying the provider\'s signature, or verifies a body that was already parsed',
    why: 'A webhook URL is public: without a signature check, anyone who finds it can POST a fake `payment_intent.succeeded` and get an order marked paid and shipped for free. Stripe signs each delivery (`Stripe-Signature`), GitHub and Svix do the same; the SDKs verify it in one call, but only over the exact bytes received, so a route whose body `express.json()` already parsed rejects every real event instead.',
    fix: 'Verify webhook signature (Stripe, GitHub, Svix/Clerk/Resend; Express, Next.js route handlers, Flask, FastAPI, Django): the handler builds the event from the raw body with the provider\'s check: `stripe.webhooks.constructEvent(req.body, req.headers[\'stripe-signature\'], process.env.STRIPE_WEBHOOK_SECRET)` (`stripe.Webhook.construct_event(request.get_data(), ...)` in Python), svix `new Webhook(process.env.CLERK_WEBHOOK_SECRET).verify(body, headers)`, or for GitHub a `verifyGitHubEvent`/`verify_github_event` function added to the module that checks `X-Hub-Signature-256` (HMAC-SHA256 of the raw body under `GITHUB_WEBHOOK_SECRET`) with `crypto.timingSafeEqual`/`hmac.compare_digest` and parses the body (`await req.text()` in a Fetch-style handler) inside try/catch answering 400 on failure (an existing try whose catch already answers keeps its catch), and uses that event instead of the parsed body. The route gets the raw bytes: `express.raw({ type: \'application/json\' })` replaces or joins its middleware, and a route registered after an app-level `express.json()` in the same file moves above it, because a JSON parser that runs first consumes the body and a later `express.raw()` cannot undo that. Unsafe: requests without a valid signature are now rejected, so `STRIPE_WEBHOOK_SECRET` must hold the endpoint\'s signing secret before deploying; and for an `express.Router()` whose handler reads a body parsed upstream, the fix finds the workspace modules that import and mount the router: a mount after the app\'s `express.json()` moves (with its comments) above the parser in that file too, and no fix is offered when no such module is found or the mount cannot be moved safely, since a raw parser behind a global JSON parser would reject every genuine event. A handler that verifies only when the secret is set (`if (endpointSecret) { ...constructEvent... }` with the body trusted otherwise) is made to fail closed: the check always runs, the branch or initial value that trusted the body goes, and without the secret the check throws and the handler answers 400 (Python: `except ValueError` widens to `stripe.error.SignatureVerificationError` too). Findings the fix cannot repair (other providers, checks after side effects, plain-string HMAC comparisons) say why.',
    examples: {
      js: {
        bad: "const express = require('express');\nconst app = express();\napp.post('/webhook', express.json(), async (req, res) => {\n  const event = req.body;\n  if (event.type === 'payment_intent.succeeded') {\n    await markPaid(event.data.object.metadata.orderId);\n  }\n  res.json({ received: true });\n});\n",
        good: "const express = require('express');\nconst Stripe = require('stripe');\nconst stripe = new Stripe(process.env.STRIPE_SECRET_KEY);\nconst app = express();\napp.post('/webhook', express.raw({ type: 'application/json' }), async (req, res) => {\n  let event;\n  try {\n    event = stripe.webhooks.constructEvent(req.body, req.headers['stripe-signature'], process.env.STRIPE_WEBHOOK_SECRET);\n  } catch (err) {\n    return res.status(400).send(`Webhook Error: ${err.message}`);\n  }\n  if (event.type === 'payment_intent.succeeded') {\n    await markPaid(event.data.object.metadata.orderId);\n  }\n  res.json({ received: true });\n});\n",
      },
      py: {
        bad: "from flask import Flask, request\n\napp = Flask(__name__)\n\n@app.route(\"/webhook\", methods=[\"POST\"])\ndef webhook():\n    event = request.get_json()\n    if event[\"type\"] == \"checkout.session.completed\":\n        mark_order_paid(event[\"data\"][\"object\"][\"id\"])\n    return \"\", 200\n",
        good: "import os\n\nimport stripe\nfrom flask import Flask, request\n\napp = Flask(__name__)\n\n@app.route(\"/webhook\", methods=[\"POST\"])\ndef webhook():\n    try:\n        event = stripe.Webhook.construct_event(request.get_data(), request.headers.get(\"Stripe-Signature\"), os.environ[\"STRIPE_WEBHOOK_SECRET\"])\n    except (ValueError, stripe.SignatureVerificationError) as e:\n        return f\"Webhook Error: {e}\", 400\n    if event[\"type\"] == \"checkout.session.completed\":\n        mark_order_paid(event[\"data\"][\"object\"][\"id\"])\n    return \"\", 200\n",
      },
    },
  },
  messages,
  create({ model, report }) {
    return {
      'Program:exit'() {
        for (const h of webhookHandlers(model)) {
          const acts = actions(model, h.fn);
          if (!acts.length) continue;
          const facts = verificationOf(model, h);
          const names = { handler: h.label, effect: acts[0].label, example: example(h) };
          if (facts.failOpen) {
            const plan = planFailClosed(model, h.fn, facts.failOpen.guard, facts.verified?.call);
            report({ ...h.head, message: format(messages.failOpen, { ...names, secret: facts.failOpen.secret }), data: { fn: h.fn.start, failOpen: true }, noFix: 'reason' in plan ? plan.reason : false });
            continue;
          }
          if (facts.verified) {
            const early = acts.find((e) => e.node.start < facts.verified!.at && !isInsideVerification(e, facts.verified!.call));
            if (early) {
              report({ ...h.head, message: format(messages.actsFirst, { ...names, effect: early.label }), noFix: 'the side effects before the check have to move below it, and the fix does not reorder what the handler does' });
              continue;
            }
            const parsed = facts.verified.call && parsedBody(model, h, facts.verified.call);
            if (parsed) {
              const plan = planStripeVerification(model, h);
              report({ ...h.head, message: format(messages.parsedBody, { handler: h.label, verify: ir.dottedName(facts.verified.call!.callee) ?? 'the signature check', parser: parsed }), data: { fn: h.fn.start }, noFix: plan?.movesRoute ? false : 'the parser that consumed the body runs where the fix cannot move this route above it; give the route the raw body (express.raw) before any JSON parser' });
            }
            continue;
          }
          if (facts.weakCompare) {
            const compare = model.lang === 'py' ? 'hmac.compare_digest' : 'crypto.timingSafeEqual';
            report({ ...h.head, message: format(messages.weakCompare, { handler: h.label, compare }), noFix: `the comparison is the app's own code: replace it with ${compare}${model.lang === 'py' ? '' : ' over Buffers of equal length'}` });
            continue;
          }
          const router = routerBodyParsedUpstream(model, h);
          report({ ...h.head, message: format(router ? messages.unverifiedRouter : messages.unverified, { ...names, router }), data: { fn: h.fn.start }, noFix: planStripeVerification(model, h) ? false : whyNoVerifyFix(model, h) });
        }
      },
    };
  },
  fix: {
    title: 'Verify webhook signature',
    safety: 'unsafe',
    produce(finding, ctx) {
      const h = webhookHandlers(ctx.model).find((x) => x.fn.start === finding.data?.fn);
      if (!h) return undefined;
      if (finding.data?.failOpen) {
        const facts = verificationOf(ctx.model, h);
        const plan = facts.failOpen && planFailClosed(ctx.model, h.fn, facts.failOpen.guard, facts.verified?.call);
        return plan && !('reason' in plan) ? { edits: plan, title: 'Verify webhook signature always (fail closed when the secret is missing)' } : undefined;
      }
      return produceStripeVerification(ctx, h);
    },
  },
});

/** Why no signature check can be written into this handler. */
function whyNoVerifyFix(model: CodeModel, h: WebhookHandler): string {
  if (h.provider === 'other') return 'the fix knows the signature schemes of Stripe, GitHub and Svix (Clerk, Resend), not this provider\'s: verify with its documented check (an HMAC of the raw body compared in constant time)';
  const framework = h.route?.framework;
  if (framework && !/^(express|next|flask|fastapi|django)$/.test(framework)) return `${framework} handlers are not rewritten by the fix: verify the raw body with the provider's SDK before acting`;
  if (model.lang === 'py' && framework === 'fastapi' && !h.fn.async) return 'the FastAPI handler is not async, and reading the raw body needs await request.body()';
  return 'the handler reads the event in a way the fix cannot rewrite (not from the request body in this function): verify the raw body with the provider\'s SDK before acting';
}

function example(h: WebhookHandler): string {
  if (h.eventTypes.length) return h.eventTypes[0];
  if (h.provider === 'github') return 'push event';
  return h.provider === 'stripe' ? 'payment_intent.succeeded' : 'event';
}

/** What the handler does with the event: recognised side effects, else calls handed the payload. */
function actions(model: CodeModel, fn: ir.Func): { node: ir.Node; label: string }[] {
  const effects = effectsOf(model, fn);
  if (effects.length) return effects;
  return payloadCalls(model, fn).map((c) => ({ node: c, label: ir.dottedName(c.callee) ?? 'a call' }));
}

function isInsideVerification(e: { node: ir.Node }, call?: ir.Call): boolean {
  return !!call && ir.isInside(e.node, call);
}

/**
 * Which parser already consumed the body handed to the signature check, if any: a JSON
 * re-serialisation, a parsed request read (`await req.json()`, `request.get_json()`), or an
 * app-level `express.json()` registered before the route.
 */
function parsedBody(model: CodeModel, h: WebhookHandler, verify: ir.Call): string | undefined {
  const name = ir.calleeName(verify) ?? '';
  if (!/^(constructEvent|constructEventAsync|construct_event)$/.test(name) || !verify.args[0]) return undefined;
  const src = followLocal(model, verify.args[0]);
  if (src.type === 'Call') {
    const callee = ir.dottedName(src.callee) ?? '';
    if (/^(JSON\.stringify|json\.dumps)$/.test(callee)) return `re-serialised by ${callee}, not the bytes the provider signed`;
    if (src.callee.type === 'Member' && /^(json|get_json)$/.test(src.callee.prop) && isRequestObject(model, src.callee.object)) return `parsed by ${callee}()`;
  }
  if (src.type === 'Member' && isRequestRead(model, src)) {
    if (model.lang === 'py' && src.prop === 'json') return `parsed by ${ir.dottedName(src) ?? 'request.json'}`;
    if (src.prop !== 'body') return undefined;
    if (h.route) {
      const use = jsonParserBefore(model, h.route);
      const parser = use?.args.find((a) => isJsonParser(model, a));
      if (use && parser) return `that ${excerpt(model, parser, 60)} (line ${model.lines.position(use.start).line + 1}) already parsed`;
    }
    if (h.route?.framework === 'next' && /(^|\/)pages\//.test(model.file.replace(/\\/g, '/')) && !/bodyParser\s*:\s*false/.test(model.text)) return 'parsed by the Next.js API body parser (no `bodyParser: false`)';
  }
  return undefined;
}

function followLocal(model: CodeModel, n: ir.Node): ir.Node {
  let cur = ir.unwrap(n);
  for (let i = 0; i < 4 && cur.type === 'Ident'; i++) {
    const v = model.valueOf(cur);
    if (!v) break;
    cur = ir.unwrap(v);
  }
  return cur;
}
