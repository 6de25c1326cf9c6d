/**
 * Stripe webhook deliveries for fix verification: an event payload shaped like Stripe's, signed
 * with the stripe package's own test-header generator, so that a handler fixed to call
 * `stripe.webhooks.constructEvent` accepts it and an unfixed one can be shown to accept forgeries
 * and replays.
 */
import { randomBytes } from 'node:crypto';
import Stripe from 'stripe';
import { FireResult, request } from './http';

export interface StripeEventInit {
  /** e.g. 'payment_intent.succeeded' (default), 'checkout.session.completed'. */
  type?: string;
  /** The event's data.object; a payment intent of 2000 usd by default. */
  object?: Record<string, unknown>;
  /** Event id; a fresh `evt_test_...` by default. Reuse one to simulate Stripe's retries. */
  id?: string;
  /** Unix seconds put both in `created` and in the signature header. */
  timestamp?: number;
}

export interface SignedStripeEvent {
  event: Record<string, unknown> & { id: string; type: string };
  /** The exact bytes to POST: the signature covers this string, so do not re-serialize it. */
  payload: string;
  /** Value of the `Stripe-Signature` header. */
  header: string;
  secret: string;
}

/** A random webhook signing secret in Stripe's format, generated per test rather than written down. */
export function testWebhookSecret(): string {
  return ['whsec', randomBytes(24).toString('base64url')].join('_');
}

export function stripeEvent(init: StripeEventInit = {}): SignedStripeEvent['event'] {
  const created = init.timestamp ?? Math.floor(Date.now() / 1000);
  return {
    id: init.id ?? `evt_test_${randomBytes(12).toString('hex')}`,
    object: 'event',
    api_version: '2024-06-20',
    created,
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type: init.type ?? 'payment_intent.succeeded',
    data: {
      object: init.object ?? {
        id: `pi_test_${randomBytes(12).toString('hex')}`,
        object: 'payment_intent',
        amount: 2000,
        amount_received: 2000,
        currency: 'usd',
        status: 'succeeded',
        metadata: { orderId: 'order_1' },
      },
    },
  };
}

/**
 * Builds an event and signs it with `secret` via `Stripe.webhooks.generateTestHeaderString`.
 * Pass `signWith` (another secret) to forge a delivery with a wrong signature.
 */
export function signedStripeEvent(
  secret: string,
  init: StripeEventInit & { signWith?: string } = {},
): SignedStripeEvent {
  const event = stripeEvent(init);
  const payload = JSON.stringify(event, null, 2);
  const header = Stripe.webhooks.generateTestHeaderString({
    payload,
    secret: init.signWith ?? secret,
    timestamp: init.timestamp,
  });
  return { event, payload, header, secret };
}

/** Verifies like a fixed handler would; throws Stripe's SignatureVerificationError on mismatch. */
export function verifyStripeEvent(payload: string | Buffer, header: string, secret: string): Stripe.Event {
  return Stripe.webhooks.constructEvent(payload, header, secret);
}

/** POSTs a signed delivery to a served app, as Stripe does (raw JSON body + Stripe-Signature). */
export function deliverStripeEvent(baseUrl: string, path: string, delivery: Pick<SignedStripeEvent, 'payload' | 'header'>): Promise<FireResult> {
  return request(baseUrl, {
    path,
    method: 'POST',
    headers: { 'content-type': 'application/json', 'stripe-signature': delivery.header },
    body: delivery.payload,
  });
}
