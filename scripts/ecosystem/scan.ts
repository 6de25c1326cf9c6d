// Scans one extracted ecosystem tree with the CLI, from the tree's own root as a user would run
// it, and gives each finding its fingerprint.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { fingerprint, normalizeCode } from './triage';

export interface CliFinding {
  file: string;
  rule: string;
  line: number;
  endLine: number;
  column: number;
  endColumn: number;
  severity: 'error' | 'warning' | 'info';
  message: string;
  fix?: { title: string; safety: string };
}

export interface EcoFinding extends CliFinding {
  repo: string;
  /** Path relative to the tree's root, forward slashes. */
  path: string;
  fingerprint: string;
}

export interface TreeScan { repo: string; findings: EcoFinding[]; ms: number; stderr: string; exitCode: number | null }

/** `owner__repo` folder names, as extract.mjs writes them, back to `owner/repo`. */
export function repoOfDir(dir: string): string {
  const i = dir.indexOf('__');
  return i < 0 ? dir : `${dir.slice(0, i)}/${dir.slice(i + 2)}`;
}

export function scanTree(cli: string, treeDir: string, extraArgs: string[] = []): TreeScan {
  const repo = repoOfDir(path.basename(treeDir));
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [cli, 'scan', '--format', 'json', '--fail-on', 'off', '--min-severity', 'info', ...extraArgs, '.'], {
    cwd: treeDir,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  const ms = performance.now() - t0;
  let raw: CliFinding[] = [];
  try { raw = (JSON.parse(r.stdout) as { findings: CliFinding[] }).findings; } catch {
    return { repo, findings: [], ms, stderr: `${r.stderr}\n(no JSON on stdout: ${r.stdout.slice(0, 200)})`, exitCode: r.status };
  }
  return { repo, findings: withFingerprints(repo, treeDir, raw), ms, stderr: r.stderr, exitCode: r.status };
}

function withFingerprints(repo: string, treeDir: string, raw: CliFinding[]): EcoFinding[] {
  const texts = new Map<string, string[]>();
  const occurrences = new Map<string, number>();
  const sorted = [...raw].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
  return sorted.map((f) => {
    const rel = path.relative(treeDir, path.resolve(treeDir, f.file)).split(path.sep).join('/');
    let lines = texts.get(rel);
    if (!lines) {
      lines = fs.readFileSync(path.join(treeDir, rel), 'utf8').split(/\r\n|\r|\n/);
      texts.set(rel, lines);
    }
    const flagged = sliceLines(lines, f);
    const key = `${f.rule}\0${rel}\0${normalizeCode(flagged)}`;
    const occurrence = occurrences.get(key) ?? 0;
    occurrences.set(key, occurrence + 1);
    return { ...f, repo, path: rel, fingerprint: fingerprint(f.rule, rel, flagged, occurrence) };
  });
}

/** The flagged text (1-based lines, 1-based columns, exclusive end column); capped for huge ranges. */
function sliceLines(lines: string[], f: CliFinding): string {
  if (f.line === f.endLine) return (lines[f.line - 1] ?? '').slice(f.column - 1, f.endColumn - 1);
  const first = (lines[f.line - 1] ?? '').slice(f.column - 1);
  const middle = lines.slice(f.line, Math.min(f.endLine - 1, f.line + 20));
  const last = (lines[f.endLine - 1] ?? '').slice(0, f.endColumn - 1);
  return [first, ...middle, last].join('\n');
}
