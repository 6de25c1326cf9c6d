// Python front end: tree-sitter-python (the grammar's .wasm shipped in its npm package, run by
// web-tree-sitter) turned into the language-neutral tree of rules/kit/ir.ts.
import * as fs from 'fs';
import * as path from 'path';
import { Parser, Language, type Tree } from 'web-tree-sitter';
import { mirror, useRawCursor, type MNode as TSNode } from './mirror';
import * as ir from '../../../rules/kit/model/ir';
import type { ParseResult, SyntaxProblem } from './types';
import { PyExprConverter } from './python-exprs';
import { ConversionGuard } from './guard';
import { changeOf, isLocal } from './change';

let parser: Parser | undefined;
let loading: Promise<void> | undefined;

/** Finds a wasm file next to the bundle (dist/) or in node_modules when running from out/. */
function locate(file: string, pkgPath: string): string {
  const here = path.join(__dirname, file);
  if (fs.existsSync(here)) return here;
  return require.resolve(pkgPath);
}

/** Loads the Python grammar once per process. Parsing is synchronous afterwards. */
export function initPython(): Promise<void> {
  loading ??= (async () => {
    const runtime = locate('tree-sitter.wasm', 'web-tree-sitter/tree-sitter.wasm');
    // The options object becomes the wasm module: the tree copy calls its cursor functions directly.
    const module = { locateFile: () => runtime };
    await Parser.init(module);
    useRawCursor(module);
    const lang = await Language.load(fs.readFileSync(locate('tree-sitter-python.wasm', 'tree-sitter-python/tree-sitter-python.wasm')));
    const p = new Parser();
    p.setLanguage(lang);
    parser = p;
  })();
  return loading;
}

export function pythonReady(): boolean {
  return parser !== undefined;
}

export function parsePython(text: string, guard = new ConversionGuard()): ParseResult {
  const tree = parseTree(text, guard);
  try {
    return convert(tree, text, guard);
  } finally {
    tree.delete();
  }
}

/** What the next parse of the same document builds on: tree-sitter's tree (in wasm memory until `dispose`). */
export interface PyParseState { text: string; tree: Tree; dispose(): void }

/**
 * Parses `text` from `prev`, the same document's previous tree, when there is one: the old tree is
 * told where the text changed (Tree.edit) and tree-sitter re-parses only around the change. `prev`
 * is spent either way (edited in place, then freed); the caller keeps only the state this returns.
 * The conversion to the IR is a full one.
 */
export function parsePythonIncremental(text: string, guard: ConversionGuard, prev?: PyParseState): { parsed: ParseResult; state: PyParseState } {
  let old: Tree | undefined;
  try {
    const change = prev ? changeOf(prev.text, text) : undefined;
    if (prev && change && isLocal(change, text.length)) {
      prev.tree.edit({
        startIndex: change.start,
        oldEndIndex: change.oldEnd,
        newEndIndex: change.newEnd,
        startPosition: pointAt(prev.text, change.start),
        oldEndPosition: pointAt(prev.text, change.oldEnd),
        newEndPosition: pointAt(text, change.newEnd),
      });
      old = prev.tree;
    }
    const tree = parseTree(text, guard, old);
    try {
      const parsed = convert(tree, text, guard);
      if (old) parsed.incremental = true;
      return { parsed, state: { text, tree, dispose: () => tree.delete() } };
    } catch (e) {
      tree.delete();
      throw e;
    }
  } finally {
    prev?.dispose();
  }
}

/** Row and column (UTF-16 code units, as web-tree-sitter counts them) of an offset. */
function pointAt(text: string, offset: number): { row: number; column: number } {
  let row = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) row++;
  return { row, column: offset - (text.lastIndexOf('\n', offset - 1) + 1) };
}

function parseTree(text: string, guard: ConversionGuard, old?: Tree): Tree {
  if (!parser) throw new Error('Python parser not initialised: call initPython() first');
  const watch = guard.watch;
  // tree-sitter asks now and then whether to go on; a stopped parse must not be resumed later.
  const progressCallback = watch ? (() => watch.expired() !== undefined) as () => void : undefined;
  const tree = parser.parse(text, old ?? null, { progressCallback });
  if (!tree) {
    parser.reset();
    watch?.check();
    throw new Error('tree-sitter returned no tree');
  }
  return tree;
}

function convert(tree: Tree, text: string, guard: ConversionGuard): ParseResult {
  const watch = guard.watch;
  const top: TSNode = mirror(tree, text);
  watch?.check();
  const conv = new PyConverter(text, guard);
  const root = conv.program(top);
  ir.linkParents(root);
  const problems: SyntaxProblem[] = [];
  if (top.hasError) collectErrors(top, problems);
  // Nothing parsed as code: every top-level node is an error.
  const unparsed = top.isError || (top.namedChildren.length > 0 && top.namedChildren.every((c) => c.isError || c.type === 'comment'));
  return { root, problems, comments: conv.comments, unparsed };
}

