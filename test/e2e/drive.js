// Drives one running code-server (VS Code's real workbench + real Node extension host) with
// headless Debian Chromium through playwright-core. Started by run.sh, once per check.
//
//   node drive.js ui      as a person: open SPEC.file from the Explorer, wait for the squiggle and
//                         the Problems-panel entry, pick the quick fix SPEC.quickFix with Ctrl+.,
//                         save with Ctrl+S, check the file on disk; screenshots along the way
//   node drive.js mocha   load the workbench with VS Code's extension-test payload
//                         (extensionDevelopmentPath + extensionTestsPath) so a mocha suite runs in
//                         the real extension host; the exit code comes back via codeAutomationExit
//
// Env (set by run.sh):
//   CS_URL           http://127.0.0.1:PORT of the code-server to drive
//   WS               the workspace folder code-server was opened on
//   OUT              artefacts folder for this check (screenshots, drive-<mode>.json)
//   UI_SPEC          ui mode: JSON text of one spec object (format in README.md)
//   EXT_DEV          mocha mode: extension folder to load as extensionDevelopmentPath
//   EXT_TESTS        mocha mode: the suite entry file (extensionTestsPath)
//   MOCHA_TIMEOUT_MS mocha mode: how long to wait for the suite to finish (default 300000)
//   CHROMIUM         browser binary (default /usr/bin/chromium)
//   PLAYWRIGHT_DIR   node_modules folder holding playwright-core (default: normal resolution)
'use strict';
const fs = require('fs');
const path = require('path');

function loadPlaywright() {
  const dir = process.env.PLAYWRIGHT_DIR;
  const paths = [dir, path.join(__dirname, '..', '..')].filter(Boolean);
  return require(require.resolve('playwright-core', { paths }));
}
const { chromium } = loadPlaywright();

const mode = process.argv[2] || 'ui';
const CS_URL = process.env.CS_URL || 'http://127.0.0.1:18080';
const WS = process.env.WS;
const OUT = process.env.OUT || path.join(__dirname, '..', '..', 'test-results', 'e2e');
const timings = {};
let partial = {}; // what a failing check had found, written to drive-<mode>.json with the error
const t0 = Date.now();
function log(...a) { console.log(`[drive:${mode}]`, ...a); }
const mark = (k) => { timings[k] = Date.now() - t0; log(`${k} @ ${timings[k]} ms`); };
const shot = async (page, name) => {
  const file = path.join(OUT, name);
  await page.screenshot({ path: file });
  log(`screenshot ${file}`);
};
const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const asList = (v) => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);

async function launch() {
  fs.mkdirSync(OUT, { recursive: true });
  const profile = fs.mkdtempSync(path.join(require('os').tmpdir(), 'vibeguard-e2e-chromium-'));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--disable-dev-shm-usage'],
    viewport: { width: 1400, height: 900 },
    // The triage flow pastes through the real clipboard.
    permissions: ['clipboard-read', 'clipboard-write'],
    // Chromium writes crash-report and dconf folders under the XDG dirs (~/.config, ~/.cache)
    // whatever --user-data-dir says: keep them inside the throw-away profile.
    env: { ...process.env, XDG_CONFIG_HOME: path.join(profile, 'xdg-config'), XDG_CACHE_HOME: path.join(profile, 'xdg-cache') },
  });
  const page = ctx.pages()[0] || await ctx.newPage();
  page.on('pageerror', (e) => log('pageerror', String(e).slice(0, 300)));
  const close = async () => {
    await ctx.close().catch(() => {});
    fs.rmSync(profile, { recursive: true, force: true });
  };
  return { close, page };
}

async function waitWorkbench(page) {
  await page.waitForSelector('.monaco-workbench', { timeout: 90000 });
  // The Explorer lists the folder once the remote file system answers.
  await page.waitForSelector('.explorer-folders-view .monaco-list-row', { timeout: 90000 });
  mark('workbenchReady');
}

