// The workspace a CLI scan reads cross-file facts from: without a configuration file, the folder the
// scan runs from when the scanned folder lies in it, else the scanned folder's own project. A scan
// started elsewhere (`vibeguard scan ~/code/app` from the home folder) used to take the folder it
// was started from for the workspace, and missed facts the project's other files hold.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { project, removeProjects, requireBuild, vibeguard } from './harness/cli';
import { AUTH, BILLING, server } from './harness/guarded-router';

describe('CLI workspace root without a configuration file', function () {
  this.timeout(120_000);
  before(requireBuild);
  after(removeProjects);

  const missingAuth = (stdout: string) => (JSON.parse(stdout) as { findings: { rule: string; file: string }[] }).findings.filter((f) => f.rule === 'missing-auth').map((f) => path.basename(f.file));

  it('a project scanned from another folder is judged by its own files, as from inside it', () => {
    // server.js mounts the billing router without the guard it uses elsewhere: a fact of another file.
    const dir = project({ 'package.json': '{ "name": "shop" }\n', 'server.js': server(false), 'billing.js': BILLING, 'middleware/auth.js': AUTH });
    const inside = vibeguard(dir, 'scan', '.', '--format', 'json', '--fail-on', 'off');
    assert.strictEqual(inside.code, 0, inside.stderr);
    assert.deepStrictEqual(missingAuth(inside.stdout), ['billing.js', 'billing.js']);
    const elsewhere = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'vibeguard-elsewhere-')));
    try {
      const outside = vibeguard(elsewhere, 'scan', dir, '--format', 'json', '--fail-on', 'off');
      assert.strictEqual(outside.code, 0, outside.stderr);
      assert.deepStrictEqual(missingAuth(outside.stdout), ['billing.js', 'billing.js']);
    } finally {
      fs.rmSync(elsewhere, { recursive: true, force: true });
    }
  });
});
