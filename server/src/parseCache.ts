// The engine's parses, one per file: a re-analysis of unchanged text (a pull after a push, code
// actions) reuses the last one, and the next version of a document being typed in is parsed
// incrementally from it (the compiler's updateSourceFile with the IR of untouched statements for
// JS/TS, tree-sitter's edit and re-parse for Python). Bounded by entries and characters; only the
// documents parsed last keep what an incremental parse starts from.
import type { Lang } from './languages';
import type { ParseResult } from './frontends/types';
import type { ConversionGuard } from './frontends/guard';
import { parseTypeScriptIncremental, type TsParseState } from './frontends/typescript-incremental';
import { parsePythonIncremental, pythonReady, type PyParseState } from './frontends/python';
import { Cancelled } from './limits';

interface CachedParse { text: string; lang: Lang; parsed: ParseResult; ts?: TsParseState; py?: PyParseState }

export class ParseCache {
  private entries = new Map<string, CachedParse>();
  private static readonly SIZE = 64;
  /** Trees to parse from are several times the IR (tree-sitter's live in wasm memory): only the documents being typed in keep theirs. */
  private static readonly INCREMENTAL_DOCS = 4;

  constructor(private readonly maxChars: number) {}

  parse(file: string, text: string, lang: Lang, guard: ConversionGuard): ParseResult {
    const hit = this.entries.get(file);
    if (hit && hit.lang === lang && hit.text === text) return hit.parsed;
    if (lang === 'py' && !pythonReady()) throw new Error('Python parser not ready: create the Engine with Engine.create()');
    // The previous parse is spent by an incremental one (its trees are moved in place): it leaves
    // the cache first, so a cancelled or failed parse cannot leave a half-moved tree there.
    this.entries.delete(file);
    const prev = hit?.lang === lang ? hit : undefined;
    if (hit && !prev) dropIncremental(hit);
    const entry = { text, lang } as CachedParse;
    try {
      if (lang === 'js') ({ parsed: entry.parsed, state: entry.ts } = parseTypeScriptIncremental(file, text, guard, prev?.ts));
      else ({ parsed: entry.parsed, state: entry.py } = parsePythonIncremental(text, guard, prev?.py));
    } catch (e) {
      // A failed incremental parse gets the full parse's answer (which may fail the same way).
      if (!(prev?.ts || prev?.py) || e instanceof Cancelled) throw e;
      if (lang === 'js') ({ parsed: entry.parsed, state: entry.ts } = parseTypeScriptIncremental(file, text, guard));
      else ({ parsed: entry.parsed, state: entry.py } = parsePythonIncremental(text, guard));
    }
    this.entries.set(file, entry);
    let typing = 0;
    for (const e of [...this.entries.values()].reverse()) if ((e.ts || e.py) && ++typing > ParseCache.INCREMENTAL_DOCS) dropIncremental(e);
    let chars = this.chars();
    for (const [key, e] of this.entries) {
      if (this.entries.size <= 1 || (this.entries.size <= ParseCache.SIZE && chars <= this.maxChars)) break;
      this.entries.delete(key);
      dropIncremental(e);
      chars -= e.text.length;
    }
    return entry.parsed;
  }

  forget(file: string): void {
    dropIncremental(this.entries.get(file));
    this.entries.delete(file);
  }

  get size(): number { return this.entries.size; }

  chars(): number {
    let n = 0;
    for (const e of this.entries.values()) n += e.text.length;
    return n;
  }
}

/** Frees what an incremental parse would start from (a tree-sitter tree lives in wasm memory until freed). */
function dropIncremental(e: CachedParse | undefined): void {
  if (!e) return;
  e.py?.dispose();
  e.py = undefined;
  e.ts = undefined;
}
