// `vibeguard lsp` and `vibeguard mcp`: each server is its own bundle beside cli.js, loaded only
// when asked for, so a scan never loads the language server or the MCP SDK.
import * as fs from 'fs';
import * as path from 'path';

/** The language server over stdio: the same bundle VS Code starts, with its transport argument. */
export function startLsp(): void {
  if (!process.argv.includes('--stdio')) process.argv.push('--stdio');
  load('server.js');
}

export async function startMcp(root: string): Promise<void> {
  const { runMcpServer } = load('mcp.js') as typeof import('../mcp/main');
  await runMcpServer(root);
}

function load(bundle: string): unknown {
  const file = path.join(__dirname, bundle);
  if (!fs.existsSync(file)) throw new Error(`${file} is missing; run \`npm run build\``);
  return require(file);
}
