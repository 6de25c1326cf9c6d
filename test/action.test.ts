// The GitHub Action (action.yml): its shape (a composite action that sets up Node, installs this
// package, scans to SARIF and uploads it with github/codeql-action/upload-sarif, failing the job
// only after the upload), and its scan step run here as a runner runs it: the step's own bash
// script, `bash --noprofile --norc -eo pipefail`, with the environment action.yml gives it, in a
// repository checkout, writing GITHUB_OUTPUT and the step summary.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { project, removeProjects, requireBuild } from './harness/cli';
import { ROOT } from './harness/fixtures';
import { GitRepo } from './harness/git';
import { TWO_QUERIES_JS } from './harness/samples';
import { sarifSchemaErrors } from './harness/sarif';
import { loadYaml } from './harness/yaml';


interface Step { id?: string; name?: string; uses?: string; if?: string; shell?: string; run?: string; env?: Record<string, string>; with?: Record<string, string>; 'working-directory'?: string }
interface Action {
  inputs: Record<string, { description: string; default?: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: Step[] };
}

const action = loadYaml(path.join(ROOT, 'action.yml')) as Action;
const stepById = (id: string) => action.runs.steps.find((s) => s.id === id)!;

/** The value GitHub would give an expression of the step's env: inputs (or their defaults) and the action's path. */
function expand(value: string, inputs: Record<string, string>): string {
  return value.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, expr: string) => {
    if (expr === 'github.action_path') return ROOT;
    const input = /^inputs\.([\w-]+)$/.exec(expr);
    if (input && input[1] in action.inputs) return inputs[input[1]] ?? action.inputs[input[1]].default ?? '';
    throw new Error(`the test does not know the expression ${expr}`);
  });
}

interface StepRun { code: number | null; stdout: string; stderr: string; outputs: Record<string, string>; summary: string }

