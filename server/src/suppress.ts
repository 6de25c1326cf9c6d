// Suppression comments: `vibeguard-disable-next-line <ids> -- reason`, `vibeguard-disable-line <ids>`
// and `vibeguard-disable-file <ids>` (no ids: every rule).
import type { CommentText } from './frontends/types';
import type { LineIndex } from '../../rules/kit/model/model';

export interface Suppressions {
  isSuppressed(ruleId: string, line: number): boolean;
}

const DIRECTIVE = /vibeguard-disable(-next-line|-line|-file)?\b([^\n]*)/;

export function parseSuppressions(comments: readonly CommentText[], lines: LineIndex): Suppressions {
  const byLine = new Map<number, Set<string> | 'all'>();
  let file: Set<string> | 'all' | undefined;
  const add = (cur: Set<string> | 'all' | undefined, ids: string[] | 'all'): Set<string> | 'all' => {
    if (ids === 'all' || cur === 'all') return 'all';
    const s = cur ?? new Set<string>();
    for (const id of ids) s.add(id);
    return s;
  };
  for (const c of comments) {
    const m = DIRECTIVE.exec(c.text);
    if (!m) continue;
    const idsText = m[2].split('--')[0].replace(/\*\/\s*$/, '');
    const list = idsText.split(/[\s,]+/).filter((x) => /^[a-z][a-z0-9-]*$/.test(x));
    const ids: string[] | 'all' = list.length ? list : 'all';
    const line = lines.position(c.start).line;
    if (m[1] === '-file' || m[1] === undefined) file = add(file, ids);
    else {
      const target = m[1] === '-next-line' ? line + 1 : line;
      byLine.set(target, add(byLine.get(target), ids));
    }
  }
  return {
    isSuppressed(ruleId, line) {
      if (file === 'all' || file?.has(ruleId)) return true;
      const l = byLine.get(line);
      return l === 'all' || !!l?.has(ruleId);
    },
  };
}
