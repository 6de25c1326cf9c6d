// Baseline files: the findings a team has accepted for now, written by `vibeguard scan
// --write-baseline FILE`, so that CI fails only on new ones and the editor can dim the old ones.
// An entry is a finding's file (relative to the baseline file's folder, forward slashes), rule and
// fingerprint (server/src/fingerprint.ts); no code, no message, so no secret ends up in it.
import * as fs from 'fs';
import * as path from 'path';

export const BASELINE_VERSION = 1;

export interface BaselineEntry { file: string; rule: string; fingerprint: string }

/** A baseline file that cannot be used; the message names the file and what is wrong. */
export class BaselineError extends Error {}

const FINGERPRINT = /^[0-9a-f]{32}$/;

export class Baseline {
  /** The folder entries' paths are relative to. */
  readonly dir: string;
  private readonly keys: Set<string>;

  constructor(readonly file: string, readonly entries: readonly BaselineEntry[]) {
    this.dir = path.dirname(path.resolve(file));
    this.keys = new Set(entries.map((e) => key(e.file, e.rule, e.fingerprint)));
  }

  /** A file's path as entries name it. */
  relative(absFile: string): string {
    return path.relative(this.dir, absFile).split(path.sep).join('/');
  }

  /** The entry's key when the finding is in the baseline, for `gone`. */
  match(absFile: string, rule: string, fingerprint: string): string | undefined {
    const k = key(this.relative(absFile), rule, fingerprint);
    return this.keys.has(k) ? k : undefined;
  }

  /**
   * Entries no finding matched among the files a scan covered (`covers` decides, by absolute
   * path): fixed, or changed enough to count as a different finding.
   */
  gone(matched: ReadonlySet<string>, covers: (absFile: string) => boolean): BaselineEntry[] {
    return this.entries.filter((e) => !matched.has(key(e.file, e.rule, e.fingerprint)) && covers(path.join(this.dir, e.file)));
  }
}

function key(file: string, rule: string, fingerprint: string): string {
  return `${file}\0${rule}\0${fingerprint}`;
}

/** Reads and validates a baseline file; every problem is a BaselineError naming the file. */
export function readBaseline(file: string, shownAs = file): Baseline {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new BaselineError(code === 'ENOENT' ? `baseline file not found: ${shownAs}` : `cannot read baseline ${shownAs}: ${(e as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new BaselineError(`${shownAs}: not a baseline (invalid JSON: ${(e as Error).message})`);
  }
  return new Baseline(file, validate(raw, shownAs));
}

function validate(raw: unknown, shownAs: string): BaselineEntry[] {
  const fail = (where: string, what: string): never => { throw new BaselineError(`${shownAs}: ${where}: ${what}`); };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return fail('(root)', 'expected an object with "version" and "findings"');
  const o = raw as Record<string, unknown>;
  if (o.version !== BASELINE_VERSION) {
    return fail('version', `expected ${BASELINE_VERSION} (got ${JSON.stringify(o.version)}); write it again with --write-baseline`);
  }
  if (!Array.isArray(o.findings)) return fail('findings', 'expected an array');
  return o.findings.map((e: unknown, i): BaselineEntry => {
    const where = `findings[${i}]`;
    if (typeof e !== 'object' || e === null || Array.isArray(e)) return fail(where, 'expected an object with file, rule and fingerprint');
    const { file, rule, fingerprint } = e as Record<string, unknown>;
    if (typeof file !== 'string' || !file) return fail(`${where}.file`, 'expected a path');
    if (typeof rule !== 'string' || !rule) return fail(`${where}.rule`, 'expected a rule id');
    if (typeof fingerprint !== 'string' || !FINGERPRINT.test(fingerprint)) return fail(`${where}.fingerprint`, 'expected 32 lower-case hex digits');
    return { file, rule, fingerprint };
  });
}

/** The file's text: entries sorted, one per line, so a refreshed baseline diffs line by line. */
export function baselineText(entries: readonly BaselineEntry[]): string {
  const sorted = [...entries].sort((a, b) => cmp(a.file, b.file) || cmp(a.rule, b.rule) || cmp(a.fingerprint, b.fingerprint));
  const lines = sorted.map((e) => `    ${JSON.stringify({ file: e.file, rule: e.rule, fingerprint: e.fingerprint })}`);
  return `{\n  "version": ${BASELINE_VERSION},\n  "findings": [${lines.length ? `\n${lines.join(',\n')}\n  ` : ''}]\n}\n`;
}

function cmp(a: string, b: string): number { return a < b ? -1 : a > b ? 1 : 0; }
