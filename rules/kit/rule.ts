// The rule contract: one file per rule exports defineRule({...}); the engine walks the code
// model once and dispatches each node to the visitors every enabled rule returned.
import type { Lang, Node, NodeOf, NodeType } from './model/ir';
import type { CodeModel } from './model/model';

export type Severity = 'error' | 'warning' | 'info';
export type Category = 'security' | 'reliability' | 'performance';
export type FixSafety = 'safe' | 'unsafe';
/**
 * What a rule's findings depend on. `function`: only the text of the function (top-level
 * statement) they lie in; nothing else of the file, no binding, import, route chain or
 * middleware outside it. `file`: the whole file. `workspace`: also facts from other files (other
 * modules' functions, router mounts, auth and rate-limit usage, schemas), so a cached result must
 * be dropped when those change. When unsure, `file`: a wider scope costs a re-run, a narrower one
 * a wrong finding.
 */
export type RuleScope = 'function' | 'file' | 'workspace';

export interface Example {
  bad: string;
  good: string;
  /**
   * Other files of the workspace the example runs in (relative path → text): the schema a
   * workspace-aware rule reads. The catalog test analyses `bad` and `good` inside it; the docs show it.
   */
  workspace?: Record<string, string>;
}

export interface RuleDocs {
  /** One line: what the rule finds. */
  summary: string;
  /** The production risk and the incident behind it. */
  why: string;
  /** What the quick fix does (and, for unsafe fixes, what may change). */
  fix?: string;
  /** Per language: `bad` gives exactly one finding, `good` none (run by the catalog test). */
  examples: Partial<Record<Lang, Example>>;
}

/** A finding before the engine adds severity, suppression and positions. */
export interface Report {
  node?: Node;
  start?: number;
  end?: number;
  message: string;
  /** Rule-specific facts the fix producer needs; must be JSON-serialisable. */
  data?: Record<string, unknown>;
  /**
   * Set when the finding has no fix even though the rule has one: a string says why (the engine
   * appends it to the message as `(no automatic fix: <reason>)` and puts it in
   * `data.noFixReason`), so a user who gets no quick fix learns what stands in the way.
   */
  noFix?: boolean | string;
  /** Severity override for this finding. */
  severity?: Severity;
  /**
   * The finding is as real in test code as anywhere (a live provider key): kept there by default,
   * at its full severity, while other findings in test code are dropped (or shown at `info` when
   * the workspace asks for every finding in tests).
   */
  realInTestCode?: boolean;
}

export interface Finding {
  ruleId: string;
  start: number;
  end: number;
  message: string;
  severity: Severity;
  data?: Record<string, unknown>;
  fix?: { title: string; safety: FixSafety };
}

export interface RuleContext {
  readonly model: CodeModel;
  readonly options: RuleOptions;
  report(r: Report): void;
}

export interface RuleOptions {
  /** Free-form per-rule options from configuration (`rules.<id>.options`). */
  [key: string]: unknown;
}

export type Visitors = { [T in NodeType]?: (node: NodeOf<T>) => void } & { 'Program:exit'?: () => void };

/** A text edit in the analysed document, as offsets into its text. */
export interface TextEdit { start: number; end: number; newText: string }

/** A change to another file of the workspace (paths are absolute). */
export type FileChange =
  | { kind: 'create'; path: string; content: string }
  | { kind: 'edit'; path: string; edits: TextEdit[] };

export interface FixResult {
  edits: TextEdit[];
  files?: FileChange[];
  /** The title for this very fix, when it says more than the rule's (what the user still has to do). */
  title?: string;
}

/** What a fix producer may know besides the finding: the model and read access to the workspace. */
export interface FixContext {
  readonly model: CodeModel;
  /** Absolute path of the analysed file. */
  readonly file: string;
  /** The workspace root (folder holding .vibeguard.json, .env), if known. */
  readonly workspaceRoot?: string;
  /** Reads a workspace file; undefined when it does not exist. */
  readFile(absPath: string): string | undefined;
  /** Lists files of the workspace matching a predicate on the relative path (bounded). */
  findFiles(pred: (relPath: string) => boolean, limit?: number): string[];
  readonly options: RuleOptions;
}

export interface RuleFix {
  title: string | ((f: Finding) => string);
  safety: FixSafety;
  produce(finding: Finding, ctx: FixContext): FixResult | undefined;
}

export interface RuleDefinition {
  id: string;
  category: Category;
  severity: Severity;
  languages: Lang[];
  /** What the rule's findings depend on (see RuleScope). */
  scope: RuleScope;
  cwe?: number;
  /**
   * For security rules: how bad a typical finding is, 0.1-10.0 on the CVSS scale (GitHub code
   * scanning shows 9.0+ as critical, 7.0+ high, 4.0+ medium, below that low).
   */
  securitySeverity?: number;
  docs: RuleDocs;
  /** Message templates, for documentation and consistency; rules format them with names from the code. */
  messages: Record<string, string>;
  /**
   * Cheap text pre-filter: when given and no pattern matches the file text, the rule is
   * skipped for that file. Keeps typing latency low; must never cause a missed finding.
   */
  triggers?: RegExp;
  /**
   * Test code is skipped by default: fake credentials, payloads and throwaway databases are its
   * job. A rule that finds what stays real in a test (a live provider key) sets this to run there
   * too, and marks those reports `realInTestCode`.
   */
  reportsInTestCode?: boolean;
  /**
   * The rule reports nothing in a file analysed without a workspace: its findings come from the
   * workspace's schema or deployment files. Such a file is then not even scanned for its trigger
   * (with a workspace, the trigger is asked first, so that a file the rule cannot concern does
   * not come to depend on the workspace's facts).
   */
  needsWorkspace?: boolean;
  create(ctx: RuleContext): Visitors;
  fix?: RuleFix;
}

export type Rule = Readonly<RuleDefinition>;

export function defineRule(def: RuleDefinition): Rule {
  if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(def.id)) throw new Error(`rule id must be kebab-case: ${def.id}`);
  return Object.freeze(def);
}

/** Fills a message template: `format('pool created inside {fn}', { fn: 'getUser' })`. */
export function format(template: string, values: Record<string, string | number | undefined>): string {
  return template.replace(/\{(\w+)\}/g, (_, k: string) => String(values[k] ?? k));
}

/**
 * A finding the rule cannot fix says why: `(no automatic fix: <reason>)` closes its message and
 * `data.noFixReason` carries the reason for tools (JSON, SARIF, the editor's diagnostic data).
 */
export function withNoFixReason(finding: Finding, reason: string): void {
  finding.message = `${finding.message} (no automatic fix: ${reason})`;
  finding.data = { ...finding.data, noFixReason: reason };
}

export function fixTitle(fix: RuleFix, f: Finding): string {
  return typeof fix.title === 'function' ? fix.title(f) : fix.title;
}
