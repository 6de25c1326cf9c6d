// Loads the CLI's bundle (dist/cli.js) through a V8 code cache, as the scan workers load theirs
// (server/src/codeCache.ts, whose naming this follows: dist/.v8-cache/v8-defaults/, keyed by
// the bundle's size and modification time and the Node version). Compiling the 1.3 MB bundle cost
// each command about 25 ms of a 150 ms cached re-scan, and every `vibeguard hook` an agent runs.
// The cache is written at exit when there was none or V8 rejected it, so it holds the functions
// the command ran. VIBEGUARD_NO_CODE_CACHE=1 turns it off; any failure falls back to require().
'use strict';
const fs = require('fs');
const path = require('path');
const vm = require('vm');
const Module = require('module');

/** Emitted on `process` just before the CLI changes V8's flags. */
const V8_FLAGS_CHANGING = 'vibeguard:v8-flags-changing';

function cacheFileFor(file) {
  const stat = fs.statSync(file);
  const key = `${stat.size}-${Math.floor(stat.mtimeMs)}-${process.version}-${process.arch}`;
  return path.join(path.dirname(file), '.v8-cache', 'v8-defaults', `${path.basename(file)}-${key}.bin`);
}

function saveCache(data, file, cacheFile) {
  try {
    const dir = path.dirname(cacheFile);
    fs.mkdirSync(dir, { recursive: true });
    const prefix = path.basename(file) + '-';
    for (const old of fs.readdirSync(dir)) if (old.startsWith(prefix) && !old.endsWith('.tmp')) fs.rmSync(path.join(dir, old), { force: true });
    const tmp = `${cacheFile}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, data);
    fs.renameSync(tmp, cacheFile);
  } catch {
    // A read-only install runs without the cache.
  }
}

/** Runs `file` as the main module's child, as require(file) would, and returns its exports. */
function loadCached(file, parent) {
  if (process.env.VIBEGUARD_NO_CODE_CACHE === '1') return require(file);
  let cacheFile;
  let cached;
  let script;
  try {
    cacheFile = cacheFileFor(file);
    try { cached = fs.readFileSync(cacheFile); } catch { cached = undefined; }
    script = new vm.Script(Module.wrap(fs.readFileSync(file, 'utf8')), { filename: file, cachedData: cached });
  } catch {
    return require(file);
  }
  if (!cached || script.cachedDataRejected) {
    // V8 rejects a cache made under other flags, and a scan that puts a worker on every core
    // changes them (server/src/cli/tiering.ts): the cache is taken just before that, else at exit.
    let data;
    const take = () => { if (!data) { try { data = script.createCachedData(); } catch { data = undefined; } } };
    process.once(V8_FLAGS_CHANGING, take);
    process.once('exit', () => { take(); if (data) saveCache(data, file, cacheFile); });
  }
  const mod = new Module(file, parent);
  mod.filename = file;
  mod.paths = Module._nodeModulePaths(path.dirname(file));
  require.cache[file] = mod;
  script.runInThisContext().call(mod.exports, mod.exports, Module.createRequire(file), mod, file, path.dirname(file));
  mod.loaded = true;
  return mod.exports;
}

module.exports = { loadCached, cacheFileFor, V8_FLAGS_CHANGING };
