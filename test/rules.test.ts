// Fixture-driven rule tests: markers, silent look-alikes, and fix round trips.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { engine, fixtureFiles, fixedNameFor, markers, describeFindings, VirtualWorkspace, FIXTURES } from './harness/fixtures';

const files = fixtureFiles();

describe('rule fixtures', () => {
  it('has fixtures', () => assert.ok(files.length > 0, `no fixtures found in ${FIXTURES}`));

  for (const fx of files.filter((f) => f.kind !== 'fixed')) {
    describe(`${fx.ruleDir}/${fx.name}`, () => {
      const text = fs.readFileSync(fx.file, 'utf8');

      it(fx.kind === 'bad' ? 'reports exactly the marked lines' : 'reports nothing', async () => {
        const e = await engine();
        // Facts from other files (a host mounting the router behind auth) come from the fixture folder's workspace/.
        const ws = new VirtualWorkspace(path.dirname(fx.file), fx.name);
        const a = e.analyze(fx.file, text, { workspace: { root: ws.root, readFile: ws.readFile, findFiles: ws.findFiles } });
        assert.deepStrictEqual(a.notices.filter((n) => n.kind !== 'unsupported'), [], `unexpected notices: ${JSON.stringify(a.notices)}`);
        const got = a.findings.map((f) => `${a.model!.lines.position(f.start).line + 1}:${f.ruleId}`).sort();
        const want = (fx.kind === 'good' ? [] : markers(text).map((m) => `${m.line}:${m.ruleId}`)).sort();
        if (fx.kind === 'good') assert.strictEqual(markers(text).length, 0, 'good fixtures carry no expect markers');
        else assert.ok(want.some((w) => w.endsWith(`:${fx.ruleDir}`)), `a bad fixture must expect at least one ${fx.ruleDir} finding`);
        assert.deepStrictEqual(got, want, `findings:\n${describeFindings(a)}`);
      });

      if (fx.kind !== 'bad') return;
      it('fixes round-trip (apply, compare with .fixed, re-parse, re-analyse)', async function () {
        const e = await engine();
        const ws = new VirtualWorkspace(path.dirname(fx.file), fx.name);
        const env = { workspaceRoot: ws.root, readFile: ws.readFile, findFiles: ws.findFiles };
        const before = e.analyze(fx.file, text, { workspace: { root: ws.root, readFile: ws.readFile, findFiles: ws.findFiles } });
        // A fix may decline once it sees the workspace (no module mounts the router it would change): that finding stays.
        const declined = before.findings.filter((f) => f.fix && !e.fix(before, f, env));
        const fixable = before.findings.filter((f) => f.fix && !declined.includes(f));
        const fixedPath = path.join(path.dirname(fx.file), fixedNameFor(fx.name));
        if (!fixable.length) {
          assert.ok(!fs.existsSync(fixedPath), `${fixedNameFor(fx.name)} exists but no finding offers a fix`);
          return this.skip();
        }
        assert.ok(fs.existsSync(fixedPath), `findings offer fixes, so ${fixedNameFor(fx.name)} must exist`);
        const res = e.fixAll(fx.file, text, { unsafe: true, env });
        const expected = fs.readFileSync(fixedPath, 'utf8');
        if (process.env.VIBEGUARD_UPDATE_FIXED === '1' && res.text !== expected) fs.writeFileSync(fixedPath, res.text);
        assert.strictEqual(res.text, expected, 'fixed text differs from ' + fixedNameFor(fx.name));
        // The fixed file parses cleanly and leaves only the findings that had no fix, in the
        // workspace as the fix left it (a migration it wrote is part of the schema).
        ws.apply(res.files);
        const after = e.analyze(fixedPath, res.text, { workspace: { root: ws.root, readFile: ws.readFile, findFiles: ws.findFiles } });
        assert.deepStrictEqual(after.notices, [], `fixed file has notices: ${JSON.stringify(after.notices)}`);
        const key = (f: { ruleId: string; message: string }) => `${f.ruleId}: ${f.message}`;
        assert.deepStrictEqual(after.findings.map(key).sort(), before.findings.filter((f) => !f.fix || declined.includes(f)).map(key).sort(), `after fix:\n${describeFindings(after)}`);
        // Files the fix wrote elsewhere in the workspace match expected-files/ when given.
        const expectedDir = path.join(path.dirname(fx.file), 'expected-files', path.basename(fx.name, path.extname(fx.name)));
        if (fs.existsSync(expectedDir)) {
          for (const name of fs.readdirSync(expectedDir, { recursive: true }) as string[]) {
            const p = path.join(expectedDir, name);
            if (fs.statSync(p).isDirectory()) continue;
            const written = ws.files.get(path.join(ws.root, name));
            assert.strictEqual(written, fs.readFileSync(p, 'utf8'), `workspace file ${name} after fix`);
          }
        }
      });
    });
  }

  it('every .fixed file belongs to a bad file', () => {
    for (const fx of files.filter((f) => f.kind === 'fixed')) {
      const bad = fx.name.replace('.fixed', '');
      assert.ok(fs.existsSync(path.join(path.dirname(fx.file), bad)), `${fx.ruleDir}/${fx.name} has no ${bad}`);
    }
  });
});
