// Expressions, parameters and strings of the Python front end: the part of the conversion shared
// by every statement form (the statements themselves are in python.ts).
import * as ir from '../../../rules/kit/model/ir';
import type { MNode as TSNode } from './mirror';
import type { CommentText } from './types';
import { ConversionGuard } from './guard';

export abstract class PyExprConverter {
  comments: CommentText[] = [];
  constructor(protected text: string, protected guard = new ConversionGuard()) {}

  /** Statements inside unknown constructs come back through here. */
  protected abstract anyNode(n: TSNode): ir.Node;

  protected pos(n: TSNode) { return { start: n.startIndex, end: n.endIndex }; }

  protected named(n: TSNode): TSNode[] {
    const out: TSNode[] = [];
    for (const c of n.namedChildren) {
      if (!c) continue;
      if (c.type === 'comment') { this.comment(c); continue; }
      out.push(c);
    }
    return out;
  }

  protected comment(c: TSNode) {
    const t = c.text;
    if (t.includes('vibeguard-')) this.comments.push({ start: c.startIndex, end: c.endIndex, text: t });
  }

  protected other(n: TSNode, kind: string, kids: ir.Node[]): ir.Other {
    return { type: 'Other', kind, children: kids, ...this.pos(n) };
  }

  protected ident(n: TSNode): ir.Ident {
    return { type: 'Ident', name: n.text, ...this.pos(n) };
  }

  protected assign(n: TSNode): ir.Node {
    const left = n.childForFieldName('left');
    const right = n.childForFieldName('right');
    const op = n.type === 'augmented_assignment' ? n.childForFieldName('operator')?.text ?? '+=' : '=';
    const target = left ? this.expr(left) : this.other(n, 'missing', []);
    let value: ir.Node | undefined;
    if (right) value = right.type === 'assignment' ? this.assign(right) : this.expr(right);
    const typeNode = n.childForFieldName('type');
    const a: ir.Assign = { type: 'Assign', target, value, op, ...this.pos(n) };
    if (typeNode && !right) a.decl = 'let';
    return a;
  }

  protected params(n: TSNode | null): ir.Param[] {
    const out: ir.Param[] = [];
    if (!n) return out;
    for (const p of this.named(n)) {
      switch (p.type) {
        case 'identifier': out.push({ name: p.text, target: this.ident(p) }); break;
        case 'typed_parameter': {
          const id = this.named(p).find((x) => x.type === 'identifier' || x.type.endsWith('splat_pattern'));
          const t = p.childForFieldName('type');
          if (id) out.push({ name: id.type === 'identifier' ? id.text : this.named(id)[0]?.text, target: this.expr(id), typeText: t?.text });
          break;
        }
        case 'default_parameter': case 'typed_default_parameter': {
          const name = p.childForFieldName('name');
          const value = p.childForFieldName('value');
          const t = p.childForFieldName('type');
          if (name) out.push({ name: name.text, target: this.ident(name), default: value ? this.expr(value) : undefined, typeText: t?.text });
          break;
        }
        case 'list_splat_pattern': case 'dictionary_splat_pattern': {
          const id = this.named(p)[0];
          if (id) out.push({ name: id.text, target: { type: 'Spread', arg: this.ident(id), double: p.type === 'dictionary_splat_pattern', ...this.pos(p) } });
          break;
        }
        default: break;
      }
    }
    return out;
  }

  protected exprList(kids: TSNode[], n: TSNode): ir.Node {
    if (kids.length === 1) return this.expr(kids[0]);
    return { type: 'ArrayLit', elements: kids.map((k) => this.expr(k)), tuple: true, ...this.pos(n) };
  }

  protected arg(c: TSNode): ir.Node {
    switch (c.type) {
      case 'keyword_argument': {
        const name = c.childForFieldName('name')?.text ?? '';
        const value = c.childForFieldName('value');
        return { type: 'Keyword', name, value: value ? this.expr(value) : this.other(c, 'missing', []), ...this.pos(c) };
      }
      case 'list_splat': case 'dictionary_splat': {
        const inner = this.named(c)[0];
        return { type: 'Spread', arg: inner ? this.expr(inner) : this.other(c, 'missing', []), double: c.type === 'dictionary_splat', ...this.pos(c) };
      }
      default: return this.expr(c);
    }
  }

