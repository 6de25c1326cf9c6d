import * as ir from '../kit/model/ir';
import type { CodeModel } from '../kit/model/model';
import { defineRule, format } from '../kit/rule';
import { flowOf, type LoopFact } from '../kit/model/flow';
import { boundedCollection } from '../kit/model/collections';
import { excerpt } from '../kit/frameworks/redact';
import { setFix, type Search } from './quadratic-loop.fix';

const messages = {
  search: '{search} scans {list} once for every element of {items}: n elements cost n² comparisons, invisible with test data and seconds with 50,000 rows; keep the values in a Set and test membership with has',
  nested: 'a loop over {items} runs inside a loop over the same collection: n elements cost n² iterations, invisible with test data and seconds with 50,000 rows; index the elements in a Map or Set once',
};

const JS_SEARCH = /^(includes|indexOf|lastIndexOf|find|findIndex|findLast|findLastIndex|filter|some)$/;

export default defineRule({
  id: 'quadratic-loop',
  category: 'reliability',
  severity: 'info',
  languages: ['js', 'py'],
  scope: 'file',
  cwe: 407,
  docs: {
    summary: 'A linear search (includes, indexOf, find, filter, `in` on a list) or a second loop over the same collection inside a loop over it',
    why: 'The O(n²) duplicate search, invisible in unit tests: an AI-written import deduplicated rows with `if (!seen.includes(email)) seen.push(email)`. Ten test rows took a microsecond; a 60,000-row customer file took 1.8 billion comparisons, the import request timed out, and the retry ran it again. The same holds for `x in seen_list` in Python, `items.filter((x, i) => items.indexOf(x) !== i)`, and a nested loop over the same list. Loops over small constant collections and lookups in a Set, Map, dict or set are not reported.',
    fix: 'Use a Set: a list that only collects values to test membership becomes a Set (`[]` → `new Set()` / `set()`, `push`/`append` → `add`, `includes` → `has`, `length` → `size`); a fixed list searched with `includes`/`in` inside the loop gets a Set built once before the loop. Unsafe in Python: a set needs hashable values (a list of dicts raises TypeError). No fix for searches with a callback (`find`, `filter`) or nested loops: index the elements in a Map by the key the callback compares.',
    examples: {
      js: {
        bad: "export function uniqueEmails(rows) {\n  const seen = [];\n  for (const row of rows) {\n    if (!seen.includes(row.email)) seen.push(row.email);\n  }\n  return seen.length;\n}\n",
        good: "export function uniqueEmails(rows) {\n  const seen = new Set();\n  for (const row of rows) {\n    if (!seen.has(row.email)) seen.add(row.email);\n  }\n  return seen.size;\n}\n",
      },
      py: {
        bad: "def find_duplicates(emails):\n    seen = []\n    dupes = 0\n    for email in emails:\n        if email in seen:\n            dupes += 1\n        seen.append(email)\n    return dupes\n",
        good: "def find_duplicates(emails):\n    seen = set()\n    dupes = 0\n    for email in emails:\n        if email in seen:\n            dupes += 1\n        seen.add(email)\n    return dupes\n",
      },
    },
  },
  messages,
  create({ model, report }) {
    const seen = new Set<ir.Node>();
    return {
      Func(fn) {
        for (const loop of flowOf(model, fn).loops) {
          if (!loop.iter || boundedCollection(model, loop.iter)) continue;
          for (const s of searchesIn(model, loop)) {
            if (seen.has(s.node)) continue;
            const why = qualifies(model, loop, s.list);
            if (!why) continue;
            seen.add(s.node);
            const fix = setFix(model, fn, loop, s, why);
            report({
              node: s.node,
              message: format(messages.search, { search: excerpt(model, s.node), list: excerpt(model, s.list), items: excerpt(model, loop.iter) }),
              data: { node: [s.node.start, s.node.end], loop: [loop.node.start, loop.node.end] },
              noFix: 'edits' in fix ? false : fix.reason,
            });
          }
          for (const inner of flowOf(model, fn).loops) {
            if (inner === loop || !inner.iter || seen.has(inner.node) || !ir.isInside(inner.node, loop.body) || !sameCollection(model, loop.iter, inner.iter)) continue;
            seen.add(inner.node);
            report({ node: inner.node.type === 'Call' ? inner.node.callee : inner.iter, message: format(messages.nested, { items: excerpt(model, inner.iter) }), noFix: 'which key the inner loop matches on decides what to index: build a Map by that key before the outer loop' });
          }
        }
      },
    };
  },
  fix: {
    title: 'Use a Set',
    safety: 'unsafe',
    produce(finding, ctx) {
      const [start, end] = (finding.data?.node as number[] | undefined) ?? [];
      const [ls, le] = (finding.data?.loop as number[] | undefined) ?? [];
      const model = ctx.model;
      const node = model.nodesOfType(model.lang === 'py' ? 'Binary' : 'Call').find((n) => n.start === start && n.end === end)
        ?? model.calls.find((n) => n.start === start && n.end === end);
      // The loop may belong to an outer function (the search sits in a filter/map callback).
      let fn: ir.Func | undefined;
      let loop: LoopFact | undefined;
      for (let f = node && ir.enclosingFunction(node); f && !loop; f = ir.enclosingFunction(f)) {
        loop = flowOf(model, f).loops.find((l) => l.node.start === ls && l.node.end === le);
        fn = f;
      }
      if (!node || !fn || !loop) return undefined;
      const s = searchesIn(model, loop).find((x) => x.node === node);
      const why = s && qualifies(model, loop, s.list);
      if (!s || !why) return undefined;
      const fix = setFix(model, fn, loop, s, why);
      return 'edits' in fix ? { edits: fix.edits } : undefined;
    },
  },
});

