// What a coding agent's hook sends on stdin, reduced to what `vibeguard hook` needs: which
// protocol answers, the edited file, the project folder.
//
// - Claude Code, PostToolUse on Edit/Write/MultiEdit: `{hook_event_name: "PostToolUse", cwd,
//   tool_name, tool_input: {file_path}}`; exit code 2 feeds stderr back to the model.
// - Cursor, afterFileEdit: `{hook_event_name: "afterFileEdit", conversation_id, workspace_roots,
//   file_path, edits}`; its output is not read, so the file is only remembered.
// - Cursor, stop: `{hook_event_name: "stop", conversation_id, workspace_roots, status,
//   loop_count}`; stdout `{"followup_message": "..."}` sends the agent back to work.
import * as path from 'path';

export type HookEvent =
  | { agent: 'claude'; root: string; files: string[] }
  | { agent: 'cursor-edit'; root: string; conversation: string; files: string[] }
  | { agent: 'cursor-stop'; root: string; conversation: string; loopCount: number }
  /** Nothing to check: another tool's event, or an edit that names no file. */
  | { agent: 'none'; why: string };

export class HookInputError extends Error {}

export function parseHookInput(text: string, cwd: string, env: NodeJS.ProcessEnv = process.env): HookEvent {
  let raw: unknown;
  try { raw = JSON.parse(text); } catch (e) {
    throw new HookInputError(`the hook input on stdin is not JSON (${(e as Error).message}); name files as arguments to check them without an agent`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new HookInputError('the hook input on stdin is not a JSON object');
  const o = raw as Record<string, unknown>;
  const event = str(o.hook_event_name);
  const roots = Array.isArray(o.workspace_roots) ? o.workspace_roots.filter((r): r is string => typeof r === 'string') : [];
  const root = str(o.cwd) ?? roots[0] ?? str(env.CLAUDE_PROJECT_DIR) ?? cwd;
  const conversation = str(o.conversation_id) ?? 'default';
  if (event === 'stop') return { agent: 'cursor-stop', root, conversation, loopCount: typeof o.loop_count === 'number' ? o.loop_count : 0 };
  const input = typeof o.tool_input === 'object' && o.tool_input !== null ? o.tool_input as Record<string, unknown> : {};
  const file = str(input.file_path) ?? str(o.file_path);
  if (!file) return { agent: 'none', why: `no file_path in the ${event ?? 'hook'} input` };
  const files = [path.resolve(root, file)];
  if (event === 'afterFileEdit') return { agent: 'cursor-edit', root, conversation, files };
  // PostToolUse, and agents that copied its shape: findings on stderr with exit code 2.
  return { agent: 'claude', root, files };
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}
