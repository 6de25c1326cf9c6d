// Configuration errors behave one way: every problem with the configuration file (missing,
// unreadable, a folder, a FIFO, a link loop, invalid JSON) stops the CLI with exit 2 and a
// message naming the file and the cause; a byte order mark is not a problem.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { project, removeProjects, vibeguard, VULNERABLE } from './harness/cli';

describe('configuration errors (D19)', function () {
  this.timeout(120_000);
  after(removeProjects);

  it('a .vibeguard.json with a UTF-8 byte order mark is read', () => {
    const dir = project({ '.vibeguard.json': '\ufeff' + JSON.stringify({ rules: { 'sql-injection': 'off' } }), 'a.js': VULNERABLE });
    const r = vibeguard(dir, 'scan');
    assert.strictEqual(r.code, 0, r.stderr);
  });

  it('missing, unreadable, a folder, a FIFO and a link loop: all exit 2, each with its cause, nothing scanned', function () {
    const dir = project({ 'a.js': VULNERABLE, 'dir/.keep': '' });
    fs.symlinkSync('loop2', path.join(dir, 'loop1'));
    fs.symlinkSync('loop1', path.join(dir, 'loop2'));
    const cases: [string, RegExp][] = [
      ['missing.json', /^vibeguard: configuration file not found: missing\.json$/m],
      ['dir', /^vibeguard: dir: \(file\): is a folder, not a file$/m],
      ['loop1', /^vibeguard: loop1: \(file\): cannot read: a loop of symbolic links \(ELOOP\)$/m],
    ];
    if (process.platform !== 'win32') {
      execFileSync('mkfifo', [path.join(dir, 'fifo.json')]);
      cases.push(['fifo.json', /^vibeguard: fifo\.json: \(file\): is not a regular file$/m]);
    }
    for (const [config, message] of cases) {
      const r = vibeguard(dir, 'scan', '--config', config);
      assert.strictEqual(r.code, 2, `${config}: ${r.stderr}`);
      assert.match(r.stderr, message);
      assert.strictEqual(r.stdout, '', `${config}: nothing is scanned`);
    }
  });

  it('a found .vibeguard.json that is a link loop is reported, not ignored', () => {
    const dir = project({ 'a.js': VULNERABLE });
    fs.symlinkSync('.vibeguard.json', path.join(dir, '.vibeguard.json'));
    const r = vibeguard(dir, 'scan');
    assert.strictEqual(r.code, 2, r.stderr);
    assert.match(r.stderr, /\.vibeguard\.json: \(file\): cannot read: a loop of symbolic links \(ELOOP\)/);
  });

  it('invalid JSON exits 2 and does not claim that defaults apply', () => {
    const dir = project({ '.vibeguard.json': '{ "rules": ', 'a.js': VULNERABLE });
    const r = vibeguard(dir, 'scan');
    assert.strictEqual(r.code, 2);
    assert.match(r.stderr, /\.vibeguard\.json: \(syntax\): invalid JSON/);
    assert.doesNotMatch(r.stderr, /defaults apply/);
    assert.match(r.stderr, /nothing was scanned/);
  });

  it('--config with an empty name is a usage error', () => {
    const r = vibeguard(project({ 'a.js': VULNERABLE }), 'scan', '--config', '');
    assert.strictEqual(r.code, 2);
    assert.match(r.stderr, /--config needs a file name/);
  });
});
