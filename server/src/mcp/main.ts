// `vibeguard mcp`: the Model Context Protocol server over stdio (the official TypeScript SDK), for
// coding agents to check the code they write: Claude Code, Cursor, VS Code's agent mode and any
// other MCP client. One engine stays loaded for the session, so a scan costs milliseconds.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { Engine } from '../engine';
import { packageInfo } from '../docsUrl';
import { WorkspaceRoot } from '../agent/paths';
import { registerTools } from './tools';

const INSTRUCTIONS = `Vibe Guard finds the production failures AI-written JavaScript, TypeScript and Python code ships (SQL injection, hard-coded secrets, unverified or non-idempotent webhooks, tokens in URLs, a database pool per request) and fixes them.
After you create or change such a file, call scan on it. For each finding with a fix, call get_fix with its file and line (apply: true writes it), then scan again. For code not yet written to disk, call scan_snippet. explain_rule tells why a rule matters.`;

export async function runMcpServer(root: string): Promise<void> {
  // stdout carries the protocol alone: anything printed by accident goes to stderr instead.
  console.log = console.error;
  console.info = console.error;
  process.on('uncaughtException', (e) => console.error(`vibeguard mcp: unexpected error: ${e.stack ?? e}`));
  process.on('unhandledRejection', (e) => console.error(`vibeguard mcp: unexpected rejection: ${(e as Error)?.stack ?? e}`));
  const server = new McpServer({ name: 'vibeguard', version: packageInfo().version }, { instructions: INSTRUCTIONS });
  registerTools(server, { root: new WorkspaceRoot(root), engine: Engine.create() });
  await server.connect(new StdioServerTransport());
}
