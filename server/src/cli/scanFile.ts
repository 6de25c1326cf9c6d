// Work on one file inside a scan worker: read it once, refuse binary and oversized files with a
// notice, analyse, and turn offsets into 1-based lines and columns (UTF-16 code units, end column
// exclusive) so results are plain data; and, for --fix, fix it in place.
import * as fs from 'fs';
import * as path from 'path';
import { decodeSource, type SourceEncoding } from '../decode';
import { type Analysis, type Engine, languageOf } from '../engine';
import { LineIndex } from '../../../rules/kit/model/model';
import type { Finding } from '../../../rules/kit/rule';
import { fingerprintFindings } from '../fingerprint';
import type { FileFinding, FileNotice, FileResult, FixOutcome, Region, Replacement, ScanOptions } from './types';

const BINARY_PROBE = 8192;

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
  try {
    const analysis = engine.analyze(file, text, { config: opts.config });
    // A scan analyses each file once: the engine's parse cache (kept for editors, which
    // re-analyse unchanged text) would only hold syntax trees for nothing.
    engine.forget(file);
    for (const n of analysis.notices) result.notices.push({ kind: n.kind === 'syntax' ? 'syntax' : 'internal', message: n.message });
    const lines = analysis.model?.lines ?? new LineIndex(text);
    const fingerprints = analysis.model ? fingerprintFindings(analysis.model, analysis.findings) : [];
    analysis.findings.forEach((f, i) => {
      const out = toFileFinding(f, lines, fingerprints[i]);
      if (opts.fixEdits && f.fix) {
        const reps = singleFileEdits(engine, analysis, f, opts, lines);
        if (reps) out.replacements = reps;
      }
      result.findings.push(out);
    });
  } catch (e) {
    result.notices.push({ kind: 'internal', message: `internal error, file skipped: ${(e as Error).message}` });
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

function singleFileEdits(engine: Engine, analysis: Parameters<Engine['fix']>[0], f: Finding, opts: ScanOptions, lines: LineIndex): Replacement[] | undefined {
  try {
    const res = engine.fix(analysis, f, { workspaceRoot: opts.workspaceRoot }, opts.config);
    if (!res || !res.edits.length || res.files?.length) return undefined;
    return res.edits.map((e) => ({ ...region(lines, e.start, e.end), text: e.newText }));
  } catch {
    return undefined;
  }
}

/**
 * Applies the file's fixes (safe ones, unsafe too when allowed) with the engine's fixAll, writes
 * the file and the workspace files the fixes create (.env ...), and returns what remains.
 */
export function fixFile(engine: Engine, file: string, opts: ScanOptions, unsafe: boolean): FixOutcome {
  const outcome: FixOutcome = { file, applied: 0, notices: [] };
  const read = readSource(file, opts.config.maxFileSizeKb);
  if ('notice' in read) return outcome;
  // Fixes write UTF-8; a UTF-16 file is analysed but left as it is.
  if (read.encoding === 'utf16le' || read.encoding === 'utf16be') {
    outcome.notices.push({ kind: 'unsupported', message: 'UTF-16 file: fixes are not applied (save it as UTF-8 to fix it automatically)' });
    return outcome;
  }
  try {
    const out = engine.fixAll(file, read.text, { config: opts.config, unsafe, env: { workspaceRoot: opts.workspaceRoot } });
    if (!out.applied) return outcome;
    if (out.text !== read.text) fs.writeFileSync(file, (read.bom ? '\ufeff' : '') + out.text);
    for (const change of out.files) {
      // fixAll hands back every other file it touched as its whole new content.
      if (change.kind !== 'create') continue;
      fs.mkdirSync(path.dirname(change.path), { recursive: true });
      fs.writeFileSync(change.path, change.content);
    }
    // fixAll hands back the remaining findings without their code model, which fingerprints
    // need; the fixed text's parse is still cached, so this costs the rules only.
    const after = engine.analyze(file, out.text, { config: opts.config });
    engine.forget(file);
    const fingerprints = after.model ? fingerprintFindings(after.model, after.findings) : [];
    outcome.applied = out.applied;
    const lines = after.model?.lines ?? new LineIndex(out.text);
    outcome.findings = after.findings.map((f, i) => toFileFinding(f, lines, fingerprints[i]));
  } catch (e) {
    outcome.notices.push({ kind: 'internal', message: `fixes not applied: ${(e as Error).message}` });
  }
  return outcome;
}

export type ReadResult = { text: string; bom: boolean; encoding: SourceEncoding } | { notice: FileNotice };

/**
 * Reads a source file once; the size is checked on the open descriptor before reading, so an
 * oversized file costs no read. A UTF-8 byte order mark is dropped (editors hide it too, so
 * columns agree with theirs) and reported, so that a fix can write it back.
 */
export function readSource(file: string, maxFileSizeKb: number): ReadResult {
  let fd: number;
  try { fd = fs.openSync(file, 'r'); } catch (e) { return { notice: unreadable(e) }; }
  let buf: Buffer;
  try {
    const size = fs.fstatSync(fd).size;
    if (size > maxFileSizeKb * 1024) {
      return { notice: { kind: 'too-large', message: `${formatSize(size)}, above the ${maxFileSizeKb} KB analysis limit (maxFileSizeKb in .vibeguard.json); not analysed` } };
    }
    buf = Buffer.allocUnsafe(size);
    let off = 0;
    while (off < size) {
      const n = fs.readSync(fd, buf, off, size - off, off);
      if (n === 0) break;
      off += n;
    }
    if (off < size) buf = buf.subarray(0, off);
  } catch (e) {
    return { notice: unreadable(e) };
  } finally {
    fs.closeSync(fd);
  }
  const decoded = decodeSource(buf, BINARY_PROBE);
  if (!decoded) return { notice: { kind: 'binary', message: 'looks like a binary file (it contains NUL bytes); not analysed' } };
  return { text: decoded.text, bom: decoded.encoding === 'utf8-bom', encoding: decoded.encoding };
}

function unreadable(e: unknown): FileNotice {
  const code = (e as NodeJS.ErrnoException).code;
  return { kind: 'unreadable', message: `cannot read file (${code ?? (e as Error).message}); skipped` };
}

function formatSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

function countLines(text: string): number {
  if (!text) return 0;
  let n = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return text.endsWith('\n') ? n - 1 : n;
}
