// Destructuring patterns: which names a pattern binds, and to which part of the value.
import type * as ir from './ir';

/**
 * Names bound by a pattern with the value each receives, given the value of the whole
 * (`{ a, b: [c] } = v` yields a → v.a, c → v.b[0]). Values are synthetic nodes parented to v.
 */
export function patternNames(target: ir.Node, value: ir.Node | undefined): [string, ir.Node | undefined][] {
  const out: [string, ir.Node | undefined][] = [];
  const visit = (t: ir.Node, v: ir.Node | undefined) => {
    switch (t.type) {
      case 'Ident': out.push([t.name, v]); break;
      case 'ObjectLit':
        for (const p of t.props) {
          if (p.type === 'Spread') { visit(p.arg, v); continue; }
          const sub: ir.Node | undefined = v && p.key !== undefined
            ? { type: 'Member', object: v, prop: p.key, propStart: p.keyNode.start, start: p.start, end: p.end, parent: v.parent }
            : undefined;
          visit(p.value, sub);
        }
        break;
      case 'ArrayLit':
        t.elements.forEach((e, i) => {
          const sub: ir.Node | undefined = v
            ? { type: 'Index', object: v, index: { type: 'Num', value: i, start: e.start, end: e.end }, start: e.start, end: e.end, parent: v.parent }
            : undefined;
          visit(e.type === 'Spread' ? e.arg : e, sub);
        });
        break;
      case 'Assign':
        // Destructuring default: `{ a = 1 } = v` binds a to v.a (or the default).
        visit(t.target, v);
        break;
      case 'Spread': visit(t.arg, v); break;
      default: break;
    }
  };
  visit(target, value);
  return out;
}
