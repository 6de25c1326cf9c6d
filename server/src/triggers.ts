// Which rules' text triggers match a file, found in one left-to-right pass instead of one scan of
// the whole text per rule. A trigger that matches nowhere costs a full scan, and a file leaves
// several unmatched; scanned one by one they were a tenth of the analysis of a 2,000-line file.
//
// The pass is exact: the triggers still to be found are joined into one alternation (one for the
// case-insensitive ones, one for the others); at its leftmost match every remaining trigger is
// tried at that very position (a sticky copy), so one shadowed by an earlier alternative there is
// not missed, and the scan goes on from the next position with the triggers not yet found. Each
// trigger is thus found at its own leftmost match, or the scan proves it matches nowhere.
import type { Rule } from '../../rules/kit/rule';

/** Joined alternations by the ids they cover: files of one project leave the same triggers to find. */
const joined = new Map<string, RegExp>();
const JOINED_MAX = 256;
const sticky = new WeakMap<RegExp, RegExp>();

/**
 * Triggers that can be joined: only the `i` flag (the others change what a match is), and no
 * group references or named groups, whose numbers and names would clash inside one alternation.
 */
function joinable(re: RegExp): boolean {
  return /^i?$/.test(re.flags) && !/\\[1-9]|\\k<|\(\?<(?![=!])/.test(re.source);
}

function stickyOf(re: RegExp): RegExp {
  let s = sticky.get(re);
  if (!s) sticky.set(re, (s = new RegExp(re.source, `${re.flags}y`)));
  return s;
}

function alternation(rules: readonly Rule[], flags: string): RegExp {
  const key = `${flags}:${rules.map((r) => r.id).join(',')}`;
  let re = joined.get(key);
  if (!re) {
    if (joined.size >= JOINED_MAX) joined.delete(joined.keys().next().value as string);
    re = new RegExp(rules.map((r) => `(?:${r.triggers!.source})`).join('|'), `${flags}g`);
    joined.set(key, re);
  }
  return re;
}

/** The rules among `rules` whose trigger matches `text` (the same answer as `rule.triggers.test(text)` for each). */
export function matchingTriggers(rules: readonly Rule[], text: string): Set<Rule> {
  const found = new Set<Rule>();
  const caseless: Rule[] = [];
  const exact: Rule[] = [];
  for (const r of rules) {
    if (!r.triggers) continue;
    if (!joinable(r.triggers)) {
      r.triggers.lastIndex = 0;
      if (r.triggers.test(text)) found.add(r);
    } else (r.triggers.flags === 'i' ? caseless : exact).push(r);
  }
  for (const [group, flags] of [[caseless, 'i'], [exact, '']] as const) {
    let left = group;
    let from = 0;
    while (left.length) {
      const re = alternation(left, flags);
      re.lastIndex = from;
      const m = re.exec(text);
      if (!m) break;
      const at = m.index;
      const rest: Rule[] = [];
      for (const r of left) {
        const s = stickyOf(r.triggers!);
        s.lastIndex = at;
        if (s.test(text)) found.add(r);
        else rest.push(r);
      }
      left = rest;
      from = at + 1;
    }
  }
  return found;
}
