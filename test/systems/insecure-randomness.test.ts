/**
 * Proves the insecure-randomness quick fix ("Use crypto randomness") over real HTTP, in Express
 * and Flask: the one-time codes, reset tokens and API keys keep their format (6 digits, the same
 * length and alphabet) before and after the fix, and only before it can they be predicted: with
 * Math.random pinned (Express) or Python's random reseeded (Flask), the old code hands out the
 * same values again, the fixed code does not.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { request, serveModule } from './http';
import { fixReport, registerReportWriter } from './report';
import { applyRuleFix, changedLines, fixture, FixedSource } from './fixes';
import { PYTHON, servePython, skipWithoutPython } from './python';
import { Checks } from './suite';

registerReportWriter();

const RULE = 'insecure-randomness';
const SAMPLES = 40;

interface Kind { path: string; field: string; format: RegExp; label: string }

function logFix(fixed: FixedSource): void {
  console.log(`      fix:\n${changedLines(fixed.before, fixed.after).split('\n').map((l) => `        ${l}`).join('\n')}`);
}

async function sample(url: string, kinds: Kind[]): Promise<string[][]> {
  const out: string[][] = [];
  for (const k of kinds) {
    const values: string[] = [];
    for (let i = 0; i < SAMPLES; i++) values.push(String(((await request(url, { path: k.path, method: 'POST' })).json as Record<string, unknown> | undefined)?.[k.field]));
    out.push(values);
  }
  return out;
}

function formatChecks(checks: Checks, side: string, kinds: Kind[], values: string[][]): void {
  kinds.forEach((k, i) => {
    const bad = values[i].filter((v) => !k.format.test(v));
    checks.expect(bad.length === 0, `${side}, ${k.label}: ${bad.length} of ${values[i].length} values do not match ${k.format.source} (e.g. ${bad[0]})`);
  });
}

describe('insecure-randomness fix against real HTTP token endpoints', function () {
  this.timeout(60_000);

  it('test/systems/apps/auth-crypto/tokens.js (Express): crypto.randomInt / randomBytes keep the format', async function () {
    const kinds: Kind[] = [
      { path: '/login/code', field: 'otp', format: /^\d{6}$/, label: 'OTP' },
      { path: '/password-reset', field: 'resetToken', format: /^[0-9a-z]{7,8}$/, label: 'reset token' },
      { path: '/api-keys', field: 'apiKey', format: /^[A-Za-z0-9]{40}$/, label: 'API key' },
    ];
    const fixed = await applyRuleFix(RULE, 'server.js', fixture('test/systems/apps/auth-crypto/tokens.js'));
    try {
      logFix(fixed);
      const checks = new Checks();
      const pinned: Record<string, number> = {};
      const format: Record<string, string[][]> = {};
      for (const side of ['before', 'after'] as const) {
        const served = await serveModule(side === 'before' ? fixed.before : fixed.after);
        try {
          format[side] = await sample(served.url, kinds);
          formatChecks(checks, `${side} the fix`, kinds, format[side]);
          // Math.random pinned: code that depends on it hands out one value over and over.
          const real = Math.random;
          Math.random = () => 0.4242;
          try {
            const codes = new Set<string>();
            for (let i = 0; i < 10; i++) codes.add(String(((await request(served.url, { path: '/login/code', method: 'POST' })).json as { otp: string }).otp));
            pinned[side] = codes.size;
          } finally {
            Math.random = real;
          }
        } finally {
          await served.close();
        }
      }
      checks.expect(pinned.before === 1, `before the fix, pinning Math.random should repeat the OTP; got ${pinned.before} distinct of 10`);
      checks.expect(pinned.after >= 9, `after the fix, the OTP still follows Math.random: ${pinned.after} distinct of 10`);
      checks.expect(!/Math\.random\(\)/.test(fixed.after), 'the fixed source still calls Math.random');
      fixReport.record({
        rule: RULE,
        dialectOrFramework: 'Express (crypto.randomInt, crypto.randomBytes)',
        beforeFix: `fails: OTP, reset token and API key follow Math.random (pinned: 1 distinct OTP of 10); formats ${kinds.map((k) => k.format.source).join(', ')}`,
        afterFix: checks.ok ? `passes: same formats over ${SAMPLES} samples each (6 digits, 8 base-36 characters, 40 alphanumerics), ${pinned.after} distinct OTPs of 10 with Math.random pinned` : `FAILS: ${checks.failures.join('; ')}`,
      });
      checks.assertAll('Express');
    } finally {
      fixed.cleanup();
    }
  });

  describe('Flask: test/systems/apps/auth-crypto/tokens.py', function () {
    const label = 'Flask (secrets.randbelow, secrets.choice)';
    before(async function () { await skipWithoutPython(this, RULE, label, 'flask'); });

    /** Reseeds Python's random twice and asks the app for codes each time: equal lists mean predictable. */
    function reseeded(source: string): boolean {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vibeguard-rand-'));
      try {
        fs.writeFileSync(path.join(dir, 'tokens_app.py'), source);
        const script = [
          'import random, tokens_app',
          'client = tokens_app.app.test_client()',
          'def draw():',
          '    random.seed(1234)',
          '    return [client.post("/login/code").get_json()["otp"] for _ in range(5)] + [client.post("/password-reset").get_json()["reset_token"]]',
          'print("same" if draw() == draw() else "different")',
        ].join('\n');
        const r = spawnSync(PYTHON, ['-c', script], { cwd: dir, encoding: 'utf8', timeout: 30_000 });
        if (r.status !== 0) throw new Error(r.stderr);
        return r.stdout.trim() === 'same';
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }

    it('OTP stays 6 digits, reset token 24 alphanumerics; reseeding no longer repeats them', async function () {
      const kinds: Kind[] = [
        { path: '/login/code', field: 'otp', format: /^\d{6}$/, label: 'OTP' },
        { path: '/password-reset', field: 'reset_token', format: /^[A-Za-z0-9]{24}$/, label: 'reset token' },
      ];
      const fixed = await applyRuleFix(RULE, 'app.py', fixture('test/systems/apps/auth-crypto/tokens.py'));
      try {
        logFix(fixed);
        const checks = new Checks();
        const predictable: Record<string, boolean> = {};
        for (const side of ['before', 'after'] as const) {
          const source = side === 'before' ? fixed.before : fixed.after;
          const served = await servePython(source);
          try {
            formatChecks(checks, `${side} the fix`, kinds, await sample(served.url, kinds));
          } finally {
            await served.close();
          }
          predictable[side] = reseeded(source);
        }
        checks.expect(predictable.before, 'before the fix, reseeding random should repeat the codes');
        checks.expect(!predictable.after, 'after the fix, reseeding random still repeats the codes');
        fixReport.record({
          rule: RULE,
          dialectOrFramework: label,
          beforeFix: 'fails: random.seed(1234) twice gives the same OTPs and reset token (predictable)',
          afterFix: checks.ok ? `passes: same formats over ${SAMPLES} samples each (6 digits, 24 alphanumerics); reseeding random no longer repeats them` : `FAILS: ${checks.failures.join('; ')}`,
        });
        checks.assertAll(label);
      } finally {
        fixed.cleanup();
      }
    });
  });
});