// Opens a workspace-relative file as a person would: expand its folders in the Explorer, then
// double-click it. Needs explorer.compactFolders=false (run.sh sets it) so that every folder is
// its own row. VS Code expands a folder's only sub-folder by itself, so a folder is clicked only
// while its child row is missing and the folder is collapsed (a click would collapse it again).
// Falls back to Quick Open (Ctrl+P) when a row is not rendered (long, virtualised lists), and
// says so.
async function openFromExplorer(page, rel) {
  const parts = rel.split('/').filter(Boolean);
  // data-index of the row named `name` at tree depth `level` below the row `parent` (-1 = root).
  const findRow = (name, level, parent, timeout) => page.waitForFunction(({ name, level, parent }) => {
    const rows = [...document.querySelectorAll('.explorer-folders-view .monaco-list-row')];
    const at = new Map(rows.map((r) => [+r.getAttribute('data-index'), +r.getAttribute('aria-level')]));
    const hit = rows
      .filter((r) => +r.getAttribute('aria-level') === level && (r.querySelector('.label-name') || {}).textContent === name)
      .map((r) => +r.getAttribute('data-index'))
      .filter((i) => i > parent)
      .sort((a, b) => a - b)
      .find((i) => { for (let j = parent + 1; j < i; j++) if (at.has(j) && at.get(j) < level) return false; return true; });
    return hit === undefined ? null : { index: hit };
  }, { name, level, parent }, { timeout }).then((h) => h.jsonValue()).then((v) => v.index);
  const rowAt = (i) => page.locator(`.explorer-folders-view .monaco-list-row[data-index="${i}"]`);
  try {
    let parent = -1;
    for (let i = 0; i < parts.length - 1; i++) {
      const folder = await findRow(parts[i], i + 1, parent, 10000);
      let child;
      for (let attempt = 0; attempt < 3 && child === undefined; attempt++) {
        child = await findRow(parts[i + 1], i + 2, folder, 300).catch(() => undefined);
        if (child !== undefined) break;
        if ((await rowAt(folder).getAttribute('aria-expanded')) !== 'true') await rowAt(folder).click();
        child = await findRow(parts[i + 1], i + 2, folder, 5000).catch(() => undefined);
      }
      if (child === undefined) throw new Error(`${parts.slice(0, i + 2).join('/')} not listed after expanding ${parts[i]}`);
      parent = folder;
    }
    const f = await findRow(parts[parts.length - 1], parts.length, parent, 10000);
    await rowAt(f).dblclick();
  } catch (e) {
    log(`Explorer row for ${rel} not found (${String(e.message).split('\n')[0]}); opening it with Quick Open`);
    await page.keyboard.press('Control+P');
    await page.waitForSelector('.quick-input-widget .quick-input-box input', { timeout: 10000 });
    await page.keyboard.type(rel);
    await page.waitForSelector(`.quick-input-widget .monaco-list-row:has-text(${JSON.stringify(parts[parts.length - 1])})`, { timeout: 15000 });
    await page.keyboard.press('Enter');
  }
  const base = parts[parts.length - 1];
  await page.locator('.tabs-container .tab.active').filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${escapeRe(base)}$`) }) })
    .first().waitFor({ timeout: 30000 });
  await page.waitForSelector('.editor-instance .monaco-editor .view-lines .view-line', { timeout: 30000 });
}

async function editorFocused(page) {
  return (await page.locator('.editor-instance .monaco-editor.focused').count()) > 0;
}

async function cursorPosition(page) {
  // Status bar "Ln 12, Col 5" (or "Ln 12, Col 5 (3 selected)").
  const t = await page.locator('#status\\.editor\\.selection').innerText().catch(() => '');
  const m = /Ln (\d+), Col (\d+)/.exec(t);
  return m ? { line: +m[1], col: +m[2] } : null;
}

// Puts the cursor on the problem: double-clicking its row in the Problems panel opens the file,
// selects the diagnostic's range and moves the focus to the editor.
async function gotoProblem(page, markerRow) {
  for (let i = 0; i < 5; i++) {
    await markerRow.dblclick();
    try {
      await page.waitForSelector('.editor-instance .monaco-editor.focused', { timeout: 3000 });
      break;
    } catch { log(`editor not focused after double-clicking the problem (attempt ${i + 1})`); }
  }
  if (!(await editorFocused(page))) throw new Error('could not focus the editor at the problem');
  const pos = await cursorPosition(page);
  log(`cursor at ${pos ? `Ln ${pos.line}, Col ${pos.col}` : '?'}`);
  return pos;
}

async function readDiskUntil(file, pred, ms) {
  const deadline = Date.now() + ms;
  let disk = fs.readFileSync(file, 'utf8');
  while (!pred(disk) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    disk = fs.readFileSync(file, 'utf8');
  }
  return disk;
}

async function ui() {
  const spec = JSON.parse(process.env.UI_SPEC || 'null');
  if (spec && spec.flow === 'triage') return triage(spec);
  if (!spec || !spec.file || !spec.problem) throw new Error('UI_SPEC needs at least "file" and "problem"');
  const tmo = { squiggle: 60000, problems: 30000, quickFix: 15000, disk: 30000, ...(spec.timeouts || {}) };
  const file = path.join(WS, spec.file);
  const before = fs.readFileSync(file, 'utf8');
  const expectOnDisk = asList(spec.expectOnDisk);
  const notOnDisk = asList(spec.notOnDisk);
  const severity = spec.severity || 'any';
  const quickFixAttemptsMax = spec.quickFixAttempts || 3;
  const save = spec.save !== false;
  const problemClears = spec.problemClears !== undefined ? spec.problemClears : Boolean(spec.quickFix || spec.codeActionsOnSave);
  const result = { pass: false, spec };
  partial = result;
  const { close, page } = await launch();
  try {
    await page.goto(`${CS_URL}/?folder=${encodeURIComponent(WS)}`);
    await waitWorkbench(page);

    await openFromExplorer(page, spec.file);
    mark('editorOpen');

    // The server's diagnostic shows as a squiggle in the editor ...
    const sq = severity === 'any' ? '[class*="squiggly-"]' : `.squiggly-${severity}`;
    await page.waitForSelector(`.editor-instance .monaco-editor ${sq}`, { timeout: tmo.squiggle }).catch(async () => {
      const seen = await page.$$eval('.editor-instance .monaco-editor [class*="squiggly-"]', (e) => [...new Set(e.map((x) => x.className))]).catch(() => []);
      throw new Error(`no ${severity === 'any' ? '' : `${severity} `}squiggle in ${spec.file} within ${tmo.squiggle} ms (squiggles seen: ${JSON.stringify(seen)}); did the extension activate? see vscode-logs/`);
    });
    mark('squiggle');
    await shot(page, '1-squiggle.png');

    // ... and in the Problems panel (View: Problems = Ctrl+Shift+M).
    await page.keyboard.press('Control+Shift+M');
    // With "line", only the entry whose position ("[Ln 12, Col 5]") is on that line counts.
    let markers = page.locator('.markers-panel .monaco-list-row', { hasText: spec.problem });
    if (spec.line) markers = markers.filter({ hasText: `[Ln ${spec.line}, ` });
    await markers.first().waitFor({ timeout: tmo.problems }).catch(async () => {
      const rows = await page.locator('.markers-panel .monaco-list-row').allInnerTexts().catch(() => []);
      throw new Error(`no Problems-panel entry with "${spec.problem}"${spec.line ? ` on line ${spec.line}` : ''} within ${tmo.problems} ms; the panel shows ${JSON.stringify(rows)}`);
    });
    mark('problemsPanel');
    result.problemsRows = await page.locator('.markers-panel .monaco-list-row').allInnerTexts();
    log('problems rows:', JSON.stringify(result.problemsRows));
    await shot(page, '2-problems.png');

    await gotoProblem(page, markers.first());

    if (spec.hoverShot) {
      // Hover the squiggle on the cursor's line: message, rule link, "Quick Fix...".
      const cursor = await page.locator('.editor-instance .monaco-editor .cursor').first().boundingBox();
      const boxes = await page.locator(`.editor-instance .monaco-editor ${sq}`).evaluateAll((els) => els.map((e) => { const r = e.getBoundingClientRect(); return { x: r.x, y: r.y + r.height / 2, w: r.width }; }));
      const target = boxes.filter((b) => b.w > 0).sort((a, b) => Math.abs(a.y - cursor.y) - Math.abs(b.y - cursor.y))[0];
      const hover = page.locator('.monaco-hover', { hasText: spec.problem }).first();
      for (let i = 0; i < 3; i++) {
        await page.mouse.move(target.x + Math.min(40, target.w / 2) - 5, target.y);
        await page.mouse.move(target.x + Math.min(40, target.w / 2), target.y);
        if (await hover.waitFor({ timeout: 5000 }).then(() => true, () => false)) break;
      }
      await hover.waitFor({ timeout: 5000 });
      // The hover's status line turns from "Checking for quick fixes..." into "Quick Fix...".
      await hover.getByText(/^Quick Fix/).first().waitFor({ timeout: 20000 }).catch(() => log('the hover did not list the quick fix within 20 s'));
      mark('hover');
      await shot(page, '2b-hover.png');
      await page.mouse.move(5, 5);
      await hover.waitFor({ state: 'hidden', timeout: 5000 }).catch(() => {});
    }

    if (spec.quickFix) {
      // Wait for the light bulb (VS Code 1.100 draws it in the gutter): the editor's own
      // code-action request for this cursor position has then completed.
      const bulb = page.locator('.editor-instance .monaco-editor [class*="codicon-gutter-lightbulb"], .editor-instance .monaco-editor .lightBulbWidget:visible');
      try { await bulb.first().waitFor({ timeout: tmo.quickFix }); mark('lightBulb'); } catch { log(`no light bulb within ${tmo.quickFix} ms; pressing Ctrl+. anyway`); }
      const rows = page.locator('.action-widget .monaco-list-row.action');
      const wanted = page.locator('.action-widget .monaco-list-row.action', { hasText: spec.quickFix });
      const none = page.locator('.monaco-editor-overlaymessage', { hasText: 'No code actions available' });
      let attempts = 0;
      // Known flake: the server answers with the fix yet VS Code shows "No code actions
      // available" or an incomplete menu; asking again fixes it.
      for (;;) {
        attempts++;
        result.quickFixAttempts = attempts;
        await page.keyboard.press('Control+Period');
        const which = await Promise.race([
          wanted.first().waitFor({ timeout: tmo.quickFix }).then(() => 'menu', () => 'timeout'),
          none.first().waitFor({ timeout: tmo.quickFix }).then(() => 'none', () => 'timeout'),
        ]);
        if (which === 'menu') break;
        const offered = await rows.allInnerTexts().catch(() => []);
        log(`Ctrl+. attempt ${attempts}: ${which === 'none' ? '"No code actions available"' : `"${spec.quickFix}" not offered within ${tmo.quickFix} ms`}; menu: ${JSON.stringify(offered)}`);
        await shot(page, `quickfix-attempt-${attempts}.png`);
        if (attempts >= quickFixAttemptsMax) throw new Error(`quick fix "${spec.quickFix}" not offered after ${attempts} Ctrl+. attempts; menu had ${JSON.stringify(offered)}`);
        await page.keyboard.press('Escape');
        await gotoProblem(page, markers.first());
        await bulb.first().waitFor({ timeout: tmo.quickFix }).catch(() => {});
      }
      result.quickFixMenu = await rows.allInnerTexts();
      mark('quickFixMenu');
      log('quick fix menu:', JSON.stringify(result.quickFixMenu));
      await shot(page, '3-quickfix-menu.png');
      // The preferred fix is focused first. A mouse click is swallowed by the context view's
      // pointer block, so move the keyboard focus onto the wanted entry and press Enter.
      const n = await rows.count();
      let focused = '';
      for (let i = 0; i <= n; i++) {
        focused = await page.locator('.action-widget .monaco-list-row.action.focused').first().innerText().catch(() => '');
        if (focused.includes(spec.quickFix)) break;
        await page.keyboard.press('ArrowDown');
      }
      if (!focused.includes(spec.quickFix)) throw new Error(`could not focus "${spec.quickFix}" in the quick-fix menu`);
      const wasDirty = await page.locator('.tabs-container .tab.active.dirty').count();
      await page.keyboard.press('Enter');
      await page.waitForSelector('.action-widget', { state: 'hidden', timeout: 10000 }).catch(() => {});
      // The fix edits the document: the tab turns dirty (or, for a fix that writes other files
      // only, at least the menu closed).
      if (!wasDirty) await page.waitForSelector('.tabs-container .tab.active.dirty', { timeout: 15000 }).catch(() => log('tab did not turn dirty after the fix'));
      mark('quickFixApplied');
    }

    if (save) {
      if (!(await editorFocused(page))) await gotoProblem(page, markers.first()).catch(() => {});
      await page.keyboard.press('Control+S');
      const ok = (d) => expectOnDisk.every((s) => d.includes(s)) && notOnDisk.every((s) => !d.includes(s)) && (expectOnDisk.length + notOnDisk.length > 0 || d !== before);
      const disk = await readDiskUntil(file, ok, tmo.disk);
      result.disk = disk;
      if (!ok(disk)) {
        const miss = expectOnDisk.filter((s) => !disk.includes(s));
        const extra = notOnDisk.filter((s) => disk.includes(s));
        throw new Error(`file on disk after save: missing ${JSON.stringify(miss)}, still has ${JSON.stringify(extra)}${expectOnDisk.length + notOnDisk.length ? '' : ' (unchanged)'}:\n${disk}`);
      }
      await page.waitForSelector('.tabs-container .tab.active.dirty', { state: 'detached', timeout: tmo.disk }).catch(() => {});
      mark('savedToDisk');
    }

    if (problemClears) {
      // The fixed problem leaves the Problems panel (the rule re-ran on the new text).
      await page.waitForFunction(({ text, count }) => {
        const rows = [...document.querySelectorAll('.markers-panel .monaco-list-row')].filter((r) => r.innerText.includes(text));
        return rows.length < count;
      }, { text: spec.problem, count: result.problemsRows.filter((r) => r.includes(spec.problem)).length }, { timeout: tmo.problems });
      mark('problemCleared');
    }
    result.problemsRowsAfter = await page.locator('.markers-panel .monaco-list-row').allInnerTexts();
    await shot(page, '4-after-fix.png');
    result.pass = true;
    return result;
  } catch (e) {
    await shot(page, 'failure.png').catch(() => {});
    throw e;
  } finally {
    await close();
  }
}

// Runs a command from the Command Palette (F1), as a person would: type its title, Enter.
// Right after the workbench shows, the extension host may still be registering the installed
// extensions: their commands join the palette a little later, so the palette is reopened until
// the command is listed.
async function runFromPalette(page, title, ms = 60000) {
  const deadline = Date.now() + ms;
  const box = page.locator('.quick-input-widget .quick-input-box input');
  const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first();
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('F1');
    await box.waitFor({ timeout: 10000 });
    await box.fill(`>${title}`);
    if (await row.waitFor({ timeout: 5000 }).then(() => true, () => false)) break;
    await page.keyboard.press('Escape');
    if (Date.now() > deadline) throw new Error(`"${title}" not in the Command Palette after ${attempt} tries`);
    log(`"${title}" not in the Command Palette yet (try ${attempt})`);
  }
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 5000 }).catch(() => {});
}

const notification = (page, text) => page.locator('.notifications-toasts .notification-list-item', { hasText: text });

// The triage tour (spec.flow "triage"): Scan Workspace from the palette (first cancelled through
// its notification while a large folder is scanned, then to the end), the status bar counts,
// a click on them (Problems panel, filter box focused) and the filter text typed, the rule
// documentation through a finding's code link, then a block pasted into an open file: its finding
// is flagged as just-inserted code in the status bar and the hover.
//   spec: { flow: "triage", cancelFiles: N (copies of cancelFrom scanned for the cancel step, 0 = skip),
//           cancelFrom, expectFiles: [files never opened that must show findings after the scan],
//           expectErrors: N, docsRule, acceptFile, acceptContent, acceptLine, acceptBlock,
//           walkthrough: title of the walkthrough to open last, media }
async function triage(spec) {
  const result = { pass: false, spec };
  partial = result;
  const tmo = { scan: 120000, ...(spec.timeouts || {}) };
  const bulk = path.join(WS, 'bulk-generated');
  if (spec.cancelFiles) {
    fs.mkdirSync(bulk, { recursive: true });
    const text = fs.readFileSync(path.join(WS, spec.cancelFrom), 'utf8');
    const ext = path.extname(spec.cancelFrom);
    for (let i = 0; i < spec.cancelFiles; i++) fs.writeFileSync(path.join(bulk, `copy${i}${ext}`), text);
  }
  if (spec.acceptFile) fs.writeFileSync(path.join(WS, spec.acceptFile), spec.acceptContent);
  const { close, page } = await launch();
  try {
    await page.goto(`${CS_URL}/?folder=${encodeURIComponent(WS)}`);
    await waitWorkbench(page);

    // 1. Scan Workspace, cancelled from its progress notification.
    if (spec.cancelFiles) {
      await runFromPalette(page, 'Vibe Guard: Scan Workspace');
      const progress = notification(page, 'scanning workspace');
      await progress.first().waitFor({ timeout: 30000 });
      mark('scanProgressShown');
      await shot(page, 'scan-progress.png');
      await progress.first().locator('.monaco-button', { hasText: 'Cancel' }).first().click();
      await notification(page, 'workspace scan cancelled').first().waitFor({ timeout: 30000 });
      mark('scanCancelled');
      fs.rmSync(bulk, { recursive: true, force: true });
      await page.keyboard.press('Escape');
    }

    // 2. Scan Workspace to the end: the findings of files nobody opened reach Problems.
    const t = Date.now();
    await runFromPalette(page, 'Vibe Guard: Scan Workspace');
    const done = notification(page, 'scanned file');
    await done.first().waitFor({ timeout: tmo.scan });
    result.scanMessage = await done.first().locator('.notification-list-item-message').first().innerText();
    result.scanMs = Date.now() - t;
    mark('scanDone');
    log('scan:', result.scanMessage.split('\n')[0], `${result.scanMs} ms`);
    await shot(page, 'scan-done.png');
    await runFromPalette(page, 'Notifications: Clear All Notifications');

    // 3. The status bar counts them; a click opens Problems with the cursor in its filter box.
    const status = page.locator('.statusbar-item[aria-label^="Vibe Guard"]');
    await page.waitForFunction((n) => {
      const el = document.querySelector('.statusbar-item[aria-label^="Vibe Guard"]');
      const m = el && /Vibe Guard: (\d+) errors/.exec(el.getAttribute('aria-label'));
      return m && +m[1] === n;
    }, spec.expectErrors, { timeout: 30000 }).catch(async () => {
      throw new Error(`status bar never showed ${spec.expectErrors} errors; it shows ${await status.first().getAttribute('aria-label').catch(() => '(no Vibe Guard item)')}`);
    });
    result.statusBar = await status.first().getAttribute('aria-label');
    log('status bar:', result.statusBar);
    await status.first().locator('a').first().click();
    await page.locator('.markers-panel').first().waitFor({ timeout: 15000 });
    await page.waitForFunction(() => !!document.activeElement && !!document.activeElement.closest('.viewpane-filter-container, .viewpane-filter'), null, { timeout: 10000 });
    mark('problemsFilterFocused');
    await page.keyboard.type('vibeguard');
    // The whole window for the panel, so every file's findings are rendered (the list is virtual).
    await runFromPalette(page, 'View: Toggle Maximized Panel');
    const rows = page.locator('.markers-panel .monaco-list-row');
    for (const f of spec.expectFiles || []) {
      await rows.filter({ hasText: f }).first().waitFor({ timeout: 15000 });
    }
    result.problemsRows = await rows.allInnerTexts();
    mark('problemsFiltered');
    await shot(page, 'scan-problems.png');
    await runFromPalette(page, 'View: Toggle Maximized Panel');

    // 4. A finding's rule id links to the rule's documentation.
    const rule = spec.docsRule || 'sql-injection';
    await rows.locator('a.monaco-link', { hasText: rule }).first().click();
    await page.locator('.tabs-container .tab', { hasText: rule }).first().waitFor({ timeout: 20000 });
    // The preview renders inside the webview's inner frame.
    await page.frameLocator('iframe.webview.ready').frameLocator('#active-frame').locator('h1, h2').first().waitFor({ timeout: 20000 })
      .catch(() => log('the Markdown preview showed no heading within 20 s'));
    mark('ruleDocsShown');
    await shot(page, 'rule-docs.png');

    // 5. A block pasted into an open file: analysed at once, flagged as just-inserted code.
    if (spec.acceptFile) {
      await openFromExplorer(page, spec.acceptFile);
      await page.waitForSelector('.editor-instance .monaco-editor .squiggly-error', { timeout: 60000 });
      const before = await page.locator('.editor-instance .monaco-editor .squiggly-error').count();
      await page.keyboard.press('Control+G');
      await page.locator('.quick-input-widget .quick-input-box input').waitFor({ timeout: 10000 });
      await page.keyboard.type(String(spec.acceptLine));
      await page.keyboard.press('Enter');
      await page.waitForFunction((l) => /Ln (\d+)/.exec((document.querySelector('#status\\.editor\\.selection') || {}).innerText || '')?.[1] === String(l), spec.acceptLine, { timeout: 10000 });
      // A real paste through the clipboard; playwright's insertText (one input event) if the
      // browser refuses clipboard access.
      const pasted = await page.evaluate((text) => navigator.clipboard.writeText(text).then(() => true, () => false), spec.acceptBlock);
      const t0 = Date.now();
      if (pasted) await page.keyboard.press('Control+V');
      else await page.keyboard.insertText(spec.acceptBlock);
      result.insertedBy = pasted ? 'clipboard paste (Ctrl+V)' : 'insertText';
      await page.waitForFunction(() => {
        const el = document.querySelector('.statusbar-item[aria-label^="Vibe Guard"]');
        return el && /inserted just now/.test(el.getAttribute('aria-label'));
      }, null, { timeout: 30000 });
      result.acceptedFlashMs = Date.now() - t0;
      mark('acceptedFlash');
      await page.waitForFunction((n) => document.querySelectorAll('.editor-instance .monaco-editor .squiggly-error').length > n, before, { timeout: 15000 });
      result.acceptedSquiggleMs = Date.now() - t0;
      log(`${result.insertedBy}: status bar flash after ${result.acceptedFlashMs} ms, squiggle after ${result.acceptedSquiggleMs} ms`);
      await shot(page, 'accepted.png');
      // Hover the new squiggle (the lowest one): the message says where the code came from.
      const boxes = await page.locator('.editor-instance .monaco-editor .squiggly-error').evaluateAll((els) => els.map((e) => { const r = e.getBoundingClientRect(); return { x: r.x + r.width / 2, y: r.y + r.height / 2, w: r.width }; }));
      const target = boxes.filter((b) => b.w > 0).sort((a, b) => b.y - a.y)[0];
      for (let i = 0; i < 3; i++) {
        await page.mouse.move(target.x - 5, target.y);
        await page.mouse.move(target.x, target.y);
        const ok = await page.locator('.monaco-hover', { hasText: 'inserted just now' }).first().waitFor({ timeout: 5000 }).then(() => true, () => false);
        if (ok) break;
      }
      await page.locator('.monaco-hover', { hasText: 'inserted just now' }).first().waitFor({ timeout: 5000 });
      mark('acceptedHover');
      await shot(page, 'accepted-hover.png');
    }

    // 6. The walkthrough a new user finds under Help: Welcome.
    if (spec.walkthrough) {
      await page.keyboard.press('Control+J'); // hide the panel: the walkthrough gets the window
      await page.locator('.markers-panel').first().waitFor({ state: 'hidden', timeout: 5000 }).catch(() => {});
      await runFromPalette(page, 'Welcome: Open Walkthrough...');
      await page.locator('.quick-input-widget .quick-input-box input').fill(spec.walkthrough);
      await page.locator('.quick-input-widget .monaco-list-row', { hasText: spec.walkthrough }).first().waitFor({ timeout: 15000 });
      await page.keyboard.press('Enter');
      const walk = page.locator('.gettingStartedContainer', { hasText: spec.walkthrough }).first();
      await walk.waitFor({ timeout: 20000 });
      // The first step's picture is loaded from the installed package.
      await page.waitForFunction(() => [...document.querySelectorAll('.gettingStartedContainer .getting-started-media img')].some((i) => i.complete && i.naturalWidth > 0), null, { timeout: 20000 })
        .catch(() => log('the walkthrough step showed no loaded image within 20 s'));
      mark('walkthroughShown');
      await shot(page, 'walkthrough.png');
    }
    result.pass = true;
    return result;
  } catch (e) {
    await shot(page, 'failure.png').catch(() => {});
    throw e;
  } finally {
    await close();
  }
}

// console.log-style formatting of the extension host's log calls (mocha's reporter logs
// format strings such as '%s (%dms)' with arguments).
function format(args) {
  const str = (a) => (typeof a === 'string' ? a : JSON.stringify(a));
  if (typeof args[0] !== 'string') return args.map(str).join(' ');
  const rest = args.slice(1);
  const head = args[0].replace(/%[sdifjoOc%]/g, (m) => {
    if (m === '%%') return '%';
    if (!rest.length) return m;
    const v = rest.shift();
    return m === '%c' ? '' : str(v);
  });
  return [head, ...rest.map(str)].join(' ');
}

async function mocha() {
  const authority = new URL(CS_URL).host;
  const remote = (p) => `vscode-remote://${authority}${p}`;
  if (!process.env.EXT_DEV || !process.env.EXT_TESTS) throw new Error('EXT_DEV and EXT_TESTS must be set');
  const payload = [
    ['extensionDevelopmentPath', remote(process.env.EXT_DEV)],
    ['extensionTestsPath', remote(process.env.EXT_TESTS)],
  ];
  const timeout = Number(process.env.MOCHA_TIMEOUT_MS || 300000);
  const { close, page } = await launch();
  try {
    let done;
    const exited = new Promise((r) => { done = r; });
    // The web workbench calls these when the extension host's test runner logs / finishes.
    await page.exposeFunction('codeAutomationExit', (code) => done(code));
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      log('[exthost]', format(args || []).replace(/\s+$/, '').slice(0, 4000));
    });
    await page.goto(`${CS_URL}/?folder=${encodeURIComponent(WS)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
    const exitCode = await Promise.race([exited, new Promise((r) => setTimeout(() => r('timeout'), timeout))]);
    mark('testsExited');
    if (exitCode !== 0) {
      log(exitCode === 'timeout' ? `no result from the extension host within ${timeout} ms` : `extension host test run exited with ${exitCode}`);
      await shot(page, 'mocha-failure.png').catch(() => {});
    }
    return { pass: exitCode === 0, exitCode };
  } finally {
    await close();
  }
}

(async () => {
  const fn = { ui, mocha }[mode];
  if (!fn) throw new Error(`unknown mode ${mode} (ui|mocha)`);
  const r = await fn();
  r.timings = timings;
  fs.writeFileSync(path.join(OUT, `drive-${mode}.json`), JSON.stringify(r, null, 2));
  // run.sh --update-media: the screenshots a spec names in "media" become the README's pictures.
  const media = process.env.MEDIA_DIR;
  if (r.pass && media && r.spec && r.spec.media) {
    fs.mkdirSync(media, { recursive: true });
    for (const [from, to] of Object.entries(r.spec.media)) {
      fs.copyFileSync(path.join(OUT, from), path.join(media, to));
      log(`media: ${from} -> ${path.join(media, to)}`);
    }
  }
  log(r.pass ? 'PASS' : 'FAIL', JSON.stringify(timings), r.quickFixAttempts ? `quickFixAttempts=${r.quickFixAttempts}` : '');
  process.exit(r.pass ? 0 : 1);
})().catch((e) => {
  log('FAIL', (e && e.stack) || e, JSON.stringify(timings));
  try { fs.writeFileSync(path.join(OUT, `drive-${mode}.json`), JSON.stringify({ ...partial, pass: false, error: String((e && e.stack) || e), timings }, null, 2)); } catch { /* OUT may not exist */ }
  process.exit(1);
});
