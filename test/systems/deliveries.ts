/**
 * Repeated and concurrent deliveries of one signed Stripe event, for the idempotency-guard
 * suites: the same event 3 times in sequence (Stripe's retries) and 5 times at once (retries
 * racing a slow first delivery), with the side effects counted after each burst; and the verdict
 * (every side effect runs 3 and 5 times before the fix, once after it, every delivery answered 2xx).
 */
import { deliverStripeEvent, signedStripeEvent, testWebhookSecret } from './stripe';
import { fixReport } from './report';
import { Checks } from './suite';

export const SEQUENTIAL = 3;
export const CONCURRENT = 5;

export type Side = 'before' | 'after';

export interface Deliveries {
  sequential: { statuses: number[]; effects: Record<string, number> };
  concurrent: { statuses: number[]; effects: Record<string, number> };
}

export interface GuardTarget {
  /** Serves one side of the fix, verifying Stripe signatures with `secret`. */
  serve(side: Side, secret: string): Promise<{ url: string; close(): Promise<void> }>;
  /** Counts each side effect so far on that side (e.g. orders inserted, receipts sent). */
  effects(side: Side): Promise<Record<string, number>>;
  path: string;
  /** A Stripe event whose side effects are observable, with a fresh object per call. */
  event: () => { type: string; object: Record<string, unknown> };
}

export const describeEffects = (e: Record<string, number>) => Object.entries(e).map(([k, n]) => `${n} ${k}`).join(' + ');

/** Delivers the same event in sequence, then another one concurrently, to one side. */
export async function deliverRepeatedly(t: GuardTarget, side: Side): Promise<Deliveries> {
  const secret = testWebhookSecret();
  const served = await t.serve(side, secret);
  try {
    const first = t.event();
    const statuses: number[] = [];
    for (let i = 0; i < SEQUENTIAL; i++) {
      const delivery = signedStripeEvent(secret, { type: first.type, object: first.object, id: `evt_seq_${side}` });
      statuses.push((await deliverStripeEvent(served.url, t.path, delivery)).status);
    }
    const afterSequential = await t.effects(side);
    const second = t.event();
    const burst = signedStripeEvent(secret, { type: second.type, object: second.object, id: `evt_burst_${side}` });
    const concurrent = await Promise.all(Array.from({ length: CONCURRENT }, () => deliverStripeEvent(served.url, t.path, burst)));
    const total = await t.effects(side);
    const bad = concurrent.find((r) => r.status !== 200);
    if (bad) console.log(`      ${side}: a concurrent delivery answered ${bad.status}: ${bad.body || bad.error}`);
    const d: Deliveries = {
      sequential: { statuses, effects: afterSequential },
      concurrent: { statuses: concurrent.map((r) => r.status), effects: Object.fromEntries(Object.entries(total).map(([k, n]) => [k, n - (afterSequential[k] ?? 0)])) },
    };
    console.log(`      ${side}: ${SEQUENTIAL} in sequence → ${describeEffects(d.sequential.effects)}; ${CONCURRENT} at once → ${describeEffects(d.concurrent.effects)}`);
    return d;
  } finally {
    await served.close();
  }
}

/** Judges both sides, records the report row under `label` and returns the checks. */
export function judgeGuard(rule: string, label: string, before: Deliveries, after: Deliveries): Checks {
  const checks = new Checks();
  const all2xx = (st: number[]) => st.every((x) => x >= 200 && x < 300);
  for (const [name, d] of Object.entries({ before, after })) {
    checks.expect(all2xx(d.sequential.statuses) && all2xx(d.concurrent.statuses), `${name}: not every delivery was acknowledged: ${JSON.stringify([d.sequential.statuses, d.concurrent.statuses])}`);
  }
  for (const [k, n] of Object.entries(before.sequential.effects)) {
    checks.expect(n === SEQUENTIAL, `before the fix, ${SEQUENTIAL} deliveries in sequence gave ${n} ${k}`);
    checks.expect(before.concurrent.effects[k] === CONCURRENT, `before the fix, ${CONCURRENT} concurrent deliveries gave ${before.concurrent.effects[k]} ${k}`);
    checks.expect(after.sequential.effects[k] === 1, `after the fix, ${SEQUENTIAL} deliveries in sequence gave ${after.sequential.effects[k]} ${k} (want 1)`);
    checks.expect(after.concurrent.effects[k] === 1, `after the fix, ${CONCURRENT} concurrent deliveries gave ${after.concurrent.effects[k]} ${k} (want 1)`);
  }
  fixReport.record({
    rule,
    dialectOrFramework: label,
    beforeFix: `fails: the same signed event ${SEQUENTIAL}× in sequence → ${describeEffects(before.sequential.effects)}; ${CONCURRENT}× at once → ${describeEffects(before.concurrent.effects)}`,
    afterFix: checks.ok
      ? `passes: ${SEQUENTIAL}× in sequence → ${describeEffects(after.sequential.effects)}; ${CONCURRENT}× at once → ${describeEffects(after.concurrent.effects)}; every delivery answered 200`
      : `FAILS: ${checks.failures.join('; ')}`,
  });
  return checks;
}
