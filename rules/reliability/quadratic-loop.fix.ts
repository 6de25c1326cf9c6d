// "Use a Set": a list that only collects values for membership tests becomes a Set, and a fixed
// list searched with includes / `in` inside a loop gets a Set built once before the loop.
import * as ir from '../kit/model/ir';
import type { CodeModel } from '../kit/model/model';
import type { LoopFact } from '../kit/model/flow';
import type { TextEdit } from '../kit/rule';
import { indentAt, lineStartOf, src } from '../kit/model/literals';
import { usesSemicolons } from '../kit/fixes/style';

export interface Search {
  /** The search: `list.includes(x)` (a Call) or `x in list` (a Binary). */
  node: ir.Node;
  list: ir.Node;
  method: string;
}

export function setFix(model: CodeModel, fn: ir.Func, loop: LoopFact, s: Search, why: 'same' | 'accumulated' | 'derived'): { edits: TextEdit[] } | { reason: string } {
  if (!/^(includes|in|not in)$/.test(s.method)) return { reason: `${s.method} ${model.lang === 'py' ? 'is positional' : 'takes a callback or returns a position'}: index the elements in a Map by the key it compares` };
  const list = ir.unwrap(s.list);
  if (list.type !== 'Ident') return { reason: 'the searched list is an expression, not a name the Set can replace' };
  return why === 'accumulated' ? convertList(model, fn, list) : hoistSet(model, loop, s, list);
}

/** `const seen = []` used only for push/includes/length → `new Set()` with add/has/size. */
function convertList(model: CodeModel, fn: ir.Func, id: ir.Ident): { edits: TextEdit[] } | { reason: string } {
  const b = model.resolve(id);
  if (!b || b.kind !== 'var' || b.assigns.length !== 1 || b.scope !== fn) return { reason: `${id.name} is assigned more than once or outside the function` };
  const decl = b.assigns[0];
  const value = decl.value && ir.unwrap(decl.value);
  if (!value || value.type !== 'ArrayLit') return { reason: `${id.name} does not start as an empty list` };
  const edits: TextEdit[] = [];
  const py = model.lang === 'py';
  for (const u of model.identsNamedIn(id.name, fn)) {
    if (model.resolve(u) !== b || u === decl.target || ir.isInside(u, decl.target)) continue;
    const p = u.parent;
    if (py && p?.type === 'Binary' && /^(in|not in)$/.test(p.op) && p.right === u) continue;
    if (py && p?.type === 'Call' && ir.dottedName(p.callee) === 'len' && p.args[0] === u) continue;
    if (p?.type === 'Member' && p.object === u) {
      const call = p.parent?.type === 'Call' && p.parent.callee === p ? p.parent : undefined;
      const replace = (text: string) => edits.push({ start: p.propStart, end: p.end, newText: text });
      if (!py && p.prop === 'length' && !call && !isWritten(p)) { replace('size'); continue; }
      if (call && call.args.length === 1 && (p.prop === 'includes' || !py && p.prop === 'push' && call.parent?.type === 'ExprStmt' || py && p.prop === 'append')) {
        replace(p.prop === 'includes' ? 'has' : 'add');
        continue;
      }
    }
    return { reason: `${id.name} is also used as a list (${src(model, p ?? u).slice(0, 40)}): a Set would change that use` };
  }
  // `const seen: string[] = []` keeps its element type: `new Set<string>()`.
  const annotation = !py ? /^\s*:\s*([\w.<>| ]+)\[\]\s*=\s*$/.exec(model.text.slice(decl.target.end, value.start)) : undefined;
  if (annotation) edits.push({ start: decl.target.end, end: value.end, newText: ` = new Set<${annotation[1].trim()}>()` });
  else if (!py && /:/.test(model.text.slice(decl.target.end, value.start))) return { reason: `${id.name} has a type annotation the fix does not rewrite` };
  else edits.push({ start: value.start, end: value.end, newText: py ? 'set()' : 'new Set()' });
  return { edits };
}

function isWritten(m: ir.Member): boolean {
  return m.parent?.type === 'Assign' && m.parent.target === m;
}

/** A list that stays the same during the loop: build a Set from it once, before the loop. */
function hoistSet(model: CodeModel, loop: LoopFact, s: Search, id: ir.Ident): { edits: TextEdit[] } | { reason: string } {
  const b = model.resolve(id);
  if (!b) return { reason: `${id.name} is not a local name` };
  const mutated = model.identsNamedIn(id.name, loop.body).some((u) => u.parent?.type === 'Member' && u.parent.object === u && /^(push|append|pop|shift|unshift|splice|insert|remove|extend|sort|reverse)$/.test(u.parent.prop)
    || u.parent?.type === 'Assign' && u.parent.target === u);
  if (mutated) return { reason: `${id.name} changes inside the loop` };
  // The statement that holds the loop, at the function's statement level.
  let stmt: ir.Node = loop.node;
  while (stmt.parent && stmt.parent.type !== 'Block' && stmt.parent.type !== 'Program') {
    if (stmt.parent.type === 'Func') return { reason: 'the loop is an expression the fix cannot put a statement before' };
    stmt = stmt.parent;
  }
  const name = freeName(model, loop, `${id.name}Set`.replace(/^(\w+)Set$/, model.lang === 'py' ? '$1_set' : '$1Set'));
  const at = lineStartOf(model.text, stmt.start);
  const indent = indentAt(model.text, stmt.start);
  const semi = model.lang === 'js' && usesSemicolons(model) ? ';' : '';
  const decl = model.lang === 'py' ? `${indent}${name} = set(${id.name})\n` : `${indent}const ${name} = new Set(${id.name})${semi}\n`;
  const edits: TextEdit[] = [{ start: at, end: at, newText: decl }];
  const n = s.node;
  if (n.type === 'Binary') edits.push({ start: n.right.start, end: n.right.end, newText: name });
  else if (n.type === 'Call' && n.callee.type === 'Member') edits.push({ start: n.callee.start, end: n.callee.end, newText: `${name}.has` });
  return { edits };
}

function freeName(model: CodeModel, loop: LoopFact, base: string): string {
  let name = base;
  for (let i = 2; model.resolve(name, loop.node); i++) name = `${base}${i}`;
  return name;
}
