// The MCP tools: scan files or folders, scan a snippet, get (and optionally apply) the fix of a
// finding, explain a rule. Each has a JSON schema for its input and for its structured result, and
// answers in text an agent reads at a glance (one line per finding). A request the tools cannot
// serve (a path outside the root, no finding at that line) is thrown as an Error, which the SDK
// returns as a tool error (`isError`) carrying the message, so the agent can correct itself.
import * as path from 'path';
import { z } from 'zod';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { LANGUAGE_IDS, languageOf, RULES, RULE_IDS, ruleById, type Engine, type Lang } from '../engine';
import { CONFIG_FILE, DEFAULT_CONFIG, formatProblem, loadConfigFile, type Config } from '../config';
import { collectFiles } from '../cli/walk';
import { scanFile, fileFindingsOf } from '../cli/scanFile';
import type { FileFinding } from '../cli/types';
import type { ReportFile } from '../cli/report';
import { helpMarkdown } from '../cli/ruleHelp';
import { agentReport, findingLine, noticeLines, plural } from '../agent/report';
import type { WorkspaceRoot } from '../agent/paths';
import { computeFix, type FixOutcome } from './fix';

export interface ToolContext {
  root: WorkspaceRoot;
  engine: Promise<Engine>;
}

const RULE_ID = z.enum(RULES.map((r) => r.id) as [string, ...string[]]);
const LANGUAGE = z.enum(Object.keys(LANGUAGE_IDS) as [string, ...string[]]);

const FINDING = z.object({
  file: z.string(),
  line: z.number(),
  column: z.number(),
  endLine: z.number(),
  endColumn: z.number(),
  rule: z.string(),
  severity: z.enum(['error', 'warning', 'info']),
  message: z.string(),
  fix: z.object({ title: z.string(), safety: z.enum(['safe', 'unsafe']) }).optional()
    .describe('The quick fix: safe fixes keep behaviour; unsafe ones change it on purpose (review them)'),
});
const SCAN_RESULT = {
  scannedFiles: z.number(),
  findings: z.array(FINDING),
  truncated: z.boolean().describe('More findings than maxFindings: scan fewer files to see the rest'),
  notes: z.array(z.string()).describe('Files not analysed or only partly (syntax errors), configuration problems'),
};
const REPLACEMENT = z.object({ line: z.number(), column: z.number(), endLine: z.number(), endColumn: z.number(), text: z.string() });

export function registerTools(server: McpServer, ctx: ToolContext): void {
  server.registerTool('scan', {
    title: 'Scan files for production failures',
    description: 'Scan JavaScript, TypeScript and Python files or folders of the workspace for the failures AI-written code ships: SQL injection, hard-coded secrets, unverified or non-idempotent webhooks, tokens in URLs, a database pool per request. Call it on every file you create or change. One line per finding: path:line:column, severity, rule, message, and its fix (safe or unsafe); get_fix gives a fix as a diff.',
    inputSchema: {
      paths: z.array(z.string()).min(1).optional().describe('Files or folders relative to the workspace root (default: the whole workspace). Folders honour .gitignore and the ignore globs of .vibeguard.json.'),
      maxFindings: z.number().int().min(1).max(1000).optional().describe('Findings listed at most (default 100)'),
    },
    outputSchema: SCAN_RESULT,
    annotations: { readOnlyHint: true, openWorldHint: false },
  }, async ({ paths, maxFindings }, extra) => {
    const engine = await ctx.engine;
    const { config, notes } = loadConfig(ctx.root);
    const abs = (paths ?? ['.']).map((p) => ctx.root.resolve(p));
    const walk = collectFiles(abs, ctx.root.dir, { workspaceRoot: ctx.root.dir, ignoreGlobs: config.ignore });
    if (walk.missing.length) throw new Error(`no such file or folder: ${walk.missing.map((p) => ctx.root.relative(p)).join(', ')}`);
    const files: ReportFile[] = [];
    for (const file of walk.files) {
      if (extra.signal.aborted) throw new Error('scan cancelled');
      const r = scanFile(engine, file, { config, workspaceRoot: ctx.root.dir, fixEdits: false });
      files.push({ path: ctx.root.relative(file), findings: r.findings, notices: r.notices });
    }
    notes.push(...walk.warnings, ...noticeLines(files));
    return scanResult(files, walk.files.length, notes, maxFindings ?? 100);
  });

  server.registerTool('scan_snippet', {
    title: 'Scan code not yet written to disk',
    description: 'Scan a piece of JavaScript, TypeScript or Python code before writing it, given the file it is meant for (its name picks the language and the workspace configuration). Same findings as scan, with lines counted in the snippet; get_fix with the same code returns the fixed snippet.',
    inputSchema: {
      code: z.string().describe('The source text'),
      filename: z.string().describe('The file the code is for, relative to the workspace root, e.g. src/routes/users.ts'),
      language: LANGUAGE.optional().describe('When the file name does not tell: javascript, typescript, python ...'),
    },
    outputSchema: SCAN_RESULT,
    annotations: { readOnlyHint: true, openWorldHint: false },
  }, async ({ code, filename, language }) => {
    const engine = await ctx.engine;
    const { config, notes } = loadConfig(ctx.root);
    const abs = ctx.root.resolve(filename);
    const lang = languageFor(abs, language);
    const analysis = engine.analyze(abs, code, { config, lang });
    const file: ReportFile = {
      path: ctx.root.relative(abs),
      findings: fileFindingsOf(analysis),
      notices: analysis.notices.map((n) => ({ kind: n.kind === 'syntax' ? 'syntax' : 'internal', message: n.message })),
    };
    engine.forget(abs);
    notes.push(...noticeLines([file]));
    return scanResult([file], 1, notes, 1000);
  });

  server.registerTool('get_fix', {
    title: 'Get the fix of a finding',
    description: 'The quick fix of one finding, as a unified diff (applies with `git apply`) and as edits (1-based lines and columns, UTF-16, end exclusive). Name the finding by file and line as scan reported them, plus rule when a line has several. apply: true writes the fix (only inside the workspace root) and re-scans the file. With code given, fixes that snippet instead and returns fixedCode.',
    inputSchema: {
      file: z.string().describe('The file of the finding, relative to the workspace root'),
      line: z.number().int().min(1).describe('The line scan reported'),
      rule: RULE_ID.optional().describe('The rule, when the line has findings of several rules'),
      code: z.string().optional().describe('Snippet text to fix instead of the file on disk (as given to scan_snippet)'),
      language: LANGUAGE.optional(),
      apply: z.boolean().optional().describe('Write the fix to disk (default false: only return it)'),
    },
    outputSchema: {
      file: z.string(),
      finding: FINDING,
      diff: z.string().describe('Unified diff of every file the fix changes or creates'),
      edits: z.array(z.union([
        z.object({ file: z.string(), edits: z.array(REPLACEMENT) }),
        z.object({ file: z.string(), newContent: z.string(), created: z.boolean() }),
      ])),
      fixedCode: z.string().optional(),
      applied: z.boolean(),
      remaining: z.array(FINDING).optional().describe('After apply: the findings left in the file'),
    },
    annotations: { destructiveHint: false, idempotentHint: false, openWorldHint: false },
  }, async ({ file, line, rule, code, language, apply }) => {
    const engine = await ctx.engine;
    const { config } = loadConfig(ctx.root);
    const lang = languageFor(ctx.root.resolve(file), language);
    const outcome = computeFix(engine, ctx.root, config, { file, line, rule, code, lang, apply: apply === true });
    return { content: [{ type: 'text' as const, text: fixText(outcome) }], structuredContent: { ...outcome, finding: withFile(outcome.file, outcome.finding), remaining: outcome.remaining?.map((f) => withFile(outcome.file, f)) } };
  });

  server.registerTool('explain_rule', {
    title: 'Explain a rule',
    description: 'A rule\'s documentation: what it finds, the production incident behind it, what its quick fix does and whether that is safe, with flagged and accepted examples.',
    inputSchema: { rule: RULE_ID.describe('The rule id, as in a finding') },
    annotations: { readOnlyHint: true, openWorldHint: false },
  }, async ({ rule }) => {
    const r = ruleById(rule);
    if (!r) throw new Error(`unknown rule ${rule}; the rules are ${[...RULE_IDS].join(', ')}`);
    return { content: [{ type: 'text' as const, text: helpMarkdown(r) }] };
  });
}

