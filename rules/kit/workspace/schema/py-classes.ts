// Python class bodies read as text for the model files of Django and SQLAlchemy: each class with
// its bases and the assignments at the top of its body (`email = models.CharField(...)`,
// `__tablename__ = "users"`), with call arguments split. Comments and string contents are masked
// before any bracket is counted, so a `)` in a help text does not end a call.
import { matching, splitArgs } from '../../frameworks/router-mounts';
import { maskPy } from '../../model/comments';

export interface PyArg { kw?: string; text: string; start: number; end: number }
export interface PyAssign {
  name: string;
  /** The assigned expression's source text. */
  value: string;
  start: number;
  end: number;
  /** For `name = f(...)`: the callee's dotted name and its arguments. */
  call?: string;
  args?: PyArg[];
  /** Offset of the call's closing parenthesis (a fix inserts keywords before it). */
  close?: number;
}
export interface PyClass { name: string; bases: string; start: number; end: number; assigns: PyAssign[]; meta: PyAssign[] }


export function pyClasses(text: string): PyClass[] {
  const code = maskPy(text);
  const out: PyClass[] = [];
  for (const m of code.matchAll(/^([ \t]*)class\s+(\w+)\s*(?:\(([^)]*)\))?\s*:/gm)) {
    const indent = m[1].length;
    const bodyStart = m.index! + m[0].length;
    const end = blockEnd(code, bodyStart, indent);
    const assigns = assignments(text, code, bodyStart, end);
    const metaMatch = /^([ \t]*)class\s+Meta\s*(?:\([^)]*\))?\s*:/m.exec(code.slice(bodyStart, end));
    let meta: PyAssign[] = [];
    if (metaMatch) {
      const ms = bodyStart + metaMatch.index + metaMatch[0].length;
      meta = assignments(text, code, ms, blockEnd(code, ms, metaMatch[1].length));
    }
    out.push({ name: m[2], bases: (m[3] ?? '').replace(/\s+/g, ' ').trim(), start: m.index! + indent, end, assigns: assigns.filter((a) => !meta.includes(a)), meta });
  }
  return out;
}

/** The end of the block opened at `from` by a line indented `indent`: the first later non-blank line indented no deeper. */
function blockEnd(code: string, from: number, indent: number): number {
  const re = /\n([ \t]*)(\S)/g;
  re.lastIndex = from;
  for (let m = re.exec(code); m; m = re.exec(code)) {
    if (m[1].length <= indent) return m.index;
  }
  return code.length;
}

/** `name = expr` statements at the top level of the block between from and to (not nested deeper). */
function assignments(text: string, code: string, from: number, to: number): PyAssign[] {
  const out: PyAssign[] = [];
  const first = /\n([ \t]+)\S/.exec(code.slice(from, to));
  if (!first) return out;
  const indent = first[1];
  const re = new RegExp(`\\n${indent}(\\w+)\\s*(?::[^=\\n]*)?=\\s*(?!=)`, 'g');
  re.lastIndex = from;
  for (let m = re.exec(code); m && m.index < to; m = re.exec(code)) {
    const vStart = m.index + m[0].length;
    const call = /^([\w.]+)\s*\(/.exec(code.slice(vStart, vStart + 200));
    let vEnd: number;
    const a: PyAssign = { name: m[1], value: '', start: m.index + 1 + indent.length, end: 0 };
    if (call) {
      const open = vStart + call[0].length - 1;
      const close = matching(code, open);
      if (close === -1) continue;
      vEnd = close + 1;
      a.call = call[1];
      a.close = close;
      a.args = splitArgs(code, open + 1, close).map((r) => {
        const t = text.slice(r.start, r.end).trim();
        const kw = /^(\w+)\s*=(?!=)\s*/.exec(t);
        return { kw: kw?.[1], text: kw ? t.slice(kw[0].length) : t, start: r.start, end: r.end };
      });
    } else if (/^[([]/.test(code[vStart] ?? '')) {
      const close = matching(code, vStart);
      vEnd = close === -1 ? code.indexOf('\n', vStart) : close + 1;
    } else {
      const nl = code.indexOf('\n', vStart);
      vEnd = nl === -1 ? code.length : nl;
    }
    a.value = text.slice(vStart, vEnd);
    a.end = vEnd;
    re.lastIndex = vEnd;
    out.push(a);
  }
  return out;
}

/** The string items of a list/tuple literal: `['a', "b"]` → ['a', 'b']. */
export function pyStrings(text: string | undefined): string[] {
  return text ? [...text.matchAll(/(['"])([^'"]*)\1/g)].map((m) => m[2]) : [];
}
