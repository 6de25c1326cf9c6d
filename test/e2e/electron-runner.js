#!/usr/bin/env node
// Runs the same in-extension-host mocha suite (suite/index.js) in desktop VS Code (Electron)
// through @vscode/test-electron, for machines that can download VS Code. The packaged .vsix is
// installed into a fresh extensions folder and the suite runs against that installed copy, in a
// fresh copy of the sample app, with the same user settings as run.sh (settings.js).
//
//   node test/e2e/electron-runner.js [--vsix PATH] [--workspace DIR] [--vscode VERSION]
//                                    [--out DIR] [--grep REGEX] [--keep]
//
//   --vsix PATH       the packaged extension (default $VIBEGUARD_E2E_VSIX or <repo>/vibeguard.vsix)
//   --workspace DIR   folder copied and opened (default <repo>/sample-app)
//   --vscode VERSION  VS Code to download: "stable" (default), "insiders" or e.g. "1.100.3"
//   --out DIR         artefacts: mocha-results.json, timings.json (default <repo>/test-results/e2e-electron)
//   --grep REGEX      only tests whose full title matches
//   --keep            keep the temporary folder (extensions, user data, workspace copy)
//
// @vscode/test-electron is not a dependency of the repository (it downloads VS Code at run time,
// which the offline CI cannot do; that runs the suite in code-server with run.sh). Install it
// where you run this: npm install --no-save @vscode/test-electron
// On Linux without a display, run under xvfb-run. Exit code: 0 when every test passed.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const HERE = __dirname;
const REPO = path.resolve(HERE, '..', '..');

function parseArgs(argv) {
  const o = {
    vsix: process.env.VIBEGUARD_E2E_VSIX || path.join(REPO, 'vibeguard.vsix'),
    workspace: path.join(REPO, 'sample-app'),
    vscode: 'stable',
    out: path.join(REPO, 'test-results', 'e2e-electron'),
    grep: process.env.VIBEGUARD_E2E_GREP || '',
    keep: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => { if (i + 1 >= argv.length) usage(`${a} needs a value`); return argv[++i]; };
    if (a === '--vsix') o.vsix = path.resolve(value());
    else if (a === '--workspace') o.workspace = path.resolve(value());
    else if (a === '--vscode') o.vscode = value();
    else if (a === '--out') o.out = path.resolve(value());
    else if (a === '--grep') o.grep = value();
    else if (a === '--keep') o.keep = true;
    else if (a === '-h' || a === '--help') usage();
    else usage(`unknown argument ${a}`);
  }
  return o;
}

function usage(problem) {
  const text = fs.readFileSync(__filename, 'utf8').split('\n').slice(1, 20).map((l) => l.replace(/^\/\/ ?/, '')).join('\n');
  if (problem) console.error(`electron-runner: ${problem}\n`);
  console.error(text);
  process.exit(2);
}

function loadTestElectron() {
  try {
    return require(require.resolve('@vscode/test-electron', { paths: [process.cwd(), REPO] }));
  } catch (e) {
    if (e.code !== 'MODULE_NOT_FOUND') throw e;
    console.error([
      'electron-runner: @vscode/test-electron is not installed.',
      'It downloads desktop VS Code from Microsoft at run time, so it is not a dependency of this',
      'repository (CI runs the same suite offline in code-server: test/e2e/run.sh --mode mocha).',
      'To run the suite in desktop VS Code on a machine with internet access:',
      '  npm install --no-save @vscode/test-electron',
      '  npm run package',
      '  node test/e2e/electron-runner.js            # under xvfb-run on a Linux machine without a display',
    ].join('\n'));
    process.exit(2);
  }
}

/** The folder the VS Code CLI unpacked the .vsix into, read from its extensions.json. */
function installedExtension(extensionsDir) {
  const list = JSON.parse(fs.readFileSync(path.join(extensionsDir, 'extensions.json'), 'utf8'));
  if (list.length !== 1) throw new Error(`expected one installed extension in ${extensionsDir}, found ${list.length}`);
  const e = list[0];
  return { id: e.identifier.id, dir: path.join(extensionsDir, e.relativeLocation || path.basename(e.location.path)) };
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (!fs.existsSync(opts.vsix)) usage(`no .vsix at ${opts.vsix} (build it with npm run package, or pass --vsix)`);
  const { downloadAndUnzipVSCode, resolveCliArgsFromVSCodeExecutablePath, runTests } = loadTestElectron();

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vibeguard-e2e-electron-'));
  const exts = path.join(tmp, 'exts');
  const userData = path.join(tmp, 'ud');
  const ws = path.join(tmp, 'ws');
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.mkdirSync(opts.out, { recursive: true });
  fs.cpSync(opts.workspace, ws, { recursive: true });
  fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify(require('./settings'), null, 2));
  try {
    const vscodeExecutablePath = await downloadAndUnzipVSCode(opts.vscode);
    const [cli, ...cliArgs] = resolveCliArgsFromVSCodeExecutablePath(vscodeExecutablePath);
    const install = spawnSync(cli, [...cliArgs, '--extensions-dir', exts, '--user-data-dir', userData, '--install-extension', opts.vsix], { encoding: 'utf8', shell: process.platform === 'win32' });
    if (install.status !== 0 || !/successfully installed/i.test(install.stdout + install.stderr)) {
      throw new Error(`installing ${opts.vsix} failed:\n${install.stdout}${install.stderr}`);
    }
    const ext = installedExtension(exts);
    console.log(`[electron] installed ${ext.id} from ${opts.vsix} -> ${ext.dir}`);
    const code = await runTests({
      vscodeExecutablePath,
      // The installed copy is what runs: the same contract as run.sh's mocha mode.
      extensionDevelopmentPath: ext.dir,
      extensionTestsPath: path.join(HERE, 'suite', 'index.js'),
      launchArgs: [ws, '--extensions-dir', exts, '--user-data-dir', userData, '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
      extensionTestsEnv: {
        VIBEGUARD_E2E_WORKSPACE: ws,
        VIBEGUARD_E2E_EXTENSION_ID: ext.id,
        VIBEGUARD_E2E_EXTENSION_DIR: ext.dir,
        VIBEGUARD_E2E_OUT: opts.out,
        VIBEGUARD_E2E_MOCHA_OUT: path.join(opts.out, 'mocha-results.json'),
        VIBEGUARD_E2E_GREP: opts.grep,
      },
    });
    console.log(`[electron] ${code === 0 ? 'PASS' : 'FAIL'}; results in ${opts.out}`);
    return code;
  } finally {
    if (opts.keep) console.log(`[electron] kept ${tmp}`);
    else fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().then((code) => process.exit(code), (e) => {
  console.error(`[electron] ${e && e.stack || e}`);
  process.exit(1);
});
