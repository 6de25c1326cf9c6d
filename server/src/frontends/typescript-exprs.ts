// Expressions, patterns, functions and classes of the JS/TS front end: the part of the
// conversion shared by every statement form (the statements themselves are in typescript.ts).
import ts = require('typescript');
import * as ir from '../../../rules/kit/model/ir';
import { ConversionGuard } from './guard';

export const SK = ts.SyntaxKind;

export abstract class TsExprConverter {
  /** The parser reported no syntax error: no node is missing. */
  private readonly wellFormed: boolean;

  constructor(protected sf: ts.SourceFile, protected guard = new ConversionGuard()) {
    this.wellFormed = !(sf as unknown as { parseDiagnostics?: unknown[] }).parseDiagnostics?.length;
  }

  /** Statements inside functions, classes and unknown constructs come back through here. */
  protected abstract stmt(n: ts.Node): ir.Node | ir.Node[] | undefined;

  // Positions are written as two plain properties rather than spread from a { start, end }
  // object: the spread costs a runtime property copy per node (about a third of the conversion).
  protected start(n: ts.Node): number {
    return n.getStart(this.sf);
  }

  protected stmts(list: readonly ts.Node[]): ir.Node[] {
    const out: ir.Node[] = [];
    for (const s of list) {
      const c = this.stmt(s);
      if (Array.isArray(c)) out.push(...c);
      else if (c) out.push(c);
    }
    return out;
  }

  protected other(n: ts.Node, kind: string, kids: ir.Node[]): ir.Other {
    return { type: 'Other', kind, children: kids, start: this.start(n), end: n.end };
  }

  protected block(n: ts.Node): ir.Node {
    if (ts.isBlock(n)) return { type: 'Block', body: this.stmts(n.statements), start: this.start(n), end: n.end };
    const s = this.stmt(n);
    if (Array.isArray(s)) return { type: 'Block', body: s, start: this.start(n), end: n.end };
    return s ?? { type: 'Block', body: [], start: this.start(n), end: n.end };
  }

  protected genericKids(n: ts.Node): ir.Node[] {
    const out: ir.Node[] = [];
    n.forEachChild((c) => {
      if (ts.isExpression(c)) out.push(this.expr(c));
      else {
        const s = this.stmt(c);
        if (Array.isArray(s)) out.push(...s);
        else if (s) out.push(s);
      }
    });
    return out;
  }

  protected pattern(n: ts.BindingName | ts.Expression): ir.Node {
    if (ts.isIdentifier(n)) return { type: 'Ident', name: n.text, start: this.start(n), end: n.end };
    if (ts.isObjectBindingPattern(n)) {
      const props: (ir.Prop | ir.Spread)[] = [];
      for (const el of n.elements) {
        if (el.dotDotDotToken) { props.push({ type: 'Spread', arg: this.pattern(el.name), start: this.start(el), end: el.end }); continue; }
        const keyTs = el.propertyName ?? el.name;
        const key = ts.isIdentifier(keyTs) || ts.isStringLiteral(keyTs) ? keyTs.text : undefined;
        const keyNode: ir.Node = key !== undefined ? { type: 'Ident', name: key, start: this.start(keyTs), end: keyTs.end } : this.expr((keyTs as ts.ComputedPropertyName).expression ?? keyTs);
        let value = this.pattern(el.name);
        if (el.initializer) value = { type: 'Assign', target: value, value: this.expr(el.initializer), op: '=', start: this.start(el), end: el.end };
        props.push({ type: 'Prop', key, keyNode, value, shorthand: !el.propertyName, start: this.start(el), end: el.end });
      }
      return { type: 'ObjectLit', props, start: this.start(n), end: n.end };
    }
    if (ts.isArrayBindingPattern(n)) {
      const elements: ir.Node[] = [];
      for (const el of n.elements) {
        if (ts.isOmittedExpression(el)) { elements.push(this.other(el, 'hole', [])); continue; }
        const t = this.pattern(el.name);
        elements.push(el.dotDotDotToken ? { type: 'Spread', arg: t, start: this.start(el), end: el.end } : t);
      }
      return { type: 'ArrayLit', elements, start: this.start(n), end: n.end };
    }
    return this.expr(n as ts.Expression);
  }

