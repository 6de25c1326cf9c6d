// Bundles the extension client, the language server and the CLI with esbuild, and copies the
// tree-sitter wasm files next to the server/CLI bundles (loaded at run time, no download).
import * as esbuild from 'esbuild';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const dist = join(root, 'dist');
mkdirSync(dist, { recursive: true });

const watch = process.argv.includes('--watch');
const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node18',
  sourcemap: 'linked',
  minify: !process.argv.includes('--no-minify'),
  logLevel: 'warning',
  external: ['vscode'],
  // Bundle web-tree-sitter's CommonJS build: its ESM build needs import.meta.url and import(),
  // which a CJS bundle lacks (and which defeat V8's code cache for the CLI workers).
  alias: { 'web-tree-sitter': require.resolve('web-tree-sitter') },
};

const entries = [
  { entryPoints: [join(root, 'client/src/extension.ts')], outfile: join(dist, 'extension.js') },
  { entryPoints: [join(root, 'server/src/server.ts')], outfile: join(dist, 'server.js') },
  { entryPoints: [join(root, 'server/src/analysisWorker.ts')], outfile: join(dist, 'analysisWorker.js') },
  { entryPoints: [join(root, 'server/src/cli.ts')], outfile: join(dist, 'cli.js') },
  { entryPoints: [join(root, 'server/src/scanWorker.ts')], outfile: join(dist, 'scanWorker.js') },
  // `vibeguard mcp`: the MCP SDK and the engine, loaded by cli.js only for that command.
  { entryPoints: [join(root, 'server/src/mcp/main.ts')], outfile: join(dist, 'mcp.js') },
];

const present = entries.filter((e) => existsSync(e.entryPoints[0]));
for (const f of ['web-tree-sitter/tree-sitter.wasm', 'tree-sitter-python/tree-sitter-python.wasm']) {
  copyFileSync(require.resolve(f), join(dist, f.split('/').pop()));
}
if (watch) {
  for (const e of present) (await esbuild.context({ ...common, ...e })).watch();
  console.log('watching', present.map((e) => e.outfile).join(', '));
} else {
  await Promise.all(present.map((e) => esbuild.build({ ...common, ...e })));
}
