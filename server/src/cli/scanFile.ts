// Work on one file inside a scan worker: read it once (readSource.ts: regular files only, size
// checked first, UTF-8 checked), analyse, and turn offsets into 1-based lines and columns
// (UTF-16 code units, end column exclusive) so results are plain data, each with the fingerprint
// that baselines and code scanning follow across edits. --fix is in fixFile.ts.
import { type Engine, type Analysis, languageOf, listFiles } from '../engine';
import { DependencyLog, trackedFixAccess } from '../cache/dependencies';
import { LineIndex } from '../../../rules/kit/model/model';
import type { Finding } from '../../../rules/kit/rule';
import { containsSecret } from '../../../rules/kit/frameworks/redact';
import { readSource } from './readSource';
import { UNANALYSED } from '../notices';
import { rootFor } from './roots';
import { fingerprintFindings } from '../fingerprint';
import type { FileFinding, FileResult, Region, Replacement, ScanOptions } from './types';

export { readSource };

export function scanFile(engine: Engine, file: string, opts: ScanOptions): FileResult {
  const result: FileResult = { file, findings: [], notices: [], lines: 0 };
  if (!languageOf(file)) {
    result.notices.push({ kind: 'unsupported', message: 'not a JavaScript, TypeScript or Python file; skipped' });
    return result;
  }
  const read = readSource(file, opts.config.maxFileSizeKb);
  if ('notice' in read) {
    result.notices.push(read.notice);
    return result;
  }
  const { text } = read;
  result.lines = countLines(text);
  const dependencies = opts.recordDependencies ? new DependencyLog() : undefined;
  try {
    const analysis = engine.analyze(file, text, { config: opts.config, timeRules: opts.timeRules, dependencies });
    if (opts.timeRules && analysis.ruleMs) result.timing = { parseMs: analysis.parseMs, rulesMs: analysis.analyzeMs, ruleMs: analysis.ruleMs };
    if (read.invalidUtf8At !== undefined && analysis.lang && !analysis.notices.some((n) => UNANALYSED.has(n.kind))) {
      result.notices.push({ kind: 'encoding', message: `not valid UTF-8 (byte ${read.invalidUtf8At}); analysed with replacement characters, and never fixed` });
    }
    for (const n of analysis.notices) result.notices.push({ kind: n.kind, message: n.message });
    const lines = analysis.model?.lines ?? new LineIndex(text);
    const found = fileFindingsOf(analysis);
    analysis.findings.forEach((f, i) => {
      const out = found[i];
      if (opts.fixEdits && f.fix && read.invalidUtf8At === undefined && !read.encoding) {
        const reps = singleFileEdits(engine, analysis, f, opts, lines, dependencies);
        if (reps) out.replacements = reps;
      }
      result.findings.push(out);
    });
    if (dependencies) result.dependsOn = dependencies.done();
  } catch (e) {
    result.notices.push({ kind: 'internal', message: `internal error, file skipped: ${(e as Error).message}` });
  } finally {
    // A scan analyses each file once: the engine's parse cache and live models (kept for editors,
    // which re-analyse unchanged text and ask for fixes later) would only hold syntax trees for nothing.
    engine.forget(file);
  }
  return result;
}

/** An analysis's findings as reported (1-based positions, fingerprints), in its order. */
export function fileFindingsOf(analysis: Analysis): FileFinding[] {
  const lines = analysis.model?.lines ?? new LineIndex(analysis.text);
  const fingerprints = analysis.model ? fingerprintFindings(analysis.model, analysis.findings) : [];
  return analysis.findings.map((f, i) => toFileFinding(f, lines, fingerprints[i]));
}

export function toFileFinding(f: Finding, lines: LineIndex, fingerprint: string): FileFinding {
  const out: FileFinding = { rule: f.ruleId, ...region(lines, f.start, f.end), severity: f.severity, message: f.message, fingerprint };
  if (f.fix) out.fix = { title: f.fix.title, safety: f.fix.safety };
  return out;
}

export function region(lines: LineIndex, start: number, end: number): Region {
  const s = lines.position(start);
  const e = lines.position(Math.max(start, end));
  return { line: s.line + 1, column: s.character + 1, endLine: e.line + 1, endColumn: e.character + 1 };
}

/**
 * The edits of a safe fix that touches only this file, for SARIF `fixes`. A fix whose new text
 * holds a secret (a hoisted connection string, a key moved into a parameter list) is left out:
 * SARIF files are uploaded and kept.
 */
function singleFileEdits(engine: Engine, analysis: Analysis, f: Finding, opts: ScanOptions, lines: LineIndex, dependencies?: DependencyLog): Replacement[] | undefined {
  try {
    const workspaceRoot = rootFor(analysis.file, opts);
    // What the fix reads decides its edits: recorded for the result cache, like the analysis's reads.
    const access = dependencies ? trackedFixAccess(dependencies, listFiles, workspaceRoot) : {};
    const res = engine.fix(analysis, f, { workspaceRoot, ...access }, opts.config);
    if (!res || !res.edits.length || res.files?.length) return undefined;
    if (res.edits.some((e) => containsSecret(e.newText, analysis.secrets))) return undefined;
    return res.edits.map((e) => ({ ...region(lines, e.start, e.end), text: e.newText }));
  } catch {
    return undefined;
  }
}

function countLines(text: string): number {
  if (!text) return 0;
  let n = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return text.endsWith('\n') ? n - 1 : n;
}
