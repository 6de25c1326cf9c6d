// The scan workers' tier-up (cli/tiering.ts): V8 flags are per process, so each case runs in a
// fresh Node process.
import * as assert from 'assert';
import * as path from 'path';
import { spawnSync } from 'child_process';

const TIERING = path.join(__dirname, '../server/src/cli/tiering.js');

/** Runs `calls` (a list of [workers, cores]) through settleTiering in one process; the keys it returned. */
function keysIn(calls: [number, number][], env: NodeJS.ProcessEnv = {}): string[] {
  const code = `const t = require(${JSON.stringify(TIERING)}); console.log(JSON.stringify([t.tieringKey(), ...${JSON.stringify(calls)}.map(([w, c]) => t.settleTiering(w, c)), t.tieringKey()]));`;
  const r = spawnSync(process.execPath, ['-e', code], { encoding: 'utf8', env: { ...process.env, VIBEGUARD_V8_DEFAULT_TIERING: '', ...env } });
  assert.strictEqual(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as string[];
}

describe('scan worker tier-up', () => {
  it('keeps V8 defaults while a core is left for the background compiler', () => {
    assert.deepStrictEqual(keysIn([[1, 2]]), ['', '', '']);
    assert.deepStrictEqual(keysIn([[3, 4]]), ['', '', '']);
  });

  it('raises the interrupt budget when the workers take every core', () => {
    assert.deepStrictEqual(keysIn([[2, 2]]), ['', 'ib400000', 'ib400000']);
    assert.deepStrictEqual(keysIn([[1, 1]]), ['', 'ib400000', 'ib400000']);
  });

  it('is settled once per process: the first pool decides', () => {
    assert.deepStrictEqual(keysIn([[2, 2], [1, 2]]), ['', 'ib400000', 'ib400000', 'ib400000']);
    assert.deepStrictEqual(keysIn([[1, 2], [2, 2]]), ['', '', '', '']);
  });

  it('VIBEGUARD_V8_DEFAULT_TIERING=1 keeps V8 defaults', () => {
    assert.deepStrictEqual(keysIn([[2, 2]], { VIBEGUARD_V8_DEFAULT_TIERING: '1' }), ['', '', '']);
  });
});