function runStep(step: Step, workspace: string, inputs: Record<string, string> = {}): StepRun {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vibeguard-action-'));
  try {
    const script = path.join(tmp, 'step.sh');
    fs.writeFileSync(script, step.run!);
    const files = { GITHUB_OUTPUT: path.join(tmp, 'output'), GITHUB_STEP_SUMMARY: path.join(tmp, 'summary') };
    for (const f of Object.values(files)) fs.writeFileSync(f, '');
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, GITHUB_WORKSPACE: workspace, ...files, NO_COLOR: '1' };
    for (const [k, v] of Object.entries(step.env ?? {})) env[k] = expand(v, inputs);
    const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], { cwd: workspace, env, encoding: 'utf8', timeout: 120_000 });
    const outputs = Object.fromEntries(fs.readFileSync(files.GITHUB_OUTPUT, 'utf8').split('\n').filter(Boolean).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    return { code: r.status, stdout: r.stdout, stderr: r.stderr, outputs, summary: fs.readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8') };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

describe('GitHub Action (action.yml)', function () {
  this.timeout(120_000);
  before(requireBuild);
  after(removeProjects);

  it('is a composite action: Node, install, scan to SARIF, upload-sarif, and the job fails only after the upload', () => {
    assert.strictEqual(action.runs.using, 'composite');
    const uses = action.runs.steps.map((s) => s.uses?.split('@')[0] ?? s.id ?? s.name);
    assert.deepStrictEqual(uses, ['actions/setup-node', 'Install Vibe Guard', 'scan', 'github/codeql-action/upload-sarif', 'Fail on findings']);
    const install = action.runs.steps[1];
    assert.strictEqual(install['working-directory'], '${{ github.action_path }}');
    assert.match(install.run!, /^npm ci\b/);
    const upload = action.runs.steps[3];
    assert.strictEqual(upload.with!.sarif_file, '${{ steps.scan.outputs.sarif-file }}');
    assert.match(upload.if!, /!cancelled\(\)/, 'the upload runs although the scan found something');
    assert.match(action.runs.steps[4].if!, /steps\.scan\.outputs\.exit-code == '1'/);
    assert.match(stepById('scan').run!, /npx --prefix "\$VIBEGUARD_HOME" --no-install vibeguard scan .*--format sarif/s);
    for (const s of action.runs.steps) assert.ok(!s.run?.includes('${{'), `${s.name ?? s.id}: inputs reach scripts through env only`);
    assert.deepStrictEqual(Object.keys(action.outputs).sort(), ['exit-code', 'sarif-file']);
  });

  it('scan step: findings give a SARIF log, exit-code 1 as an output, and a passing step (the upload comes next)', () => {
    const dir = project({ 'src/users.js': TWO_QUERIES_JS, 'src/ok.ts': 'export const one = 1;\n' });
    const r = runStep(stepById('scan'), dir);
    assert.strictEqual(r.code, 0, r.stderr);
    assert.deepStrictEqual(r.outputs, { 'exit-code': '1', 'sarif-file': 'vibeguard.sarif' });
    const log = JSON.parse(fs.readFileSync(path.join(dir, 'vibeguard.sarif'), 'utf8'));
    assert.strictEqual(sarifSchemaErrors(log), '');
    assert.deepStrictEqual(log.runs[0].results.map((x: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) => x.locations[0].physicalLocation.artifactLocation.uri), ['src/users.js', 'src/users.js']);
    assert.match(r.stdout, /Vibe Guard: 2 results in vibeguard\.sarif \(exit code 1\)/);
    assert.match(r.summary, /\*\*Vibe Guard\*\*: 2 results/);
  });

  it('scan step: inputs for paths, options, threshold and file name', () => {
    const dir = project({ 'a/users.js': TWO_QUERIES_JS, 'b/users.js': TWO_QUERIES_JS, 'c/users.js': TWO_QUERIES_JS });
    const r = runStep(stepById('scan'), dir, { paths: 'a  b', args: '--shard 1/1 --jobs 1', 'fail-on': 'off', 'sarif-file': 'vg.sarif' });
    assert.strictEqual(r.code, 0, r.stderr);
    assert.deepStrictEqual(r.outputs, { 'exit-code': '0', 'sarif-file': 'vg.sarif' });
    const log = JSON.parse(fs.readFileSync(path.join(dir, 'vg.sarif'), 'utf8'));
    assert.strictEqual(log.runs[0].automationDetails.id, 'vibeguard/shard-1-of-1/');
    assert.strictEqual(log.runs[0].results.length, 4, 'a and b, not c');
  });

  it('scan step: gate-args decide the job (a second scan, its findings in the log) while the upload keeps every finding', () => {
    const repo = new GitRepo({ 'src/users.js': TWO_QUERIES_JS });
    repo.commit('existing code');
    const gateArgs = { 'gate-args': '--changed-since HEAD' };
    const old = runStep(stepById('scan'), repo.dir, gateArgs);
    assert.strictEqual(old.code, 0, old.stderr);
    assert.deepStrictEqual(old.outputs, { 'exit-code': '0', 'sarif-file': 'vibeguard.sarif' });
    assert.match(old.stdout, /Vibe Guard: 2 results in vibeguard\.sarif \(exit code 0\)/);
    repo.write({ 'src/items.js': `const { Pool } = require('pg');\nconst pool = new Pool();\napp.get('/i', (req, res) => pool.query('SELECT * FROM items WHERE id = ' + req.query.id));\n` });
    const added = runStep(stepById('scan'), repo.dir, gateArgs);
    assert.strictEqual(added.outputs['exit-code'], '1');
    assert.match(added.stdout, /what decides the job \(--changed-since HEAD\):\nsrc\/items\.js\n\s+3:\d+\s+error/);
    assert.ok(!/src\/users\.js\n/.test(added.stdout), 'the old findings do not fail the job');
    assert.match(added.stdout, /Vibe Guard: 3 results in vibeguard\.sarif \(exit code 1\)/);
  });

  it('scan step: a scan that cannot run fails the step with its message, and offers no SARIF to upload', () => {
    const dir = project({ 'users.js': TWO_QUERIES_JS });
    const r = runStep(stepById('scan'), dir, { args: '--shard 3/2' });
    assert.strictEqual(r.code, 2);
    assert.deepStrictEqual(r.outputs, { 'exit-code': '2' });
    assert.match(r.stderr, /vibeguard: --shard: K must be from 1 to N/);
    assert.match(r.stdout, /::error title=Vibe Guard::vibeguard scan could not run \(exit code 2\)/);
  });

  it('scan step: an input is data, never shell code', () => {
    const dir = project({ 'users.js': TWO_QUERIES_JS });
    const r = runStep(stepById('scan'), dir, { paths: '$(touch pwned) `touch pwned2`', args: '; touch pwned3' });
    assert.strictEqual(r.code, 2);
    assert.deepStrictEqual(fs.readdirSync(dir).filter((f) => f.startsWith('pwned')), []);
    assert.match(r.stderr, /no such file or folder: \$\(touch/);
  });

  it('fail step: fails the job with the threshold in its message', () => {
    const r = runStep(action.runs.steps[4], ROOT, { 'fail-on': 'warning' });
    assert.strictEqual(r.code, 1);
    assert.match(r.stdout, /::error title=Vibe Guard::findings at or above warning/);
  });
});