/** The first 20 error and missing nodes in document order (an explicit stack: error trees nest deeply). */
function collectErrors(root: TSNode, out: SyntaxProblem[]): void {
  const stack = [root];
  while (stack.length && out.length < 20) {
    const n = stack.pop()!;
    if (n.isError || n.isMissing) {
      out.push({ start: n.startIndex, end: Math.max(n.endIndex, n.startIndex + 1), message: n.isMissing ? `missing ${n.type}` : 'invalid syntax' });
      continue;
    }
    if (!n.hasError) continue;
    for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]);
  }
}

/** Statement kinds whose names do not say so. */
const DEFINITIONS = new Set(['function_definition', 'class_definition', 'decorated_definition']);

class PyConverter extends PyExprConverter {
  program(n: TSNode): ir.Program {
    return { type: 'Program', body: this.stmts(n), start: 0, end: this.text.length };
  }

  protected stmts(n: TSNode): ir.Node[] {
    const out: ir.Node[] = [];
    for (const c of this.named(n)) {
      const s = this.stmt(c);
      if (Array.isArray(s)) out.push(...s); else if (s) out.push(s);
    }
    return out;
  }

  protected block(n: TSNode | null): ir.Node {
    if (!n) return { type: 'Block', body: [], start: 0, end: 0 };
    return { type: 'Block', body: this.stmts(n), ...this.pos(n) };
  }

  protected stmt(n: TSNode): ir.Node | ir.Node[] | undefined {
    this.guard.enter(n.startIndex);
    const out = this.stmtNode(n);
    this.guard.leave();
    return out;
  }

  private stmtNode(n: TSNode): ir.Node | ir.Node[] | undefined {
    switch (n.type) {
      case 'expression_statement': {
        const kids = this.named(n);
        if (kids.length === 1) {
          const k = kids[0];
          if (k.type === 'assignment' || k.type === 'augmented_assignment') return this.assign(k);
          return { type: 'ExprStmt', expr: this.expr(k), ...this.pos(n) };
        }
        return { type: 'ExprStmt', expr: { type: 'ArrayLit', elements: kids.map((k) => this.expr(k)), tuple: true, ...this.pos(n) }, ...this.pos(n) };
      }
      case 'function_definition': return this.func(n, []);
      case 'class_definition': return this.cls(n, []);
      case 'decorated_definition': {
        const decos = n.namedChildren.filter((c): c is TSNode => !!c && c.type === 'decorator').map((d) => this.expr(this.named(d)[0]));
        const def = n.childForFieldName('definition');
        if (!def) return undefined;
        const node = def.type === 'class_definition' ? this.cls(def, decos) : this.func(def, decos);
        node.start = n.startIndex;
        return node;
      }
      case 'return_statement': {
        const k = this.named(n);
        return { type: 'Return', arg: k.length ? this.exprList(k, n) : undefined, ...this.pos(n) };
      }
      case 'raise_statement': {
        const k = this.named(n);
        return { type: 'Throw', arg: k.length ? this.expr(k[0]) : undefined, ...this.pos(n) };
      }
      case 'if_statement': return this.ifStmt(n);
      case 'for_statement': {
        const left = n.childForFieldName('left');
        const right = n.childForFieldName('right');
        return { type: 'Loop', kind: 'forOf', target: left ? this.expr(left) : undefined, iter: right ? this.expr(right) : undefined, body: this.block(n.childForFieldName('body')), header: [], ...this.pos(n) };
      }
      case 'while_statement': {
        const cond = n.childForFieldName('condition');
        return { type: 'Loop', kind: 'while', header: cond ? [this.expr(cond)] : [], body: this.block(n.childForFieldName('body')), ...this.pos(n) };
      }
      case 'try_statement': {
        const handlers: ir.Catch[] = [];
        let finalizer: ir.Node | undefined;
        let elseBlock: ir.Node | undefined;
        for (const c of this.named(n)) {
          if (c.type === 'except_clause' || c.type === 'except_group_clause') handlers.push(this.exceptClause(c));
          else if (c.type === 'finally_clause') finalizer = this.block(this.named(c).find((x) => x.type === 'block') ?? null);
          else if (c.type === 'else_clause') elseBlock = this.block(c.childForFieldName('body'));
        }
        const body = this.block(n.childForFieldName('body'));
        // A try's else runs after the body succeeds: model it as the body's tail.
        if (elseBlock && body.type === 'Block') body.body.push(elseBlock);
        return { type: 'Try', block: body, handlers, finalizer, ...this.pos(n) };
      }
      case 'with_statement': {
        const items: ir.Node[] = [];
        const clause = this.named(n).find((c) => c.type === 'with_clause');
        if (clause) for (const item of this.named(clause)) {
          const v = item.childForFieldName('value') ?? this.named(item)[0];
          if (!v) continue;
          if (v.type === 'as_pattern') {
            const [value, alias] = this.named(v);
            const target = alias ? this.expr(this.named(alias)[0] ?? alias) : undefined;
            items.push(target ? { type: 'Assign', target, value: this.expr(value), op: '=', ...this.pos(v) } : this.expr(value));
          } else items.push(this.expr(v));
        }
        return { type: 'With', items, body: this.block(n.childForFieldName('body')), ...this.pos(n) };
      }
      case 'import_statement': {
        const out: ir.Node[] = [];
        for (const c of this.named(n)) {
          if (c.type === 'dotted_name') out.push({ type: 'Import', module: c.text, names: [{ imported: '*', local: c.text.split('.')[0] }], ...this.pos(n) });
          else if (c.type === 'aliased_import') {
            const name = c.childForFieldName('name')?.text ?? '';
            const alias = c.childForFieldName('alias')?.text ?? name;
            out.push({ type: 'Import', module: name, names: [{ imported: '*', local: alias }], ...this.pos(n) });
          }
        }
        return out;
      }
      case 'import_from_statement': {
        const mod = n.childForFieldName('module_name')?.text ?? '';
        const names: ir.Import['names'] = [];
        for (const c of n.childrenForFieldName('name')) {
          if (!c) continue;
          if (c.type === 'aliased_import') names.push({ imported: c.childForFieldName('name')?.text ?? '', local: c.childForFieldName('alias')?.text ?? '' });
          else names.push({ imported: c.text, local: c.text.split('.').pop() ?? c.text });
        }
        return { type: 'Import', module: mod, names, ...this.pos(n) };
      }
      case 'block': return this.block(n);
      case 'pass_statement': case 'comment': return undefined;
      case 'break_statement': return this.other(n, 'break', []);
      case 'continue_statement': return this.other(n, 'continue', []);
      default:
        return this.other(n, n.type, this.named(n).map((c) => this.anyNode(c)));
    }
  }

