// extensionTestsPath entry for run.sh's mocha mode. VS Code's extension host require()s this file
// and awaits run(): it runs mocha over every *.test.js in this folder (sorted by name) inside the
// real extension host, where require('vscode') is the real API. Same contract as a suite started by
// @vscode/test-electron, so the files need nothing specific to code-server.
//
// Env (inherited from code-server, set by run.sh):
//   VIBEGUARD_E2E_SUITE_DIR     folder of *.test.js files (default: this folder)
//   VIBEGUARD_E2E_GREP          only tests whose full title matches this regular expression
//   VIBEGUARD_E2E_MOCHA_OUT     JSON summary written here ({ passed, failed, pending, failures })
//   VIBEGUARD_E2E_TEST_TIMEOUT  per-test timeout in ms (default 60000)
// Tests also see VIBEGUARD_E2E_WORKSPACE, VIBEGUARD_E2E_EXTENSION_ID, VIBEGUARD_E2E_EXTENSION_DIR.
'use strict';
const fs = require('fs');
const path = require('path');
// Resolved from the repository's node_modules (devDependency), not from the extension.
const Mocha = require('mocha');

exports.run = function run() {
  const dir = process.env.VIBEGUARD_E2E_SUITE_DIR || __dirname;
  const out = process.env.VIBEGUARD_E2E_MOCHA_OUT;
  const mocha = new Mocha({
    ui: 'bdd',
    reporter: 'spec',
    color: false,
    timeout: Number(process.env.VIBEGUARD_E2E_TEST_TIMEOUT || 60000),
    grep: process.env.VIBEGUARD_E2E_GREP || undefined,
  });
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.test.js')).sort();
  if (files.length === 0) return Promise.reject(new Error(`no *.test.js files in ${dir}`));
  for (const f of files) mocha.addFile(path.join(dir, f));
  console.log(`[e2e-suite] running ${files.length} file(s) from ${dir}: ${files.join(', ')}`);
  return new Promise((resolve, reject) => {
    const results = { passed: [], failed: [], pending: [] };
    let runner;
    try {
      runner = mocha.run((failures) => {
        results.failures = failures;
        if (out) fs.writeFileSync(out, JSON.stringify(results, null, 2));
        // A grep that matches nothing must not pass silently.
        if (failures > 0) reject(new Error(`${failures} test(s) failed`));
        else if (results.passed.length === 0) reject(new Error(`no test ran${mocha.options.grep ? ` (grep ${mocha.options.grep})` : ''}`));
        else resolve();
      });
    } catch (e) {
      // A test file that throws at load time (syntax error, missing module) ends up here.
      if (out) fs.writeFileSync(out, JSON.stringify({ ...results, loadError: String(e && e.stack || e) }, null, 2));
      reject(e);
      return;
    }
    runner.on('pass', (t) => results.passed.push({ title: t.fullTitle(), ms: t.duration }));
    runner.on('fail', (t, err) => results.failed.push({ title: t.fullTitle(), error: String(err && err.stack || err) }));
    runner.on('pending', (t) => results.pending.push({ title: t.fullTitle() }));
  });
};
