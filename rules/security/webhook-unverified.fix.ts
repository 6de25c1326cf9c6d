// The "Verify webhook signature" fix for Stripe handlers: Express-style (req, res) handlers in
// JS/TS and Flask, FastAPI and Django views in Python. Pure: computes edits from the model.
import * as ir from '../kit/model/ir';
import type { CodeModel } from '../kit/model/model';
import type { FixContext, FixResult, TextEdit } from '../kit/rule';
import { exportNames, foreignRouter, planHostMounts } from '../kit/frameworks/router-mounts';
import { taintOf } from '../kit/frameworks/taint';
import { type WebhookHandler } from '../kit/frameworks/webhooks';
import { PARSE } from './webhook-unverified.fix-event';
import { planJs } from './webhook-unverified.fix-js';
import { planPy } from './webhook-unverified.fix-py';

export interface VerifyPlan {
  edits: TextEdit[];
  /** The route registration moves above an app-level JSON parser. */
  movesRoute: boolean;
}

/** The fix for a handler, or undefined when it cannot be written safely. */
export function planStripeVerification(model: CodeModel, h: WebhookHandler): VerifyPlan | undefined {
  return model.cached(`stripeVerify:${h.fn.start}`, () => (h.provider === 'other' ? undefined : model.lang === 'js' ? planJs(model, h) : planPy(model, h)));
}

/**
 * The fix, with the host modules that mount this handler's router when the body reaches it
 * parsed: a mount after the host's `express.json()` moves above it, since the route-level
 * `express.raw()` the fix adds would otherwise get an object and reject every genuine event.
 * No fix when no host is found or one cannot be changed safely: the order is then unknown.
 */
export function produceStripeVerification(ctx: FixContext, h: WebhookHandler): FixResult | undefined {
  const plan = planStripeVerification(ctx.model, h);
  if (!plan) return undefined;
  const router = routerBodyParsedUpstream(ctx.model, h);
  if (!router) return { edits: plan.edits };
  const hosts = planHostMounts(ctx, exportNames(ctx.model.text, router));
  if (hosts.kind === 'unknown') return undefined;
  return hosts.kind === 'move' ? { edits: plan.edits, files: hosts.files } : { edits: plan.edits };
}

/**
 * The router (`express.Router()`) a handler is registered on when it takes the event from a body
 * that middleware outside this file parsed (not `JSON.parse(req.body)` of raw bytes): the mount
 * order in the host decides whether a route-level raw parser ever sees the bytes.
 */
export function routerBodyParsedUpstream(model: CodeModel, h: WebhookHandler): string | undefined {
  if (model.lang !== 'js') return undefined;
  const router = foreignRouter(model, h);
  if (!router) return undefined;
  const parses = ir.find(h.fn.body, (n) => n.type === 'Call' && PARSE.test(ir.dottedName(n.callee) ?? '') && n.args.some((a) => taintOf(model, a) === 'request'));
  return parses ? undefined : router;
}
