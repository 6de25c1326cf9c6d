// Peers side by side: the ESLint security set (eslintConfig.ts) on the same generated JS/TS
// files, warm in-process per file (ESLint#lintText, the API editor integrations call, with the
// config resolved once) against Engine.analyze, and both CLIs' wall time on the same folder.
import * as fs from 'fs';
import * as path from 'path';
import { ESLint } from 'eslint';
import type { Engine } from '../server/src/engine';
import type { GeneratedFile } from './generate';
import { peerConfig, peerRuleCount } from './eslintConfig';
import { CLI } from './scan';
import { median, round, run } from './stats';
import { youngGc } from './gc';

export interface PeerInProcess {
  files: number;
  lines: number;
  passes: number;
  /** Per-file medians of the recorded passes, then the mean per file (total / files). */
  vibeguardMsPerFile: { median: number; mean: number };
  eslintMsPerFile: { median: number; mean: number };
  /** Mean ESLint time per file over mean Vibe Guard time per file. */
  speedup: number;
  large: { lines: number; vibeguardMs: number; eslintMs: number; speedup: number };
  eslintRules: number;
  eslintMessages: number;
  vibeguardFindings: number;
}

export interface PeerCli {
  folder: string;
  files: number;
  lines: number;
  vibeguard: { jobs: number; wallMs: number }[];
  eslint: { concurrency: string; wallMs: number; exitCode: number | null }[];
  /** ESLint single-threaded wall time over Vibe Guard --jobs 1 wall time. */
  ratioSingle: number;
  /** ESLint --concurrency <cores> over Vibe Guard --jobs <cores>. */
  ratioParallel: number;
}

function eslintFor(root: string): ESLint {
  return new ESLint({ cwd: root, overrideConfigFile: true, overrideConfig: peerConfig(), ignore: false, cache: false });
}

export async function peersInProcess(engine: Engine, root: string, files: readonly GeneratedFile[], large: { rel: string; text: string }, passes: number): Promise<PeerInProcess> {
  const eslint = eslintFor(root);
  const abs = (rel: string) => path.join(root, rel);
  const ours = (rel: string, text: string) => {
    engine.forget(abs(rel));
    youngGc();
    const t0 = performance.now();
    const a = engine.analyze(abs(rel), text);
    return { ms: performance.now() - t0, findings: a.findings.length };
  };
  const theirs = async (rel: string, text: string) => {
    youngGc();
    const t0 = performance.now();
    const [r] = await eslint.lintText(text, { filePath: abs(rel) });
    return { ms: performance.now() - t0, messages: r.messages.length };
  };
  // Warm-up: every parser, plugin and rule of both sides has run (and been JIT-compiled).
  for (const f of files.slice(0, 15)) { ours(f.rel, f.text); await theirs(f.rel, f.text); }
  ours(large.rel, large.text);
  await theirs(large.rel, large.text);

  const mine: number[][] = files.map(() => []);
  const peer: number[][] = files.map(() => []);
  let messages = 0;
  let findings = 0;
  for (let p = 0; p < passes; p++) {
    messages = 0;
    findings = 0;
    for (let i = 0; i < files.length; i++) {
      const a = ours(files[i].rel, files[i].text);
      const b = await theirs(files[i].rel, files[i].text);
      mine[i].push(a.ms);
      peer[i].push(b.ms);
      findings += a.findings;
      messages += b.messages;
    }
  }
  const perFile = (xs: number[][]) => xs.map((x) => median(x));
  const m = perFile(mine);
  const e = perFile(peer);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

  const largeMine: number[] = [];
  const largePeer: number[] = [];
  for (let i = 0; i < 3; i++) {
    largeMine.push(ours(large.rel, large.text).ms);
    largePeer.push((await theirs(large.rel, large.text)).ms);
  }
  return {
    files: files.length,
    lines: files.reduce((a, f) => a + f.lines, 0),
    passes,
    vibeguardMsPerFile: { median: round(median(m)), mean: round(mean(m)) },
    eslintMsPerFile: { median: round(median(e)), mean: round(mean(e)) },
    speedup: round(mean(e) / mean(m), 1),
    large: {
      lines: large.text.split('\n').length - 1,
      vibeguardMs: round(median(largeMine)),
      eslintMs: round(median(largePeer)),
      speedup: round(median(largePeer) / median(largeMine), 1),
    },
    eslintRules: peerRuleCount(peerConfig()),
    eslintMessages: messages,
    vibeguardFindings: findings,
  };
}

/** Both CLIs on the JS/TS folder of the generated project (ESLint does not read Python). */
export async function peersCli(root: string, folder: string, files: readonly GeneratedFile[], cores: number, tmp: string): Promise<PeerCli> {
  // Outside the scanned project, so that neither tool reads it as a source file.
  const configFile = path.join(tmp, 'eslint.config.cjs');
  fs.writeFileSync(configFile, `module.exports = require(${JSON.stringify(path.join(__dirname, 'eslintConfig.js'))}).peerConfig();\n`);
  const eslintBin = path.join(path.dirname(require.resolve('eslint/package.json')), 'bin', 'eslint.js');
  const vibeguard: PeerCli['vibeguard'] = [];
  const eslint: PeerCli['eslint'] = [];
  for (const jobs of [1, cores]) {
    const r = await run(process.execPath, [CLI, 'scan', folder, '--format', 'json', '--jobs', String(jobs), '--fail-on', 'off'], { cwd: root, timeoutMs: 120_000 });
    if (r.code !== 0) throw new Error(`vibeguard scan exited with ${r.code}: ${r.stderr.slice(0, 300)}`);
    vibeguard.push({ jobs, wallMs: round(r.wallMs, 0) });
  }
  for (const concurrency of ['off', String(cores)]) {
    const r = await run(process.execPath, [eslintBin, '--config', configFile, '--concurrency', concurrency, '--format', 'json', '--no-warn-ignored', folder], { cwd: root, timeoutMs: 240_000 });
    if (r.timedOut) throw new Error(`eslint --concurrency ${concurrency} did not finish in 240 s`);
    // 1 means lint errors were found, which is the point; 2 is a crash or configuration error.
    if (r.code !== 0 && r.code !== 1) throw new Error(`eslint exited with ${r.code}: ${r.stderr.slice(0, 300)}`);
    eslint.push({ concurrency, wallMs: round(r.wallMs, 0), exitCode: r.code });
  }
  return {
    folder,
    files: files.length,
    lines: files.reduce((a, f) => a + f.lines, 0),
    vibeguard,
    eslint,
    ratioSingle: round(eslint[0].wallMs / vibeguard[0].wallMs, 1),
    ratioParallel: round(eslint[1].wallMs / vibeguard[1].wallMs, 1),
  };
}