  protected params(ps: readonly ts.ParameterDeclaration[]): ir.Param[] {
    const out: ir.Param[] = [];
    for (const p of ps) {
      if (ts.isIdentifier(p.name) && p.name.text === 'this') continue;
      out.push({
        name: ts.isIdentifier(p.name) ? p.name.text : undefined,
        target: this.pattern(p.name),
        default: p.initializer ? this.expr(p.initializer) : undefined,
        typeText: p.type ? p.type.getText(this.sf) : undefined,
      });
    }
    return out;
  }

  protected decorators(n: ts.Node): ir.Node[] {
    const ds = ts.canHaveDecorators(n) ? ts.getDecorators(n) : undefined;
    return ds ? ds.map((d) => this.expr(d.expression)) : [];
  }

  protected func(n: ts.FunctionLikeDeclaration, kind: ir.Func['kind'], name?: string): ir.Func {
    const body = n.body;
    const isAsync = !!(ts.canHaveModifiers(n) && ts.getModifiers(n)?.some((m) => m.kind === SK.AsyncKeyword));
    let bodyNode: ir.Node;
    let bodyStart: number;
    if (!body) { bodyNode = { type: 'Block', body: [], start: n.end, end: n.end }; bodyStart = n.end; }
    else if (ts.isBlock(body)) { bodyNode = this.block(body); bodyStart = body.getStart(this.sf) + 1; }
    else { bodyNode = this.expr(body as ts.Expression); bodyStart = bodyNode.start; }
    const ownName = n.name && (ts.isIdentifier(n.name) || ts.isStringLiteral(n.name) || ts.isPrivateIdentifier(n.name)) ? n.name.text : undefined;
    return {
      type: 'Func',
      name: ownName ?? name,
      kind,
      params: this.params(n.parameters),
      body: bodyNode,
      async: isAsync,
      decorators: this.decorators(n),
      bodyStart,
      start: this.start(n), end: n.end,
    };
  }

  protected cls(n: ts.ClassLikeDeclaration): ir.Class {
    const body: ir.Node[] = [];
    for (const m of n.members) {
      if (ts.isMethodDeclaration(m) || ts.isConstructorDeclaration(m) || ts.isGetAccessor(m) || ts.isSetAccessor(m)) {
        const name = ts.isConstructorDeclaration(m) ? 'constructor' : undefined;
        body.push(this.func(m, 'method', name));
      } else if (ts.isPropertyDeclaration(m)) {
        const key = ts.isIdentifier(m.name) || ts.isPrivateIdentifier(m.name) || ts.isStringLiteral(m.name) ? m.name.text : undefined;
        const target: ir.Node = { type: 'Member', object: this.other(m, 'this', []), prop: key ?? '', propStart: m.name.getStart(this.sf), start: this.start(m.name), end: m.name.end };
        const value = m.initializer ? this.expr(m.initializer) : undefined;
        const isStatic = !!ts.getModifiers(m)?.some((x) => x.kind === SK.StaticKeyword);
        body.push({ type: 'Assign', target, value, op: '=', decl: isStatic ? 'const' : undefined, start: this.start(m), end: m.end });
        if (value?.type === 'Func' && !value.name) value.name = key;
      } else if (ts.isClassStaticBlockDeclaration(m)) {
        body.push(this.block(m.body));
      }
    }
    const bases: ir.Node[] = [];
    for (const h of n.heritageClauses ?? []) for (const t of h.types) bases.push(this.expr(t.expression));
    return { type: 'Class', name: n.name?.text, body, decorators: this.decorators(n), bases, start: this.start(n), end: n.end };
  }

