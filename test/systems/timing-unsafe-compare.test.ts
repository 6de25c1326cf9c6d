/**
 * Proves the timing-unsafe-compare quick fix ("Compare in constant time") over real HTTP, in
 * Express and Flask: before and after the fix the hook accepts the right HMAC signature and rejects
 * a wrong one; after it the comparison runs through crypto.timingSafeEqual / hmac.compare_digest,
 * and a wrong signature of a different length, or none at all, is still a plain 401: no exception
 * from timingSafeEqual's length rule or compare_digest's type rule turns it into a 500.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { request, serveModule } from './http';
import { fixReport, registerReportWriter } from './report';
import { applyRuleFix, changedLines, fixture, FixedSource } from './fixes';
import { servePython, skipWithoutPython } from './python';
import { Checks } from './suite';

registerReportWriter();

const RULE = 'timing-unsafe-compare';
const BODY = JSON.stringify({ ref: 'refs/heads/main', after: 'c0ffee' });

interface Probe { label: string; signature?: string; want: number }

function probes(secret: string): Probe[] {
  const right = createHmac('sha256', secret).update(BODY).digest('hex');
  const flipped = (right[0] === '0' ? '1' : '0') + right.slice(1);
  return [
    { label: 'right signature', signature: right, want: 204 },
    { label: 'wrong signature, same length', signature: flipped, want: 401 },
    { label: 'wrong signature, shorter', signature: right.slice(0, 12), want: 401 },
    { label: 'wrong signature, longer', signature: right + 'ff', want: 401 },
    { label: 'no signature', want: 401 },
  ];
}

async function statuses(url: string, list: Probe[]): Promise<number[]> {
  const out: number[] = [];
  for (const p of list) {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (p.signature !== undefined) headers['x-deploy-signature'] = p.signature;
    out.push((await request(url, { path: '/hooks/deploy', method: 'POST', headers, body: BODY })).status);
  }
  return out;
}

function judge(label: string, fixed: FixedSource, list: Probe[], before: number[], after: number[], constantTime: RegExp): void {
  console.log(`      fix:\n${changedLines(fixed.before, fixed.after).split('\n').map((l) => `        ${l}`).join('\n')}`);
  const checks = new Checks();
  checks.expect(constantTime.test(fixed.after), `the fixed source does not compare with ${constantTime.source}`);
  list.forEach((p, i) => {
    checks.expect(before[i] === p.want, `before the fix, ${p.label}: status ${before[i]}, expected ${p.want}`);
    checks.expect(after[i] === p.want, `after the fix, ${p.label}: status ${after[i]}, expected ${p.want}`);
  });
  checks.expect(fixed.remaining.length === 0, `findings left after the fix: ${fixed.remaining.map((f) => f.message).join('; ')}`);
  const shown = (s: number[]) => list.map((p, i) => `${p.label} ${s[i]}`).join(', ');
  fixReport.record({
    rule: RULE,
    dialectOrFramework: label,
    beforeFix: `passes, timing-unsafe: the signature is compared with !=/!== (${shown(before)})`,
    afterFix: checks.ok ? `passes in constant time: ${shown(after)}; no 500 on a shorter, longer or missing signature` : `FAILS: ${checks.failures.join('; ')}`,
  });
  checks.assertAll(label);
}

describe('timing-unsafe-compare fix against real HTTP hooks', function () {
  this.timeout(60_000);

  it('test/systems/apps/auth-crypto/deploy-hook.js (Express): crypto.timingSafeEqual behind a length check', async function () {
    const secret = randomBytes(24).toString('hex');
    const list = probes(secret);
    const fixed = await applyRuleFix(RULE, 'server.js', fixture('test/systems/apps/auth-crypto/deploy-hook.js'));
    try {
      const seen: Record<'before' | 'after', number[]> = { before: [], after: [] };
      for (const side of ['before', 'after'] as const) {
        const served = await serveModule(side === 'before' ? fixed.before : fixed.after, { env: { DEPLOY_HOOK_SECRET: secret } });
        try {
          seen[side] = await statuses(served.url, list);
        } finally {
          await served.close();
        }
      }
      judge('Express (crypto.timingSafeEqual)', fixed, list, seen.before, seen.after, /crypto\.timingSafeEqual\(/);
    } finally {
      fixed.cleanup();
    }
  });

  describe('Flask: test/systems/apps/auth-crypto/deploy_hook.py', function () {
    const label = 'Flask (hmac.compare_digest)';
    before(async function () { await skipWithoutPython(this, RULE, label, 'flask'); });

    it('hmac.compare_digest on encoded strings, None compared as before', async function () {
      const secret = randomBytes(24).toString('hex');
      const list = probes(secret);
      const fixed = await applyRuleFix(RULE, 'app.py', fixture('test/systems/apps/auth-crypto/deploy_hook.py'));
      try {
        const seen: Record<'before' | 'after', number[]> = { before: [], after: [] };
        for (const side of ['before', 'after'] as const) {
          const served = await servePython(side === 'before' ? fixed.before : fixed.after, { env: { DEPLOY_HOOK_SECRET: secret } });
          try {
            seen[side] = await statuses(served.url, list);
          } finally {
            await served.close();
          }
        }
        judge(label, fixed, list, seen.before, seen.after, /hmac\.compare_digest\(/);
      } finally {
        fixed.cleanup();
      }
    });
  });
});
