// The `get_fix` tool's work: find the finding an agent names (file and line, optionally the rule),
// compute its quick fix from the current text, and return it as a unified diff and as edits;
// write it only when asked, and only inside the workspace root.
import * as fs from 'fs';
import * as path from 'path';
import type { Engine, Lang } from '../engine';
import type { Config } from '../config';
import type { FileChange, Finding } from '../../../rules/kit/rule';
import { LineIndex } from '../../../rules/kit/model/model';
import { applyEdits } from '../../../rules/kit/fixes/edits';
import { readSource, region, fileFindingsOf } from '../cli/scanFile';
import type { FileFinding, Replacement } from '../cli/types';
import { unifiedDiff, type FileDiff } from '../agent/diff';
import type { WorkspaceRoot } from '../agent/paths';

export interface FixRequest {
  /** Relative to the root, or absolute inside it. */
  file: string;
  /** 1-based line of the finding. */
  line: number;
  rule?: string;
  /** The text to fix instead of the file on disk (a snippet not written yet). */
  code?: string;
  lang?: Lang;
  apply: boolean;
}

/** The edits of one file: ranges over its current text, or its whole new content. */
export type FileEdits =
  | { file: string; edits: Replacement[] }
  | { file: string; newContent: string; created: boolean };

export interface FixOutcome {
  file: string;
  finding: FileFinding;
  diff: string;
  edits: FileEdits[];
  /** The snippet after the fix, when `code` was given. */
  fixedCode?: string;
  applied: boolean;
  /** After applying: the findings left in the file. */
  remaining?: FileFinding[];
}

/** A request the tool cannot serve; its message is written for the agent. */
export class FixRefused extends Error {}

export function computeFix(engine: Engine, root: WorkspaceRoot, config: Config, req: FixRequest): FixOutcome {
  const abs = root.resolve(req.file);
  const rel = root.relative(abs);
  let text: string;
  let bom = false;
  if (req.code !== undefined) text = req.code;
  else {
    const read = readSource(abs, config.maxFileSizeKb);
    if ('notice' in read) throw new FixRefused(`${rel}: ${read.notice.message}`);
    ({ text, bom } = read);
  }
  const analysis = engine.analyze(abs, text, { config, lang: req.lang });
  try {
    const lines = analysis.model?.lines ?? new LineIndex(text);
    const finding = pickFinding(analysis.findings, lines, req, rel);
    const produced = engine.fix(analysis, finding, { workspaceRoot: root.dir }, config);
    if (!produced || (!produced.edits.length && !produced.files?.length)) {
      throw new FixRefused(`the ${finding.ruleId} fix does not apply at ${rel}:${req.line} (the code around it is not in a shape the fix handles); fix it by hand, see explain_rule`);
    }
    const after = applyEdits(text, produced.edits);
    const others = (produced.files ?? []).map((c) => otherFile(root, c));
    const mark = bom ? '\ufeff' : '';
    const diffs: FileDiff[] = [{ path: rel, before: mark + text, after: mark + after }, ...others.map((o) => o.diff)];
    const outcome: FixOutcome = {
      file: rel,
      finding: fileFindingsOf(analysis)[analysis.findings.indexOf(finding)],
      diff: unifiedDiff(diffs),
      edits: [{ file: rel, edits: produced.edits.map((e) => ({ ...region(lines, e.start, e.end), text: e.newText })) }, ...others.map((o) => o.edits)],
      applied: false,
    };
    if (req.code !== undefined) outcome.fixedCode = after;
    if (req.apply) {
      if (req.code !== undefined) throw new FixRefused('apply needs a file on disk: with `code` given, use fixedCode (or write the file, then ask again with apply)');
      for (const d of diffs) write(path.join(root.dir, d.path), d.after);
      const rescan = engine.analyze(abs, after, { config, lang: req.lang });
      outcome.applied = true;
      outcome.remaining = fileFindingsOf(rescan);
    }
    return outcome;
  } finally {
    // The agent's text is not an editor's document: keep no parse of it.
    engine.forget(abs);
  }
}

function pickFinding(findings: readonly Finding[], lines: LineIndex, req: FixRequest, rel: string): Finding {
  const lineOf = (offset: number) => lines.position(offset).line + 1;
  const ofRule = findings.filter((f) => !req.rule || f.ruleId === req.rule);
  // The line a scan reported (where the finding starts), else any line the finding spans.
  let here = ofRule.filter((f) => lineOf(f.start) === req.line);
  if (!here.length) here = ofRule.filter((f) => lineOf(f.start) <= req.line && req.line <= lineOf(f.end));
  if (!here.length) {
    const all = findings.map((f) => `${f.ruleId} at line ${lineOf(f.start)}`);
    throw new FixRefused(`no ${req.rule ?? 'Vibe Guard'} finding at ${rel}:${req.line}; ${all.length ? `the file has: ${all.join(', ')}` : 'the file has no findings'}`);
  }
  const rules = [...new Set(here.map((f) => f.ruleId))];
  if (rules.length > 1) throw new FixRefused(`${rel}:${req.line} has findings of several rules (${rules.join(', ')}); pass rule to choose one`);
  const finding = here[0];
  if (!finding.fix) throw new FixRefused(`${finding.ruleId} offers no automatic fix at ${rel}:${req.line}; explain_rule says how to fix it by hand`);
  return finding;
}

/** Another file the fix writes (.env, .gitignore, a generated helper), confined to the root. */
function otherFile(root: WorkspaceRoot, change: FileChange): { diff: FileDiff; edits: FileEdits } {
  const abs = root.resolve(change.path);
  const rel = root.relative(abs);
  let before: string | undefined;
  try { before = fs.readFileSync(abs, 'utf8'); } catch { before = undefined; }
  if (change.kind === 'create') {
    return { diff: { path: rel, before, after: change.content }, edits: { file: rel, newContent: change.content, created: before === undefined } };
  }
  const base = before ?? '';
  const lines = new LineIndex(base);
  return {
    diff: { path: rel, before, after: applyEdits(base, change.edits) },
    edits: { file: rel, edits: change.edits.map((e) => ({ ...region(lines, e.start, e.end), text: e.newText })) },
  };
}

function write(file: string, content: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
}
