// The parts of a result cache key that are not the file itself: a content hash, a hash of the
// options that change what an analysis reports, and the fingerprint of the rules and engine that
// made a result. Rules carry no version number of their own, so the fingerprint is a hash of the
// code that runs them: the analysis worker's bundle (engine, kit and every rule, built by
// scripts/build.mjs) and the grammars beside it. Any change to any rule's code, however small,
// changes it; a reinstall of the same build does not.
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

export function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** JSON with object keys sorted at every level, so equal values give equal text. */
export function stableJson(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  return `{${Object.keys(obj).sort().filter((k) => obj[k] !== undefined).map((k) => `${JSON.stringify(k)}:${stableJson(obj[k])}`).join(',')}}`;
}

/** A short hash of everything that changes what an analysis reports (configuration, root, options). */
export function optionsHash(options: unknown): string {
  return sha256(stableJson(options)).slice(0, 32);
}

export interface EngineFingerprint {
  /** Hash of the engine's code. */
  hash: string;
  /** Sizes and modification times of the files hashed: while they hold, the hash is not recomputed. */
  stat: string;
}

/**
 * The fingerprint of the engine a worker script runs. A bundle (dist/) holds the whole engine;
 * unbundled compiler output (out/, where engine.js sits beside the worker) is covered by every
 * script of its server and rules folders. `known` is the fingerprint of an earlier run: reused
 * when no file's size or time changed, so a warm run does not hash megabytes of code.
 */
export function engineFingerprint(workerScript: string, version: string, known?: EngineFingerprint): EngineFingerprint | undefined {
  const files = engineFiles(workerScript);
  if (!files.length) return undefined;
  const stats: string[] = [];
  for (const f of files) {
    let st: fs.Stats;
    try { st = fs.statSync(f); } catch { return undefined; }
    stats.push(`${f}:${st.size}:${st.mtimeMs}`);
  }
  const stat = `${version}\n${stats.join('\n')}`;
  if (known && known.stat === stat) return known;
  const h = createHash('sha256').update(version);
  for (const f of files) {
    try { h.update(path.basename(f)).update(fs.readFileSync(f)); } catch { return undefined; }
  }
  return { hash: h.digest('hex'), stat };
}

function engineFiles(workerScript: string): string[] {
  const dir = path.dirname(workerScript);
  if (!fs.existsSync(workerScript)) return [];
  if (!fs.existsSync(path.join(dir, 'engine.js'))) {
    let wasm: string[] = [];
    try { wasm = fs.readdirSync(dir).filter((f) => f.endsWith('.wasm')).sort().map((f) => path.join(dir, f)); } catch { wasm = []; }
    return [workerScript, ...wasm];
  }
  // out/server/src/scanWorker.js: the output root is two folders up.
  const root = path.resolve(dir, '..', '..');
  return [...scripts(path.join(root, 'server', 'src')), ...scripts(path.join(root, 'rules'))];
}

function scripts(dir: string): string[] {
  const out: string[] = [];
  let entries: fs.Dirent[];
  try { entries = fs.readdirSync(dir, { withFileTypes: true }); } catch { return out; }
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...scripts(p));
    else if (e.name.endsWith('.js')) out.push(p);
  }
  return out;
}