  protected args(list: readonly ts.Expression[] | undefined): ir.Node[] {
    return list ? list.map((a) => this.expr(a)) : [];
  }

  /**
   * Operator chains, call and member chains and wrappers (parentheses, `as`, `await`, `!`) nest
   * along one child: that spine is walked in a loop and built back up, so 10,000 `+` terms or
   * 5,000 chained calls do not nest 10,000 JavaScript calls deep. Other nesting recurses.
   */
  protected expr(n: ts.Expression): ir.Node {
    return this.guard.chain(n, n.pos, spineChild, this.leaf, this.link);
  }

  private readonly leaf = (n: ts.Expression) => this.exprNode(n);

  /** A spine node built around its already converted spine child. */
  private readonly link = (n: ts.Expression, inner: ir.Node): ir.Node => {
    // A link whose spine child is its first token starts where that child does: no second scan
    // past the same trivia (member and call chains are a third of a tree). Not in a file with
    // syntax errors, where that child can be a zero-width node the parser made up.
    const start = this.wellFormed && LEADING_SPINE.has(n.kind) ? inner.start : this.start(n);
    const end = n.end;
    switch (n.kind) {
      case SK.CallExpression: {
        const c = n as ts.CallExpression;
        return { type: 'Call', callee: inner, args: this.args(c.arguments), isNew: false, optional: !!c.questionDotToken, start, end };
      }
      case SK.NewExpression: return { type: 'Call', callee: inner, args: this.args((n as ts.NewExpression).arguments), isNew: true, start, end };
      case SK.PropertyAccessExpression: {
        const p = n as ts.PropertyAccessExpression;
        return { type: 'Member', object: inner, prop: p.name.text, propStart: p.name.getStart(this.sf), optional: !!p.questionDotToken, start, end };
      }
      case SK.ElementAccessExpression: {
        const arg = (n as ts.ElementAccessExpression).argumentExpression;
        // obj['literal'] behaves as a property access; keep it a Member so names resolve.
        if (ts.isStringLiteral(arg) || ts.isNoSubstitutionTemplateLiteral(arg)) return { type: 'Member', object: inner, prop: arg.text, propStart: arg.getStart(this.sf), start, end };
        return { type: 'Index', object: inner, index: this.expr(arg), start, end };
      }
      case SK.BinaryExpression: {
        const b = n as ts.BinaryExpression;
        return { type: 'Binary', op: ts.tokenToString(b.operatorToken.kind) ?? '?', left: inner, right: this.expr(b.right), start, end };
      }
      case SK.PrefixUnaryExpression: case SK.PostfixUnaryExpression:
        return { type: 'Unary', op: ts.tokenToString((n as ts.PrefixUnaryExpression).operator) ?? '?', arg: inner, start, end };
      case SK.TypeOfExpression: return { type: 'Unary', op: 'typeof', arg: inner, start, end };
      case SK.VoidExpression: return { type: 'Unary', op: 'void', arg: inner, start, end };
      case SK.DeleteExpression: return { type: 'Unary', op: 'delete', arg: inner, start, end };
      case SK.AwaitExpression: return { type: 'Await', arg: inner, start, end };
      case SK.ParenthesizedExpression: return this.other(n, 'paren', [inner]);
      case SK.AsExpression: case SK.TypeAssertionExpression: return this.other(n, 'as', [inner]);
      case SK.SatisfiesExpression: return this.other(n, 'satisfies', [inner]);
      case SK.NonNullExpression: return this.other(n, 'nonNull', [inner]);
      default: return inner;
    }
  }