/** The workspace's .vibeguard.json, read afresh for each call (the agent may have just edited it). */
function loadConfig(root: WorkspaceRoot): { config: Config; notes: string[] } {
  const loaded = loadConfigFile(path.join(root.dir, CONFIG_FILE), RULE_IDS);
  const notes = loaded.problems.map((p) => `configuration: ${formatProblem({ ...p, file: CONFIG_FILE })} (the rest applies)`);
  return { config: loaded.found ? loaded.config : DEFAULT_CONFIG, notes };
}

function languageFor(abs: string, language: string | undefined): Lang {
  const lang = language ? LANGUAGE_IDS[language] : languageOf(abs);
  if (!lang) throw new Error(`${path.basename(abs)} is not a JavaScript, TypeScript or Python file name; name the file (.js, .ts, .py ...) or pass language`);
  return lang;
}

function withFile(file: string, f: FileFinding) {
  return { file, ...f };
}

function scanResult(files: ReportFile[], scanned: number, notes: string[], max: number) {
  const report = agentReport(files, max);
  const head = report.findings
    ? `${plural(report.findings, 'finding')} in ${plural(report.files, 'file')} (${plural(scanned, 'file')} scanned):`
    : `No findings in ${plural(scanned, 'file')} scanned.`;
  const findings = files.flatMap((f) => f.findings.map((x) => withFile(f.path, x))).slice(0, max);
  return {
    content: [{ type: 'text' as const, text: [head, ...report.lines, ...notes].join('\n') }],
    structuredContent: { scannedFiles: scanned, findings, truncated: report.findings > max, notes },
  };
}

function fixText(o: FixOutcome): string {
  const f = o.finding;
  const head = findingLine(o.file, f);
  const safety = f.fix?.safety === 'safe' ? 'safe: behaviour is kept' : 'unsafe: it changes behaviour on purpose, review the diff';
  if (o.applied) {
    const left = o.remaining ?? [];
    const rest = left.length ? `${o.file} still has ${plural(left.length, 'finding')}:\n${left.map((x) => findingLine(o.file, x)).join('\n')}` : `${o.file} now has no findings.`;
    return `Applied "${f.fix?.title}" (${safety}).\n${o.diff}\n${rest}`;
  }
  const how = o.fixedCode !== undefined ? 'The fixed snippet is in fixedCode.' : 'Apply it with `git apply`, or call get_fix again with apply: true.';
  return `${head}\nThe fix (${safety}). ${how}\n${o.diff}`;
}
