// Running the `vibeguard` command as a user runs it (`node bin/vibeguard.js`) in temporary
// projects, for the suites that test the CLI. Needs the bundles (`npm run build`).
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ROOT } from './fixtures';

export const BIN = path.join(ROOT, 'bin', 'vibeguard.js');

export interface Run { code: number | null; stdout: string; stderr: string }

/** Runs the CLI in `cwd`, without colours. */
export function vibeguard(cwd: string, ...args: string[]): Run {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.FORCE_COLOR;
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, env, encoding: 'utf8', timeout: 120_000, maxBuffer: 512 * 1024 * 1024 });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const temps: string[] = [];

/** A temporary project with the given files (paths with forward slashes); removed by removeProjects(). */
export function project(files: Record<string, string | Buffer>): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'vibeguard-cli-')));
  temps.push(dir);
  writeFiles(dir, files);
  return dir;
}

export function writeFiles(dir: string, files: Record<string, string | Buffer>): void {
  for (const [name, content] of Object.entries(files)) {
    const p = path.join(dir, name);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, content);
  }
}

export function removeProjects(): void {
  for (const d of temps.splice(0)) {
    // Tests may leave read-only folders behind; make them writable so they can go.
    try { fs.chmodSync(d, 0o755); } catch { /* gone already */ }
    fs.rmSync(d, { recursive: true, force: true });
  }
}

/** Fails unless the bundles are built. */
export function requireBuild(): void {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'cli.js'))) {
    throw new Error(`dist/cli.js is missing in ${ROOT}: run \`npm run build\` before the CLI tests`);
  }
}

export interface JsonFinding {
  file: string; rule: string; line: number; endLine: number; column: number; endColumn: number;
  severity: string; message: string; fix?: { title: string; safety: string }; fingerprint?: string;
}

export function findings(r: Run): JsonFinding[] {
  return (JSON.parse(r.stdout) as { findings: JsonFinding[] }).findings;
}

// The sql-injection rule's own example: request data interpolated into a pg query; the
// "Parameterize query" fix is safe.
export const SQL_LINE = "  const { rows } = await pool.query(`SELECT * FROM users WHERE email = '${req.query.email}'`);";
export const VULNERABLE = [
  "const { Pool } = require('pg');",
  'const pool = new Pool();',
  "app.get('/users', async (req, res) => {",
  SQL_LINE,
  '  res.json(rows);',
  '});',
  '',
].join('\n');