  /** Expressions that are not spine nodes. */
  protected exprNode(n: ts.Expression): ir.Node {
    switch (n.kind) {
      case SK.Identifier: return { type: 'Ident', name: (n as ts.Identifier).text, start: this.start(n), end: n.end };
      case SK.StringLiteral: case SK.NoSubstitutionTemplateLiteral:
        return { type: 'Str', value: (n as ts.StringLiteral).text, prefix: '', start: this.start(n), end: n.end };
      case SK.NumericLiteral: return { type: 'Num', value: Number((n as ts.NumericLiteral).text), start: this.start(n), end: n.end };
      case SK.TrueKeyword: return { type: 'Lit', value: 'true', start: this.start(n), end: n.end };
      case SK.FalseKeyword: return { type: 'Lit', value: 'false', start: this.start(n), end: n.end };
      case SK.NullKeyword: return { type: 'Lit', value: 'null', start: this.start(n), end: n.end };
      case SK.ThisKeyword: return this.other(n, 'this', []);
      case SK.SuperKeyword: return this.other(n, 'super', []);
      case SK.TemplateExpression: {
        const t = n as ts.TemplateExpression;
        const quasis = [t.head.text, ...t.templateSpans.map((s) => s.literal.text)];
        return { type: 'Template', quasis, exprs: t.templateSpans.map((s) => this.expr(s.expression)), start: this.start(n), end: n.end };
      }
      case SK.TaggedTemplateExpression: {
        const t = n as ts.TaggedTemplateExpression;
        const tpl = t.template;
        const tag = this.expr(t.tag);
        if (ts.isNoSubstitutionTemplateLiteral(tpl)) return { type: 'Template', quasis: [tpl.text], exprs: [], tag, start: this.start(n), end: n.end };
        return {
          type: 'Template',
          quasis: [tpl.head.text, ...tpl.templateSpans.map((s) => s.literal.text)],
          exprs: tpl.templateSpans.map((s) => this.expr(s.expression)),
          tag,
          start: this.start(n), end: n.end,
        };
      }
      case SK.BinaryExpression: {
        // Only assignments get here: other binary operators are spine nodes (see expr).
        const b = n as ts.BinaryExpression;
        const value = this.expr(b.right);
        if (ts.isPropertyAccessExpression(b.left)) this.nameAnonymous(value, b.left.name.text);
        else if (ts.isIdentifier(b.left)) this.nameAnonymous(value, b.left.text);
        return { type: 'Assign', target: this.pattern(b.left), value, op: ts.tokenToString(b.operatorToken.kind) ?? '=', start: this.start(n), end: n.end };
      }
      case SK.ConditionalExpression: {
        const c = n as ts.ConditionalExpression;
        return { type: 'Cond', test: this.expr(c.condition), then: this.expr(c.whenTrue), else: this.expr(c.whenFalse), start: this.start(n), end: n.end };
      }
      case SK.ArrowFunction: return this.func(n as ts.ArrowFunction, 'arrow');
      case SK.FunctionExpression: return this.func(n as ts.FunctionExpression, 'expr');
      case SK.ClassExpression: return this.cls(n as ts.ClassExpression);
      case SK.ObjectLiteralExpression: return this.objectLit(n as ts.ObjectLiteralExpression);
      case SK.ArrayLiteralExpression: {
        const a = n as ts.ArrayLiteralExpression;
        return { type: 'ArrayLit', elements: a.elements.map((e) => (ts.isOmittedExpression(e) ? this.other(e, 'hole', []) : this.expr(e))), start: this.start(n), end: n.end };
      }
      case SK.SpreadElement: return { type: 'Spread', arg: this.expr((n as ts.SpreadElement).expression), start: this.start(n), end: n.end };
      case SK.YieldExpression: {
        const y = n as ts.YieldExpression;
        return this.other(n, 'yield', y.expression ? [this.expr(y.expression)] : []);
      }
      case SK.RegularExpressionLiteral: return this.other(n, 'regex', []);
      case SK.BigIntLiteral: return { type: 'Num', value: Number((n as ts.BigIntLiteral).text.replace(/n$/, '')), start: this.start(n), end: n.end };
      default:
        return this.other(n, SK[n.kind], this.genericKids(n));
    }
  }

