/**
 * Proves the unbounded-upload quick fix ("Add upload limits") with a real 50 MB request: before
 * the fix the server takes it in (200); after it the framework refuses it with 413 before the
 * handler holds it (Express's JSON parser `limit`, Flask MAX_CONTENT_LENGTH, a size check before
 * FastAPI reads the upload), while a small request is still accepted.
 */
import { fixReport, registerReportWriter } from './report';
import { serveModule } from './http';
import { applyRuleFix, changedLines, fixture, FixedSource } from './fixes';
import { servePython, skipWithoutPython } from './python';
import { Checks, show } from './suite';

registerReportWriter();

const RULE = 'unbounded-upload';
const BIG = 50 * 1024 * 1024;

/** Sends a body and reads the status; a server that refuses early may close the connection mid-upload. */
async function send(url: string, body: () => string | FormData, headers: Record<string, string> = {}): Promise<{ status: number; error?: string }> {
  try {
    const res = await fetch(url, { method: 'POST', body: body(), headers, signal: AbortSignal.timeout(60_000) });
    await res.arrayBuffer();
    return { status: res.status };
  } catch (err) {
    const e = err as Error & { cause?: Error };
    return { status: 0, error: e.cause?.message ?? e.message };
  }
}

type Kind = 'json' | 'multipart';

function bodyOf(kind: Kind, size: number): { body: () => string | FormData; headers: Record<string, string> } {
  if (kind === 'json') return { body: () => JSON.stringify({ items: [1, 2, 3], note: 'x'.repeat(size) }), headers: { 'content-type': 'application/json' } };
  return {
    body: () => {
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(size)]), 'scan.bin');
      return form;
    },
    headers: {},
  };
}

async function prove(label: string, fixed: FixedSource, kind: Kind, path: string, serve: (source: string) => Promise<{ url: string; close(): Promise<void> }>): Promise<void> {
  console.log(`      fix:\n${changedLines(fixed.before, fixed.after).split('\n').map((l) => `        ${l}`).join('\n')}`);
  const seen: Partial<Record<'before' | 'after', { big: { status: number; error?: string }; small: { status: number } }>> = {};
  try {
    for (const side of ['before', 'after'] as const) {
      const served = await serve(side === 'before' ? fixed.before : fixed.after);
      try {
        const big = bodyOf(kind, BIG);
        const small = bodyOf(kind, 1024);
        seen[side] = { big: await send(served.url + path, big.body, big.headers), small: await send(served.url + path, small.body, small.headers) };
      } finally {
        await served.close();
      }
    }
  } finally {
    fixed.cleanup();
  }
  const b = seen.before!;
  const a = seen.after!;
  const checks = new Checks();
  checks.expect(b.big.status === 200, `before the fix the 50 MB request was not accepted (${show(b.big)})`);
  checks.expect(a.big.status === 413, `after the fix the 50 MB request got ${a.big.status || a.big.error} instead of 413`);
  checks.expect(a.small.status === 200, `after the fix a 1 KB request got ${a.small.status}`);
  fixReport.record({
    rule: RULE,
    dialectOrFramework: label,
    beforeFix: `fails: a 50 MB ${kind === 'json' ? 'JSON body' : 'multipart upload'} is accepted (${b.big.status})`,
    afterFix: checks.ok ? `passes: the 50 MB request gets ${a.big.status}; a 1 KB one still gets ${a.small.status}` : `FAILS: ${checks.failures.join('; ')}`,
  });
  checks.assertAll(label);
}

describe('unbounded-upload fix with a 50 MB request', function () {
  this.timeout(120_000);

  it('test/systems/apps/unbounded-upload/bulk-import.js (Express, express.json limit)', async function () {
    const fixed = await applyRuleFix(RULE, 'server.js', fixture('test/systems/apps/unbounded-upload/bulk-import.js'));
    await prove('Express (express.json limit)', fixed, 'json', '/bulk', (source) => serveModule(source));
  });

  describe('Flask: test/systems/apps/unbounded-upload/uploads_flask.py', function () {
    const label = 'Flask (MAX_CONTENT_LENGTH)';
    before(async function () { await skipWithoutPython(this, RULE, label, 'flask'); });

    it('a 50 MB upload is saved before the fix and refused with 413 after', async function () {
      const fixed = await applyRuleFix(RULE, 'app.py', fixture('test/systems/apps/unbounded-upload/uploads_flask.py'));
      await prove(label, fixed, 'multipart', '/upload', (source) => servePython(source));
    });
  });

  describe('FastAPI: test/systems/apps/unbounded-upload/uploads_fastapi.py', function () {
    const label = 'FastAPI (UploadFile size check, uvicorn)';
    before(async function () { await skipWithoutPython(this, RULE, label, 'fastapi', 'uvicorn', 'multipart'); });

    it('a 50 MB upload is read before the fix and refused with 413 after', async function () {
      const fixed = await applyRuleFix(RULE, 'app.py', fixture('test/systems/apps/unbounded-upload/uploads_fastapi.py'));
      await prove(label, fixed, 'multipart', '/upload', (source) => servePython(source, { asgi: true }));
    });
  });
});