/** Linear searches made once per element of the loop: `list.includes(x)`, `x in list`, `list.index(x)`. */
function searchesIn(model: CodeModel, loop: LoopFact): Search[] {
  const out: Search[] = [];
  // A comprehension's condition (`if x in ids`) runs per element too; its iterable runs once.
  const comp = loop.node.type === 'Loop' && loop.node.kind === 'comprehension';
  ir.walk(comp ? loop.node : loop.body, (n) => {
    if (n.type === 'Func' && n !== loop.callback) return false;
    if (comp && n === loop.iter) return false;
    if (n.type === 'Call' && n.callee.type === 'Member') {
      const m = n.callee.prop;
      if (model.lang === 'js' ? JS_SEARCH.test(m) : /^(index|count)$/.test(m) && n.args.length === 1) out.push({ node: n, list: n.callee.object, method: m });
    } else if (n.type === 'Binary' && model.lang === 'py' && /^(in|not in)$/.test(n.op)) {
      out.push({ node: n, list: n.right, method: n.op });
    }
  });
  return out;
}

/**
 * Why the searched list grows with the loop: it is the collection the loop walks, a list the loop
 * fills (`seen.push(x)`), or rows of an unbounded query. Sets, maps, dicts and strings are not lists.
 */
function qualifies(model: CodeModel, loop: LoopFact, list: ir.Node): 'same' | 'accumulated' | 'derived' | undefined {
  const u = ir.unwrap(list);
  if (boundedCollection(model, u)) return undefined;
  if (u.type === 'Ident') {
    const v = model.valueOf(u);
    const b = model.resolve(u);
    const values = b?.kind === 'var' ? b.assigns.map((a) => a.value).filter((x): x is ir.Node => !!x) : v ? [v] : [];
    if (values.some((x) => !isListValue(model, x))) return undefined;
    if (values.length && values.every((x) => ir.unwrap(x).type === 'ArrayLit' && !(ir.unwrap(x) as ir.ArrayLit).elements.length) && filledIn(model, u, loop)) return 'accumulated';
  }
  if (loop.iter && sameCollection(model, loop.iter, u)) return 'same';
  // A list mapped from the very collection the loop walks grows with it: still n × n. Lists of
  // another origin (a handful of variants, the categories of one menu) are left alone: their size
  // is not the loop's, and most are small.
  if (u.type === 'Ident' && loop.iter && derivedFrom(model, u, loop.iter)) return 'derived';
  return undefined;
}

/** A name bound once to a list mapped or filtered from `items` (`ids = rows.map((r) => r.id)`). */
function derivedFrom(model: CodeModel, id: ir.Ident, items: ir.Node): boolean {
  const v = model.valueOf(id);
  const u = v && ir.unwrap(v);
  if (!u) return false;
  if (u.type === 'Call' && u.callee.type === 'Member' && /^(map|filter|flatMap)$/.test(u.callee.prop)) return sameCollection(model, u.callee.object, items);
  if (u.type === 'Loop' && u.kind === 'comprehension' && u.iter && model.text[u.start] === '[') return sameCollection(model, u.iter, items);
  return false;
}

/** A value that is a list (or unknown), not a Set, Map, dict, object or string. */
function isListValue(model: CodeModel, v: ir.Node): boolean {
  const u = ir.unwrap(v.type === 'Await' ? v.arg : v);
  if (u.type === 'Str' || u.type === 'Template' || u.type === 'ObjectLit' || u.type === 'Num') return false;
  if (u.type === 'Call') {
    const name = ir.dottedName(u.callee) ?? '';
    if (/^(Set|Map|WeakSet|WeakMap|set|frozenset|dict|defaultdict|OrderedDict|Counter|str|String|JSON\.stringify)$/.test(name) || /\.(join|toString|toLowerCase|toUpperCase|lower|upper|strip|trim|keys)$/.test(name)) return false;
  }
  if (u.type === 'Other' && /set|dictionary/.test(u.kind)) return false;
  return true;
}

/** `seen.push(x)` / `seen.append(x)` inside the loop body. */
function filledIn(model: CodeModel, id: ir.Ident, loop: LoopFact): boolean {
  const b = model.resolve(id);
  if (!b) return false;
  return model.identsNamedIn(id.name, loop.body).some((u) => u.parent?.type === 'Member' && u.parent.object === u && /^(push|append|unshift|insert)$/.test(u.parent.prop) && model.resolve(u) === b);
}

function sameCollection(model: CodeModel, a: ir.Node, b: ir.Node): boolean {
  const ua = ir.unwrap(a);
  const ub = ir.unwrap(b);
  if (ua.type === 'Ident' && ub.type === 'Ident') return ua.name === ub.name && model.resolve(ua) === model.resolve(ub);
  const da = ir.dottedName(ua);
  return !!da && !da.includes('(') && da === ir.dottedName(ub) && (ua.type === 'Member' || ua.type === 'Ident');
}