  /**
   * `const handler = async () => {}`, `{ handler: () => {} }` and `exports.handler = function () {}`
   * give an anonymous function the name it is known by (the parser keeps no parent links, so the
   * name is set where the binding is built).
   */
  protected nameAnonymous(value: ir.Node | undefined, name: string | undefined): void {
    let v = value;
    while (v?.type === 'Other' && (v.kind === 'paren' || v.kind === 'as' || v.kind === 'satisfies') && v.children.length) v = v.children[0];
    if (v?.type === 'Func' && !v.name && name) v.name = name;
  }

  protected objectLit(o: ts.ObjectLiteralExpression): ir.ObjectLit {
    const props: (ir.Prop | ir.Spread)[] = [];
    for (const p of o.properties) {
      if (ts.isSpreadAssignment(p)) { props.push({ type: 'Spread', arg: this.expr(p.expression), start: this.start(p), end: p.end }); continue; }
      const nameNode = p.name;
      let key: string | undefined;
      let keyNode: ir.Node;
      if (nameNode && (ts.isIdentifier(nameNode) || ts.isStringLiteral(nameNode) || ts.isNumericLiteral(nameNode) || ts.isPrivateIdentifier(nameNode))) {
        key = nameNode.text;
        keyNode = { type: 'Ident', name: key, start: this.start(nameNode), end: nameNode.end };
      } else if (nameNode && ts.isComputedPropertyName(nameNode)) {
        keyNode = this.expr(nameNode.expression);
        if (keyNode.type === 'Str') key = keyNode.value;
      } else {
        keyNode = this.other(p, 'key', []);
      }
      let value: ir.Node;
      let shorthand = false;
      if (ts.isPropertyAssignment(p)) { value = this.expr(p.initializer); this.nameAnonymous(value, key); }
      else if (ts.isShorthandPropertyAssignment(p)) { value = { type: 'Ident', name: p.name.text, start: this.start(p.name), end: p.name.end }; shorthand = true; }
      else if (ts.isMethodDeclaration(p) || ts.isGetAccessor(p) || ts.isSetAccessor(p)) value = this.func(p, 'method', key);
      else value = this.other(p, "unknownProperty", []);
      props.push({ type: 'Prop', key, keyNode, value, shorthand, start: this.start(p), end: p.end });
    }
    return { type: 'ObjectLit', props, start: this.start(o), end: o.end };
  }
}

/** Spine nodes whose spine child comes first in the source (`a.b`, `f()`, `a + b`, `x!`, `x as T`). */
const LEADING_SPINE = new Set([
  SK.CallExpression, SK.PropertyAccessExpression, SK.ElementAccessExpression, SK.BinaryExpression,
  SK.PostfixUnaryExpression, SK.AsExpression, SK.SatisfiesExpression, SK.NonNullExpression,
]);

const WRAPPERS = new Set([
  SK.ParenthesizedExpression, SK.AsExpression, SK.TypeAssertionExpression, SK.SatisfiesExpression, SK.NonNullExpression,
  SK.AwaitExpression, SK.TypeOfExpression, SK.VoidExpression, SK.DeleteExpression,
]);

/** The child a chain continues through (see TsExprConverter.expr), or undefined for other expressions. */
function spineChild(n: ts.Expression): ts.Expression | undefined {
  switch (n.kind) {
    case SK.CallExpression: case SK.NewExpression: case SK.PropertyAccessExpression: case SK.ElementAccessExpression:
      return (n as ts.CallExpression).expression;
    case SK.BinaryExpression: {
      const op = (n as ts.BinaryExpression).operatorToken.kind;
      return op >= SK.FirstAssignment && op <= SK.LastAssignment ? undefined : (n as ts.BinaryExpression).left;
    }
    case SK.PrefixUnaryExpression: case SK.PostfixUnaryExpression: return (n as ts.PrefixUnaryExpression).operand;
    default: return WRAPPERS.has(n.kind) ? (n as ts.ParenthesizedExpression).expression : undefined;
  }
}
