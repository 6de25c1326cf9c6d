#!/usr/bin/env node
// The CLI entry point (`npx vibeguard`): the bundled engine in dist/ (built by `npm run build`,
// which `npm ci` runs through the prepare script), loaded through a V8 code cache (load-cached.js).
'use strict';
const path = require('path');
const fs = require('fs');
const bundle = path.join(__dirname, '..', 'dist', 'cli.js');
if (!fs.existsSync(bundle)) {
  process.stderr.write('vibeguard: dist/cli.js is missing; run `npm run build` first\n');
  process.exit(2);
}
require('./load-cached.js').loadCached(bundle, module);
