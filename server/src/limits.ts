// Bounds on one analysis: cancellation (a newer version of the document, the client's cancel)
// and the time budget. Long loops call `check()` every few hundred steps; it throws when the
// analysis should stop, and the engine turns the exception into a notice.

export class Cancelled extends Error { constructor() { super('analysis cancelled'); } }

/** The analysis ran past its time budget; `phase` says how far it got. */
export class BudgetExceeded extends Error {
  constructor(readonly budgetMs: number, readonly phase: 'parse' | 'rules') {
    super(`analysis stopped after its time budget of ${budgetMs} ms`);
  }
}

export interface Watch {
  /** Throws Cancelled or BudgetExceeded when the analysis should stop. */
  check(): void;
  /** Whether it should stop, without throwing (for parsers that take a progress callback). */
  expired(): 'cancelled' | 'budget' | undefined;
  readonly budgetMs: number;
  /** The phase reported when the budget runs out. */
  phase: 'parse' | 'rules';
}

/**
 * Stack of each analysis thread (CLI scan workers, language-server analysis threads). Parsers
 * and tree walks recurse once per nesting level: with Node's default (4 MB) 3,000 nested
 * parentheses overflow the TypeScript parser. Reserved address space, only touched by code that
 * nests that deep.
 */
export const ANALYSIS_STACK_MB = 64;

/**
 * Young generation of each analysis thread. An analysis builds the file's IR and code model, which
 * stay alive until it ends, in the young generation; every scavenge copies all of that live graph
 * again, and with V8's default nursery (a few MB per semi-space) a 10,000-line TypeScript file took
 * about 4 scavenges of ~35 ms each (a third of its analysis), against one for 2,000 lines: the cost
 * grew with the square of the file. A nursery that holds one large file's analysis brings it back
 * to about one scavenge. Pages are committed only as the nursery grows, so small files do not pay.
 */
export const ANALYSIS_YOUNG_GENERATION_MB = 192;

/** resourceLimits of the threads that analyse documents (server analysis threads, the bench's floor). */
export const ANALYSIS_RESOURCE_LIMITS = { stackSizeMb: ANALYSIS_STACK_MB, maxYoungGenerationSizeMb: ANALYSIS_YOUNG_GENERATION_MB } as const;

/**
 * Young generation of a CLI scan worker. A scan analyses one file after another and keeps nothing
 * of a file once its results are sent, so what survives a scavenge is one file's analysis, mostly
 * small; a nursery sized for a 10,000-line file only grew each worker's resident memory (a peak of
 * 486 MB with two workers over the bench's 100,000-line tree, against 250 MB for all of it). 32 MB
 * measured lower CPU time as well as memory there; a large file in a scan pays a few scavenges.
 */
export const SCAN_YOUNG_GENERATION_MB = 32;

/** resourceLimits of the CLI's scan workers. */
export const SCAN_RESOURCE_LIMITS = { stackSizeMb: ANALYSIS_STACK_MB, maxYoungGenerationSizeMb: SCAN_YOUNG_GENERATION_MB } as const;

/** Default time budget of one file's analysis (`timeBudgetMs` in .vibeguard.json). */
export const DEFAULT_BUDGET_MS = 10_000;

export function startWatch(budgetMs: number, isCancelled?: () => boolean): Watch {
  const deadline = performance.now() + budgetMs;
  const w: Watch = {
    budgetMs,
    phase: 'parse',
    expired: () => (isCancelled?.() ? 'cancelled' : performance.now() > deadline ? 'budget' : undefined),
    check: () => {
      const e = w.expired();
      if (e === 'cancelled') throw new Cancelled();
      if (e === 'budget') throw new BudgetExceeded(budgetMs, w.phase);
    },
  };
  return w;
}

/** Whether an error is the JavaScript engine running out of stack (deeply nested code). */
export function isStackOverflow(e: unknown): boolean {
  return e instanceof RangeError && /call stack/i.test(e.message);
}