  /**
   * Converts a node that may be a statement or an expression (inside unknown constructs, such as
   * the ERROR nodes of broken code). The kind is decided before converting: converting as a
   * statement and then again as an expression doubled the work at every level of nested errors,
   * which made a megabyte of random bytes take a minute.
   */
  protected anyNode(n: TSNode): ir.Node {
    if (DEFINITIONS.has(n.type) || /statement|clause|block/.test(n.type)) {
      const s = this.stmt(n);
      if (Array.isArray(s)) return { type: 'Block', body: s, ...this.pos(n) };
      if (s) return s;
    }
    return this.expr(n);
  }

  protected exceptClause(c: TSNode): ir.Catch {
    let param: ir.Node | undefined;
    let typeNode: ir.Node | undefined;
    let body: ir.Node = { type: 'Block', body: [], ...this.pos(c) };
    for (const k of this.named(c)) {
      if (k.type === 'block') body = this.block(k);
      else if (k.type === 'as_pattern') {
        const [t, alias] = this.named(k);
        typeNode = this.expr(t);
        if (alias) param = this.expr(this.named(alias)[0] ?? alias);
      } else if (!typeNode) typeNode = this.expr(k);
      else if (!param) param = this.expr(k);
    }
    return { type: 'Catch', param, typeNode, body, ...this.pos(c) };
  }

  protected ifStmt(n: TSNode): ir.If {
    const cond = n.childForFieldName('condition');
    const then = this.block(n.childForFieldName('consequence'));
    const alts = n.childrenForFieldName('alternative').filter((x): x is TSNode => !!x);
    // elif chains become nested Ifs so control-flow helpers see one shape for both languages.
    let elseNode: ir.Node | undefined;
    for (let i = alts.length - 1; i >= 0; i--) {
      const a = alts[i];
      if (a.type === 'else_clause') elseNode = this.block(a.childForFieldName('body'));
      else {
        const c = a.childForFieldName('condition');
        elseNode = { type: 'If', test: c ? this.expr(c) : this.other(a, 'missing', []), then: this.block(a.childForFieldName('consequence')), else: elseNode, ...this.pos(a) };
      }
    }
    return { type: 'If', test: cond ? this.expr(cond) : this.other(n, 'missing', []), then, else: elseNode, ...this.pos(n) };
  }

  protected func(n: TSNode, decorators: ir.Node[]): ir.Func {
    const body = n.childForFieldName('body');
    const isAsync = n.firstChild?.type === 'async';
    return {
      type: 'Func',
      name: n.childForFieldName('name')?.text,
      kind: 'decl',
      params: this.params(n.childForFieldName('parameters')),
      body: this.block(body),
      async: isAsync,
      decorators,
      bodyStart: body ? body.startIndex : n.endIndex,
      ...this.pos(n),
    };
  }

  protected cls(n: TSNode, decorators: ir.Node[]): ir.Class {
    const sup = n.childForFieldName('superclasses');
    const body = n.childForFieldName('body');
    return {
      type: 'Class',
      name: n.childForFieldName('name')?.text,
      body: body ? this.stmts(body).map((s) => this.methodize(s)) : [],
      decorators,
      bases: sup ? this.named(sup).map((c) => this.arg(c)) : [],
      ...this.pos(n),
    };
  }

  /** Functions directly in a class body are methods. */
  protected methodize(s: ir.Node): ir.Node {
    if (s.type === 'Func') s.kind = 'method';
    return s;
  }
}
