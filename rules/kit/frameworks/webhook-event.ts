// The webhook event in a handler: which expression holds the whole event a provider sent, and
// which is its unique id (the event id, or a delivery-id header), for deduplication.
import * as ir from '../model/ir';
import type { CodeModel } from '../model/model';
import { isHandlerShaped, routeOf } from './routes';
import { isRequestObject, isRequestRead, taintOf } from './taint';
import { constantString } from '../model/values';

/** Provider SDK calls that return the verified event (`constructEvent`, svix `verify`). */
export const EVENT_RETURNING = /^(constructEvent|constructEventAsync|construct_event|verify|verifyAndReceive|unwrap|validateEvent|constructEventWithoutVerification)$/;

/** True when the expression holds a whole webhook event (not a field of it). */
export function isEventRoot(model: CodeModel, n: ir.Node, depth = 0): boolean {
  if (depth > 6) return false;
  const u = ir.unwrap(n);
  switch (u.type) {
    case 'Member': return isRequestRead(model, u) && /^(body|json|data|payload)$/.test(u.prop);
    case 'Call': {
      const last = ir.calleeName(u) ?? '';
      if (EVENT_RETURNING.test(last)) return true;
      if (u.callee.type === 'Member' && isRequestObject(model, u.callee.object) && /^(json|get_json)$/.test(last)) return true;
      if (/^(parse|loads|parse_raw|model_validate|model_validate_json|parse_obj|retrieve|construct_from)$/.test(last)) return u.args.some((a) => taintOf(model, a) === 'request');
      return false;
    }
    case 'Ident': {
      const b = model.resolve(u);
      if (!b) return false;
      if (b.kind === 'param') {
        // A framework hands the parsed event to the handler (NestJS `@Body() event`, FastAPI models).
        const fn = b.scope as ir.Func;
        const typeText = fn.params[b.paramIndex ?? 0]?.typeText ?? '';
        if (/\b(\w*Event|\w*Payload|\w*Webhook\w*)\b/.test(typeText) && !/Request\b/.test(typeText)) return true;
        return /^(event|evt|payload|body|data|webhook|notification|webhookEvent|stripeEvent)$/i.test(u.name) && !/Request\b/.test(typeText) && (isHandlerShaped(model, fn) || !!routeOf(model, fn));
      }
      if (b.kind !== 'var') return false;
      const values = b.assigns.length ? b.assigns.map((a) => (a.target.type === 'Ident' ? a.value : undefined)) : [b.value];
      return values.some((v) => !!v && isEventRoot(model, v, depth + 1));
    }
    case 'Binary': return (u.op === '||' || u.op === '??') && isEventRoot(model, u.left, depth + 1);
    default: return false;
  }
}

const DELIVERY_HEADER = /^(x-github-delivery|svix-id|webhook-id|idempotency-key|x-shopify-webhook-id|x-request-id)$/i;

/**
 * True when the expression is (or contains) the event's unique id: `event.id`, `event['id']`,
 * `event.get('id')`, a delivery-id header, or a local bound to one of those.
 */
export function isEventIdExpr(model: CodeModel, n: ir.Node, depth = 0): boolean {
  if (depth > 6) return false;
  const u = ir.unwrap(n);
  switch (u.type) {
    case 'Member':
      if (u.prop === 'id' && isEventRoot(model, u.object)) return true;
      if (DELIVERY_HEADER.test(u.prop) && isHeaders(model, u.object)) return true;
      // Providers that nest the id: `payload.meta.event_id`, `body.eventId`, `notification.deliveryId`.
      return /^(event_?id|delivery_?id|webhook_?id|notification_?id)$/i.test(u.prop) && taintOf(model, u.object) === 'request';
    case 'Call': {
      const last = ir.calleeName(u);
      const key = u.args[0] && constantString(model, u.args[0]);
      if (u.callee.type === 'Member' && last === 'get' && key === 'id' && isEventRoot(model, u.callee.object)) return true;
      if (u.callee.type === 'Member' && /^(get|header|get_header)$/.test(last ?? '') && key && DELIVERY_HEADER.test(key)) return true;
      // `String(event.id)`, `str(event["id"])`.
      return u.callee.type === 'Ident' && (last === 'String' || last === 'str') && u.args.length === 1 && isEventIdExpr(model, u.args[0], depth + 1);
    }
    case 'Ident': {
      const b = model.resolve(u);
      if (!b || b.kind !== 'var') return false;
      const values = b.assigns.length ? b.assigns.map((a) => (a.target.type === 'Ident' ? a.value : b.value)) : [b.value];
      return values.some((v) => !!v && v !== u && isEventIdExpr(model, v, depth + 1));
    }
    case 'Template': return u.exprs.some((e) => isEventIdExpr(model, e, depth + 1));
    case 'Binary': return isEventIdExpr(model, u.left, depth + 1) || isEventIdExpr(model, u.right, depth + 1);
    default: return false;
  }
}

function isHeaders(model: CodeModel, n: ir.Node): boolean {
  const u = ir.unwrap(n);
  return u.type === 'Member' && (u.prop === 'headers' || u.prop === 'META') && isRequestObject(model, u.object);
}

/** True when any part of the expression (object literal values, arrays, templates) contains the event id. */
export function mentionsEventId(model: CodeModel, n: ir.Node): boolean {
  let found = false;
  ir.walk(n, (x) => {
    if (found) return false;
    if (x.type === 'Func') return false;
    if ((x.type === 'Member' || x.type === 'Call' || x.type === 'Ident' || x.type === 'Template') && isEventIdExpr(model, x)) { found = true; return false; }
  });
  return found;
}