  protected str(n: TSNode): ir.Str | ir.Template {
    const startTok = n.firstChild;
    const prefix = startTok ? startTok.text.replace(/['"]+$/, '').toLowerCase() : '';
    const quasis: string[] = [''];
    const exprs: ir.Node[] = [];
    for (const c of n.children) {
      if (!c) continue;
      switch (c.type) {
        case 'string_content': quasis[quasis.length - 1] += c.text; break;
        case 'escape_sequence': quasis[quasis.length - 1] += prefix.includes('r') ? c.text : unescapePy(c.text); break;
        case 'interpolation': {
          const e = c.childForFieldName('expression') ?? this.named(c)[0];
          exprs.push(e ? this.exprList([e], c) : this.other(c, 'missing', []));
          quasis.push('');
          break;
        }
        default:
          // Older grammars put escapes and interpolations directly under `string`.
          break;
      }
    }
    if (prefix.includes('f')) return { type: 'Template', quasis, exprs, ...this.pos(n) };
    return { type: 'Str', value: quasis.join(''), prefix, ...this.pos(n) };
  }

  /**
   * Operator chains, call/attribute/subscript chains and wrappers (parentheses, `await`, `not`,
   * unary minus) nest along one child: that spine is walked in a loop and built back up, so
   * 10,000 `+` terms or 5,000 chained calls do not nest 10,000 JavaScript calls deep.
   */
  protected expr(n: TSNode): ir.Node {
    return this.guard.chain(n, n.startIndex, spineChild, this.leaf, this.link);
  }

  private readonly leaf = (n: TSNode) => this.exprNode(n);

  /** A spine node built around its already converted spine child. */
  private readonly link = (n: TSNode, inner: ir.Node): ir.Node => {
    const pos = this.pos(n);
    switch (n.type) {
      case 'call': {
        const argsNode = n.childForFieldName('arguments');
        let args: ir.Node[] = [];
        if (argsNode) args = argsNode.type === 'argument_list' ? this.named(argsNode).map((c) => this.arg(c)) : [this.expr(argsNode)];
        return { type: 'Call', callee: inner, args, isNew: false, ...pos };
      }
      case 'attribute': {
        const attr = n.childForFieldName('attribute');
        return { type: 'Member', object: inner, prop: attr?.text ?? '', propStart: attr?.startIndex ?? n.endIndex, ...pos };
      }
      case 'subscript': {
        const subs = n.childrenForFieldName('subscript').filter((x): x is TSNode => !!x);
        const index = subs.length === 1 ? this.expr(subs[0]) : { type: 'ArrayLit' as const, elements: subs.map((s) => this.expr(s)), tuple: true, ...pos };
        // request.form["email"] reads like a property: keep constant-key subscripts as Members.
        if (index.type === 'Str') return { type: 'Member', object: inner, prop: index.value, propStart: index.start, ...pos };
        return { type: 'Index', object: inner, index, ...pos };
      }
      case 'binary_operator': case 'boolean_operator': {
        const r = n.childForFieldName('right');
        const op = n.childForFieldName('operator')?.text ?? '?';
        return { type: 'Binary', op: op === 'and' ? '&&' : op === 'or' ? '||' : op, left: inner, right: r ? this.expr(r) : this.other(n, 'missing', []), ...pos };
      }
      case 'not_operator': return { type: 'Unary', op: '!', arg: inner, ...pos };
      case 'unary_operator': return { type: 'Unary', op: n.childForFieldName('operator')?.text ?? '-', arg: inner, ...pos };
      // Comments directly inside parentheses or after await may carry a suppression.
      case 'parenthesized_expression': this.named(n); return this.other(n, 'paren', [inner]);
      case 'await': this.named(n); return { type: 'Await', arg: inner, ...pos };
      default: return inner;
    }
  }

  /** Expressions that are not spine nodes. */
  protected exprNode(n: TSNode): ir.Node {
    switch (n.type) {
      // A spine node without its spine child (error recovery).
      case 'call': case 'attribute': case 'subscript': case 'binary_operator': case 'boolean_operator':
      case 'not_operator': case 'unary_operator': case 'await':
        return this.link(n, this.other(n, 'missing', []));
      case 'parenthesized_expression': this.named(n); return this.other(n, 'paren', []);
      case 'identifier': return this.ident(n);
      case 'string': return this.str(n);
      case 'concatenated_string': {
        const parts = this.named(n).map((c) => this.str(c));
        if (parts.every((p) => p.type === 'Str')) return { type: 'Str', value: parts.map((p) => (p as ir.Str).value).join(''), prefix: (parts[0] as ir.Str).prefix, ...this.pos(n) };
        const quasis: string[] = [''];
        const exprs: ir.Node[] = [];
        for (const p of parts) {
          if (p.type === 'Str') quasis[quasis.length - 1] += p.value;
          else {
            quasis[quasis.length - 1] += p.quasis[0];
            for (let i = 0; i < p.exprs.length; i++) { exprs.push(p.exprs[i]); quasis.push(p.quasis[i + 1]); }
          }
        }
        return { type: 'Template', quasis, exprs, ...this.pos(n) };
      }
      case 'integer': case 'float': return { type: 'Num', value: Number(n.text.replace(/_/g, '')) || 0, ...this.pos(n) };
      case 'true': return { type: 'Lit', value: 'true', ...this.pos(n) };
      case 'false': return { type: 'Lit', value: 'false', ...this.pos(n) };
      case 'none': return { type: 'Lit', value: 'null', ...this.pos(n) };
      case 'comparison_operator': {
        // a < b < c is rare in the code we analyse; keep the first comparison, children preserved.
        const kids = this.named(n);
        const opTok = n.children.find((c) => c && !c.isNamed);
        const ops = n.children.filter((c) => c && !c.isNamed).map((c) => c!.text);
        let op = ops.join(' ') || opTok?.text || '?';
        if (op === 'not in') op = 'not in';
        if (kids.length === 2) return { type: 'Binary', op, left: this.expr(kids[0]), right: this.expr(kids[1]), ...this.pos(n) };
        return this.other(n, 'comparison', kids.map((k) => this.expr(k)));
      }
      case 'conditional_expression': {
        const [a, test, b] = this.named(n);
        return { type: 'Cond', test: this.expr(test), then: this.expr(a), else: b ? this.expr(b) : this.other(n, 'missing', []), ...this.pos(n) };
      }
      case 'dictionary': {
        const props: (ir.Prop | ir.Spread)[] = [];
        for (const c of this.named(n)) {
          if (c.type === 'pair') {
            const k = c.childForFieldName('key');
            const v = c.childForFieldName('value');
            const keyNode = k ? this.expr(k) : this.other(c, 'missing', []);
            props.push({ type: 'Prop', key: keyNode.type === 'Str' ? keyNode.value : undefined, keyNode, value: v ? this.expr(v) : this.other(c, 'missing', []), shorthand: false, ...this.pos(c) });
          } else if (c.type === 'dictionary_splat') {
            const inner = this.named(c)[0];
            props.push({ type: 'Spread', arg: inner ? this.expr(inner) : this.other(c, 'missing', []), double: true, ...this.pos(c) });
          }
        }
        return { type: 'ObjectLit', props, ...this.pos(n) };
      }
      case 'list': case 'tuple': case 'set': case 'expression_list': case 'pattern_list': case 'tuple_pattern': case 'list_pattern':
        return { type: 'ArrayLit', elements: this.named(n).map((c) => this.arg(c)), tuple: n.type !== 'list' && n.type !== 'list_pattern', ...this.pos(n) };
      case 'lambda': {
        const body = n.childForFieldName('body');
        const bodyNode = body ? this.expr(body) : this.other(n, 'missing', []);
        return { type: 'Func', kind: 'lambda', params: this.params(n.childForFieldName('parameters')), body: bodyNode, async: false, decorators: [], bodyStart: bodyNode.start, ...this.pos(n) };
      }
      case 'list_comprehension': case 'generator_expression': case 'set_comprehension': case 'dictionary_comprehension': {
        const body = n.childForFieldName('body');
        const forIn = this.named(n).find((c) => c.type === 'for_in_clause');
        const left = forIn?.childForFieldName('left');
        const right = forIn?.childForFieldName('right');
        const header = this.named(n).filter((c) => c.type === 'if_clause').map((c) => this.expr(this.named(c)[0] ?? c));
        const bodyNode = body ? (body.type === 'pair' ? this.other(body, 'pair', this.named(body).map((x) => this.expr(x))) : this.expr(body)) : this.other(n, 'missing', []);
        const loop: ir.Loop = { type: 'Loop', kind: 'comprehension', target: left ? this.expr(left) : undefined, iter: right ? this.expr(right) : undefined, body: bodyNode, header, ...this.pos(n) };
        return n.type === 'list_comprehension' ? loop : this.other(n, n.type, [loop]);
      }
      case 'keyword_argument': case 'list_splat': case 'dictionary_splat': return this.arg(n);
      case 'assignment': case 'augmented_assignment': return this.assign(n);
      case 'named_expression': {
        const name = n.childForFieldName('name');
        const value = n.childForFieldName('value');
        return { type: 'Assign', target: name ? this.ident(name) : this.other(n, 'missing', []), value: value ? this.expr(value) : undefined, op: '=', ...this.pos(n) };
      }
      case 'list_splat_pattern': case 'dictionary_splat_pattern': {
        const inner = this.named(n)[0];
        return { type: 'Spread', arg: inner ? this.expr(inner) : this.other(n, 'missing', []), double: n.type === 'dictionary_splat_pattern', ...this.pos(n) };
      }
      case 'attribute_pattern': case 'dotted_name': {
        const parts = this.named(n);
        let cur: ir.Node = this.ident(parts[0] ?? n);
        for (let i = 1; i < parts.length; i++) cur = { type: 'Member', object: cur, prop: parts[i].text, propStart: parts[i].startIndex, start: n.startIndex, end: parts[i].endIndex };
        return cur;
      }
      default:
        return this.other(n, n.type, this.named(n).map((c) => this.anyNode(c)));
    }
  }
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0' };
function unescapePy(s: string): string {
  const c = s[1];
  if (c in ESCAPES) return ESCAPES[c];
  if (c === 'x' || c === 'u' || c === 'U') return String.fromCodePoint(parseInt(s.slice(2), 16) || 0);
  if (c === '\n') return '';
  return s;
}

const SPINE_FIELD: Record<string, string> = {
  call: 'function', attribute: 'object', subscript: 'value', binary_operator: 'left', boolean_operator: 'left',
  not_operator: 'argument', unary_operator: 'argument',
};

/** The child a chain continues through (see PyExprConverter.expr), or undefined for other expressions. */
function spineChild(n: TSNode): TSNode | undefined {
  const field = SPINE_FIELD[n.type];
  if (field) return n.childForFieldName(field) ?? undefined;
  if (n.type === 'parenthesized_expression' || n.type === 'await') return n.namedChildren.find((c) => c.type !== 'comment');
  return undefined;
}
