// The fixture harness of design.md: `expect:` markers in bad.* files, silent good.* files,
// and the fix round trip against bad.fixed.* (apply, compare, re-parse, re-analyse).
import * as fs from 'fs';
import * as path from 'path';
import { Engine, languageOf, type Analysis } from '../../server/src/engine';
import type { FileChange } from '../../rules/kit/rule';
import { applyEdits } from '../../rules/kit/fixes/edits';

/** Repository root: compiled tests live three folders below it (out/test/harness). */
export const ROOT = process.env.VIBEGUARD_ROOT ?? path.resolve(__dirname, '../../..');
export const FIXTURES = path.join(ROOT, 'test-fixtures');

/** Every file the engine analyses under a folder (node_modules left out); none when it is missing. */
export function sourceFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : sourceFiles(p);
    return languageOf(p) && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

let enginePromise: Promise<Engine> | undefined;
export function engine(): Promise<Engine> {
  return (enginePromise ??= Engine.create());
}

export interface Marker { line: number; ruleId: string }

const MARKER = /(?:\/\/|#)\s*expect:\s*([a-z0-9,\s-]+?)\s*(?:\*\/)?\s*$/;

/** `// expect: rule-a, rule-b` at the end of a line (1-based line numbers). */
export function markers(text: string): Marker[] {
  const out: Marker[] = [];
  text.split('\n').forEach((line, i) => {
    const m = MARKER.exec(line);
    if (m) for (const id of m[1].split(/[\s,]+/).filter(Boolean)) out.push({ line: i + 1, ruleId: id });
  });
  return out;
}

export interface FixtureFile { ruleDir: string; name: string; file: string; kind: 'bad' | 'good' | 'fixed' }

export function fixtureFiles(): FixtureFile[] {
  const out: FixtureFile[] = [];
  if (!fs.existsSync(FIXTURES)) return out;
  for (const ruleDir of fs.readdirSync(FIXTURES).sort()) {
    const dir = path.join(FIXTURES, ruleDir);
    if (!fs.statSync(dir).isDirectory()) continue;
    for (const name of fs.readdirSync(dir).sort()) {
      const file = path.join(dir, name);
      if (!fs.statSync(file).isFile() || !languageOf(name)) continue;
      const kind = /\.fixed\./.test(name) ? 'fixed' : name.startsWith('bad') ? 'bad' : name.startsWith('good') ? 'good' : undefined;
      if (kind) out.push({ ruleDir, name, file, kind });
    }
  }
  return out;
}

/** `bad.ts` → `bad.fixed.ts`, `bad.express.js` → `bad.express.fixed.js`. */
export function fixedNameFor(badName: string): string {
  const ext = path.extname(badName);
  return badName.slice(0, -ext.length) + '.fixed' + ext;
}

/**
 * A workspace in memory for fixes that touch other files (.env, .gitignore, helper modules):
 * seeded from test-fixtures/<rule>/workspace/ when present, rooted at the fixture folder. A
 * fixture that needs a workspace of its own (a lockfile or manifest the others must not see) has
 * it in `<fixture base name>.workspace/` (`bad.langchain.py` → `bad.langchain.workspace/`),
 * seeded over the shared one.
 */
export class VirtualWorkspace {
  readonly files = new Map<string, string>();
  constructor(readonly root: string, fixtureName?: string) {
    for (const dir of ['workspace', fixtureName && `${fixtureName.slice(0, -path.extname(fixtureName).length)}.workspace`]) {
      const seed = dir && path.join(root, dir);
      if (seed && fs.existsSync(seed)) this.load(seed, seed);
    }
  }
  private load(dir: string, base: string) {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) this.load(p, base);
      else this.files.set(path.join(this.root, path.relative(base, p)), fs.readFileSync(p, 'utf8'));
    }
  }
  readFile = (p: string): string | undefined => this.files.get(p);
  findFiles = (pred: (rel: string) => boolean): string[] =>
    [...this.files.keys()].filter((p) => pred(path.relative(this.root, p).replace(/\\/g, '/')));
  apply(changes: FileChange[]) {
    for (const c of changes) {
      if (c.kind === 'create') this.files.set(c.path, c.content);
      else this.files.set(c.path, applyEdits(this.files.get(c.path) ?? '', c.edits));
    }
  }
}

export function describeFindings(a: Analysis): string {
  return a.findings.map((f) => `  ${a.model!.lines.position(f.start).line + 1}: ${f.ruleId}: ${f.message}`).join('\n') || '  (none)';
}
