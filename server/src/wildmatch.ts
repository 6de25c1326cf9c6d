// A path matcher that cannot backtrack: patterns compile to a small nondeterministic automaton
// that is run over the path once, keeping the set of live states (Thompson's construction). Time
// is O(path length × pattern length) whatever the pattern, so `*a*a*a*a*a*a*a*a*a*a*b` against a
// long name costs microseconds where the equivalent regular expression backtracks for minutes.
// The glob dialects (.vibeguard.json `ignore`, .gitignore) translate their syntax to the pieces
// below; a character class whose range is reversed (`[z-a]`) matches nothing, as in git.

/** One piece of a pattern, in order. */
export type Piece =
  /** One character equal to `ch`. */
  | { kind: 'char'; ch: string }
  /** One character other than `/` (`?`). */
  | { kind: 'one' }
  /** One character other than `/` in (or, negated, not in) the class. */
  | { kind: 'class'; negate: boolean; chars: string; ranges: [string, string][] }
  /** Any run of characters other than `/` (`*`). */
  | { kind: 'star' }
  /** Any run of characters, `/` included (a trailing `**`). */
  | { kind: 'any' }
  /** Zero or more whole folders: nothing, or anything ending in `/` (`**\/`). */
  | { kind: 'dirs' };

export interface Matcher { test(path: string): boolean }

/** States: a character test with its successor, an epsilon split, or the accepting state. */
interface CharState { type: 'char'; accepts: (c: string) => boolean; next: number }
interface SplitState { type: 'split'; a: number; b: number }
interface MatchState { type: 'match' }
type State = CharState | SplitState | MatchState;

const notSlash = (c: string) => c !== '/';
const anyChar = () => true;

export function compilePieces(pieces: readonly Piece[]): Matcher {
  const states: State[] = [];
  // Built back to front so every state knows the index of the one after it.
  let next = pushState(states, { type: 'match' });
  for (let i = pieces.length - 1; i >= 0; i--) next = addPiece(states, pieces[i], next);
  const start = next;
  return { test: (path) => run(states, start, path) };
}

function pushState(states: State[], s: State): number {
  states.push(s);
  return states.length - 1;
}

function addPiece(states: State[], p: Piece, next: number): number {
  switch (p.kind) {
    case 'char': return pushState(states, { type: 'char', accepts: (c) => c === p.ch, next });
    case 'one': return pushState(states, { type: 'char', accepts: notSlash, next });
    case 'class': return pushState(states, { type: 'char', accepts: classTest(p), next });
    case 'star': return loop(states, notSlash, next);
    case 'any': return loop(states, anyChar, next);
    case 'dirs': {
      // (any* '/')? : skip straight to next, or run any characters and end on a slash.
      const slash = pushState(states, { type: 'char', accepts: (c) => c === '/', next });
      const body = loop(states, anyChar, slash);
      return pushState(states, { type: 'split', a: body, b: next });
    }
  }
}

/** `accepts*` then `next`: a split that either consumes one more character (and returns) or moves on. */
function loop(states: State[], accepts: (c: string) => boolean, next: number): number {
  const split = pushState(states, { type: 'split', a: -1, b: next });
  const char = pushState(states, { type: 'char', accepts, next: split });
  (states[split] as SplitState).a = char;
  return split;
}

function classTest(p: Extract<Piece, { kind: 'class' }>): (c: string) => boolean {
  return (c) => {
    if (c === '/') return false;
    let hit = p.chars.includes(c);
    for (const [lo, hi] of p.ranges) if (!hit && lo <= c && c <= hi) hit = true;
    return hit !== p.negate;
  };
}

function run(states: State[], start: number, path: string): boolean {
  let current: number[] = [];
  let mark = new Int32Array(states.length).fill(-1);
  addClosure(states, start, current, mark, 0);
  for (let i = 0; i < path.length && current.length; i++) {
    const c = path[i];
    const following: number[] = [];
    const step = i + 1;
    for (const s of current) {
      const st = states[s];
      if (st.type === 'char' && st.accepts(c)) addClosure(states, st.next, following, mark, step);
    }
    current = following;
  }
  return current.some((s) => states[s].type === 'match');
}

/** Adds a state and everything reachable from it without consuming a character; `mark` dedupes per step. */
function addClosure(states: State[], from: number, out: number[], mark: Int32Array, step: number): void {
  const stack = [from];
  while (stack.length) {
    const s = stack.pop()!;
    if (mark[s] === step) continue;
    mark[s] = step;
    const st = states[s];
    if (st.type === 'split') { stack.push(st.b, st.a); continue; }
    out.push(s);
  }
}
