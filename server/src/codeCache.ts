// Worker start-up with a V8 code cache, for the CLI's scan workers and the language server's
// analysis threads. Their bundles hold the TypeScript compiler (megabytes of JavaScript):
// compiling it costs each thread about a quarter of a second of CPU on every start, a large share
// of a CI scan, and the wait of a document that needs a new analysis thread. The loader below
// compiles the bundle with the cached code of an earlier run and, when there was none (or V8
// rejected it), saves a fresh cache once the thread has run (at the end of a scan, after a few
// analyses in the server), when it also holds the functions compiled lazily.
//
// The cache sits next to the bundle (dist/.v8-cache/), never in a shared temporary folder: code
// loaded from it runs with the process's rights, so it gets the same trust as the bundle itself. Its
// name carries the bundle's size and modification time and the Node version, because V8 checks
// only the source length. V8 also rejects a cache made under other V8 flags, so each set of flags
// the CLI runs under (cli/tiering.ts) has a folder of its own, where saving a fresh cache clears
// only that set's stale ones. VIBEGUARD_NO_CODE_CACHE=1 turns it off.
//
// A script compiled from a code cache loses Node's dynamic-import hook (Node 20), so a bundle that
// runs `import()` (web-tree-sitter's ESM build does, for `module`) must not be cached: the loader
// notices such an import (Node warns on each one) and then neither saves nor keeps a cache. A
// worker that failed anyway after loading from a cache is restarted without it by the pool.
import * as fs from 'fs';
import * as path from 'path';

/** The cache file for a bundle under the V8 flags `flagsKey`, or undefined when caching is off. */
export function codeCacheFile(script: string, flagsKey = ''): string | undefined {
  if (process.env.VIBEGUARD_NO_CODE_CACHE === '1') return undefined;
  let stat: fs.Stats;
  try { stat = fs.statSync(script); } catch { return undefined; }
  const key = `${stat.size}-${Math.floor(stat.mtimeMs)}-${process.version}-${process.arch}`;
  return path.join(path.dirname(script), '.v8-cache', flagsKey || 'v8-defaults', `${path.basename(script)}-${key}.bin`);
}

export function removeCodeCache(cacheFile: string): void {
  try { fs.rmSync(cacheFile, { force: true }); } catch { /* already gone or read-only */ }
}

/**
 * Source of the worker's entry (run with `eval: true`): loads workerData.script as a CommonJS
 * module, through the code cache when workerData.cacheFile is set, and on a `close` message saves
 * the cache if asked and ends the thread; `save-code-cache` saves it and the thread goes on (the
 * language server's threads live long and are stopped without notice). A cache is saved at most
 * once per thread, and only when the thread found none or V8 rejected it. Plain JavaScript: it
 * runs before any bundle is loaded.
 */
export const WORKER_LOADER = `'use strict';
const { parentPort, workerData, threadId } = require('worker_threads');
const fs = require('fs');
const path = require('path');
const vm = require('vm');
const Module = require('module');
const file = workerData.script;
const cacheFile = workerData.cacheFile;
const importDynamically = vm.constants && vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER;
let close = () => {};
if (cacheFile && importDynamically) {
  let usedDynamicImport = false;
  const emitWarning = process.emitWarning;
  process.emitWarning = function (warning, ...rest) {
    if (String((warning && warning.message) || warning).includes('USE_MAIN_CONTEXT_DEFAULT_LOADER')) {
      usedDynamicImport = true;
      return;
    }
    return emitWarning.call(process, warning, ...rest);
  };
  let cached;
  try { cached = fs.readFileSync(cacheFile); } catch (e) { cached = undefined; }
  const script = new vm.Script(Module.wrap(fs.readFileSync(file, 'utf8')), {
    filename: file, cachedData: cached, importModuleDynamically: importDynamically,
  });
  const fresh = !cached || script.cachedDataRejected;
  let saved = false;
  close = (writeCache) => {
    if (saved) return;
    try {
      if (usedDynamicImport) { if (cached) fs.rmSync(cacheFile, { force: true }); return; }
      if (!writeCache || !fresh) return;
      const dir = path.dirname(cacheFile);
      fs.mkdirSync(dir, { recursive: true });
      const prefix = path.basename(file) + '-';
      for (const old of fs.readdirSync(dir)) if (old.startsWith(prefix) && !old.endsWith('.tmp')) fs.rmSync(path.join(dir, old), { force: true });
      const tmp = cacheFile + '.' + process.pid + '-' + threadId + '.tmp';
      fs.writeFileSync(tmp, script.createCachedData());
      fs.renameSync(tmp, cacheFile);
      saved = true;
    } catch (e) { /* a read-only install runs without the cache */ }
  };
  const mod = new Module(file, module);
  mod.filename = file;
  mod.paths = Module._nodeModulePaths(path.dirname(file));
  script.runInThisContext().call(mod.exports, mod.exports, Module.createRequire(file), mod, file, path.dirname(file));
} else {
  require(file);
}
parentPort.on('message', (msg) => {
  if (msg && msg.type === 'save-code-cache') { close(true); return; }
  if (!msg || msg.type !== 'close') return;
  close(msg.writeCache);
  process.exit(0);
});
`;
