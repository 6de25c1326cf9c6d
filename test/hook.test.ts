// `vibeguard hook`, run as the agents run it: Claude Code's PostToolUse JSON on stdin (exit 2 with
// the findings on stderr, 0 and silence when clean), Cursor's afterFileEdit and stop (the findings
// come back as the stop hook's followup_message), files named as arguments and --staged (git
// hooks, Aider's --lint-cmd: exit 1 with the findings on stdout).
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ROOT } from './harness/fixtures';
import { PG_ROUTE as USERS_JS, PG_ROUTE_FIXED } from './harness/samples';
import { parseHookInput } from '../server/src/cli/hookInput';

const CLI_BIN = path.join(ROOT, 'bin', 'vibeguard.js');

const CLEAN_TS = 'export const add = (a: number, b: number): number => a + b;\n';

interface Run { code: number | null; stdout: string; stderr: string }

describe('agent hooks (vibeguard hook)', function () {
  this.timeout(30000);
  let ws: string;
  let state: string;

  const hook = (args: string[], stdin?: unknown): Run => {
    const env = { ...process.env, VIBEGUARD_HOOK_STATE: state, NO_COLOR: '1' };
    const input = stdin === undefined ? undefined : typeof stdin === 'string' ? stdin : JSON.stringify(stdin);
    const r = spawnSync(process.execPath, [CLI_BIN, 'hook', ...args], { cwd: ws, env, input, encoding: 'utf8', timeout: 60_000 });
    if (r.error) throw r.error;
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(ws, rel)), { recursive: true });
    fs.writeFileSync(path.join(ws, rel), text);
  };
  const claude = (rel: string, tool = 'Write') => ({
    session_id: 's1', transcript_path: '/dev/null', cwd: ws, hook_event_name: 'PostToolUse', tool_name: tool,
    tool_input: { file_path: path.join(ws, rel), content: '...' }, tool_response: { success: true },
  });
  const cursor = (event: string, extra: Record<string, unknown>) => ({
    conversation_id: 'conv-1', generation_id: 'gen-1', hook_event_name: event, workspace_roots: [ws], ...extra,
  });

  beforeEach(() => {
    ws = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'vg-hook-')));
    state = path.join(ws, '.hook-state');
    write('src/users.js', USERS_JS);
    write('src/math.ts', CLEAN_TS);
  });
  afterEach(() => fs.rmSync(ws, { recursive: true, force: true }));

  describe('Claude Code (PostToolUse)', () => {
    it('exits 2 with the findings on stderr, which Claude Code gives to the model', () => {
      const r = hook([], claude('src/users.js', 'Edit'));
      assert.strictEqual(r.code, 2);
      assert.strictEqual(r.stdout, '');
      assert.strictEqual(r.stderr, [
        'Vibe Guard: 1 problem in code you just wrote. Fix it before moving on:',
        'src/users.js:4:37 error sql-injection: SQL passed to pool.query is built from request data (req.query.email): a crafted value rewrites the query. Fix: "Parameterize query" (safe).',
        'Safe fixes apply with: vibeguard scan --fix src/users.js',
        '',
      ].join('\n'));
    });

    it('exits 0 silently for a clean file, a file it does not analyse, and a file .vibeguard.json ignores', () => {
      write('README.md', '# notes\n');
      write('generated/users.js', USERS_JS);
      write('.vibeguard.json', JSON.stringify({ ignore: ['generated/**'] }));
      for (const rel of ['src/math.ts', 'README.md', 'generated/users.js', 'src/deleted.js']) {
        const r = hook([], claude(rel));
        assert.deepStrictEqual([r.code, r.stdout, r.stderr], [0, '', ''], rel);
      }
    });

    it('reports only findings at or above --fail-on (default warning)', () => {
      write('.vibeguard.json', JSON.stringify({ rules: { 'sql-injection': 'info' } }));
      assert.strictEqual(hook([], claude('src/users.js')).code, 0);
      assert.strictEqual(hook(['--fail-on', 'info'], claude('src/users.js')).code, 2);
    });

    it('answers input it cannot read with exit 1 (shown to the user, not fed to the model as a finding)', () => {
      const r = hook([], 'not json');
      assert.strictEqual(r.code, 1);
      assert.match(r.stderr, /^vibeguard hook: the hook input on stdin is not JSON/);
      assert.deepStrictEqual(hook([], { hook_event_name: 'PostToolUse', cwd: ws, tool_name: 'Bash', tool_input: { command: 'ls' } }).code, 0);
    });
  });

  describe('Cursor (afterFileEdit, stop)', () => {
    it('remembers edited files and sends their findings back from the stop hook until they are fixed', () => {
      const edit = hook([], cursor('afterFileEdit', { file_path: path.join(ws, 'src/users.js'), edits: [{ old_string: 'a', new_string: 'b' }] }));
      assert.deepStrictEqual([edit.code, edit.stdout], [0, '{}\n']);
      hook([], cursor('afterFileEdit', { file_path: path.join(ws, 'src/math.ts'), edits: [] }));

      const stop = hook([], cursor('stop', { status: 'completed', loop_count: 0 }));
      assert.strictEqual(stop.code, 0);
      const message = (JSON.parse(stop.stdout) as { followup_message: string }).followup_message;
      assert.match(message, /^Vibe Guard found 1 problem in files you edited\. Fix it, then finish:\nsrc\/users\.js:4:37 error sql-injection: .*Fix: "Parameterize query" \(safe\)\.\n/);

      write('src/users.js', PG_ROUTE_FIXED);
      const done = hook([], cursor('stop', { status: 'completed', loop_count: 1 }));
      assert.deepStrictEqual([done.code, done.stdout], [0, '{}\n']);
      // Clean: the conversation's list is gone, so an old file is not checked again.
      write('src/users.js', USERS_JS);
      assert.strictEqual(hook([], cursor('stop', { status: 'completed', loop_count: 0 })).stdout, '{}\n');
    });

    it('stops sending the agent back after three follow-ups', () => {
      hook([], cursor('afterFileEdit', { file_path: path.join(ws, 'src/users.js'), edits: [] }));
      const last = hook([], cursor('stop', { status: 'completed', loop_count: 3 }));
      assert.deepStrictEqual([last.code, last.stdout], [0, '{}\n']);
      assert.match(last.stderr, /sql-injection/);
    });
  });

  describe('files named, --staged (git hooks, Aider --lint-cmd)', () => {
    it('exits 1 with the findings on stdout, 0 when clean', () => {
      const bad = hook(['src/users.js', 'src/math.ts']);
      assert.strictEqual(bad.code, 1);
      assert.match(bad.stdout, /^src\/users\.js:4:37 error sql-injection: /);
      assert.deepStrictEqual([hook(['src/math.ts']).code, hook(['src/math.ts']).stdout], [0, '']);
    });

    it('--staged checks the files staged in git, not the others', () => {
      const git = (...a: string[]) => spawnSync('git', a, { cwd: ws, encoding: 'utf8' });
      git('init', '-q');
      git('add', 'src/math.ts');
      assert.strictEqual(hook(['--staged']).code, 0);
      git('add', 'src/users.js');
      const r = hook(['--staged']);
      assert.strictEqual(r.code, 1);
      assert.match(r.stdout, /src\/users\.js:4:37 error sql-injection/);
    });
  });

  describe('reading the agents\' input', () => {
    it('tells the protocols apart and resolves the edited file against the project folder', () => {
      assert.deepStrictEqual(parseHookInput(JSON.stringify({ hook_event_name: 'PostToolUse', cwd: '/p', tool_input: { file_path: 'a.ts' } }), '/x'), { agent: 'claude', root: '/p', files: ['/p/a.ts'] });
      assert.deepStrictEqual(parseHookInput(JSON.stringify({ hook_event_name: 'afterFileEdit', conversation_id: 'c', workspace_roots: ['/w'], file_path: '/w/b.py' }), '/x'), { agent: 'cursor-edit', root: '/w', conversation: 'c', files: ['/w/b.py'] });
      assert.deepStrictEqual(parseHookInput(JSON.stringify({ hook_event_name: 'stop', conversation_id: 'c', workspace_roots: ['/w'], loop_count: 2 }), '/x'), { agent: 'cursor-stop', root: '/w', conversation: 'c', loopCount: 2 });
      assert.deepStrictEqual(parseHookInput(JSON.stringify({ hook_event_name: 'PostToolUse', tool_input: { file_path: 'c.js' } }), '/x', { CLAUDE_PROJECT_DIR: '/proj' }), { agent: 'claude', root: '/proj', files: ['/proj/c.js'] });
      assert.strictEqual(parseHookInput('{"hook_event_name":"PostToolUse","tool_input":{"command":"ls"}}', '/x').agent, 'none');
      assert.throws(() => parseHookInput('[1]', '/x'), /not a JSON object/);
    });
  });
});
