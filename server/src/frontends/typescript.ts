// JS/TS front end: the TypeScript compiler's parser (syntax only, no type checker) turned
// into the language-neutral tree of rules/kit/ir.ts.
// A plain require: `import * as` wraps the module in getters (esModuleInterop, and esbuild's
// bundle), which every ts.isX / ts.SyntaxKind access in the converter would then pay for.
import ts = require('typescript');
import * as ir from '../../../rules/kit/model/ir';
import type { ParseResult, SyntaxProblem } from './types';
import { SK, TsExprConverter } from './typescript-exprs';
import { ConversionGuard } from './guard';

export function scriptKindFor(file: string): ts.ScriptKind {
  const lower = file.toLowerCase();
  if (lower.endsWith('.tsx')) return ts.ScriptKind.TSX;
  if (lower.endsWith('.jsx')) return ts.ScriptKind.JSX;
  if (/\.[cm]?ts$/.test(lower)) return ts.ScriptKind.TS;
  // Plain .js often holds JSX in React projects; the JSX grammar is a superset for our purposes.
  return ts.ScriptKind.JSX;
}

export function parseTypeScript(file: string, text: string, guard = new ConversionGuard()): ParseResult {
  return convertSourceFile(createSourceFile(file, text), guard).parsed;
}

export function createSourceFile(file: string, text: string): ts.SourceFile {
  // JSDoc is never read by a rule; skipping its parse saves a few percent of every analysis.
  return ts.createSourceFile(file, text, { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone }, false, scriptKindFor(file));
}

/**
 * The IR of each top-level statement, by the compiler's node for it, with that node's end offset
 * when it was converted: after an incremental parse the compiler hands back the same node object
 * for a statement the edit did not touch (moved by the length change when it lies after the
 * edit), and its IR is reused, re-based by how far the node moved (typescript-incremental.ts).
 */
export type StatementIr = Map<ts.Node, { nodes: ir.Node[]; end: number }>;

/** Converts a parsed file to the IR, reusing the IR of the statements `previous` holds. */
export function convertSourceFile(sf: ts.SourceFile, guard: ConversionGuard, previous?: StatementIr, rebase?: (nodes: ir.Node[], delta: number) => void): { parsed: ParseResult; statements: StatementIr; reused: number } {
  guard.watch?.check();
  const conv = new Converter(sf, guard);
  const statements: StatementIr = new Map();
  const body: ir.Node[] = [];
  let reused = 0;
  for (const s of sf.statements) {
    const old = previous?.get(s);
    let nodes: ir.Node[];
    if (old && rebase) {
      nodes = old.nodes;
      reused++;
      if (s.end !== old.end) rebase(nodes, s.end - old.end);
    } else {
      const c = conv.statement(s);
      nodes = Array.isArray(c) ? c : c ? [c] : [];
    }
    statements.set(s, { nodes, end: s.end });
    for (const n of nodes) body.push(n);
  }
  const root: ir.Program = { type: 'Program', start: 0, end: sf.text.length, body };
  ir.linkParents(root);
  const diags = (sf as unknown as { parseDiagnostics?: ts.DiagnosticWithLocation[] }).parseDiagnostics ?? [];
  const problems: SyntaxProblem[] = diags.slice(0, 20).map((d) => ({
    start: d.start,
    end: d.start + (d.length || 0),
    message: ts.flattenDiagnosticMessageText(d.messageText, '\n'),
  }));
  return { parsed: { root, problems, comments: collectComments(sf.text, '//') }, statements, reused };
}

/** Line comments and block comments, cheap scan used for suppressions; strings are skipped. */
function collectComments(text: string, _kind: string): { start: number; end: number; text: string }[] {
  const out: { start: number; end: number; text: string }[] = [];
  // Only suppression comments matter, so look for the marker first: most files have none.
  let idx = text.indexOf('vibeguard-');
  while (idx !== -1) {
    const lineStart = text.lastIndexOf('\n', idx) + 1;
    let lineEnd = text.indexOf('\n', idx);
    if (lineEnd === -1) lineEnd = text.length;
    const line = text.slice(lineStart, lineEnd);
    const rel = line.search(/\/\/|\/\*|^\s*\*/);
    if (rel !== -1 && lineStart + rel < idx) out.push({ start: lineStart + rel, end: lineEnd, text: line.slice(rel) });
    idx = text.indexOf('vibeguard-', lineEnd);
  }
  return out;
}

class Converter extends TsExprConverter {
  statement(n: ts.Node): ir.Node | ir.Node[] | undefined { return this.stmt(n); }

  protected isExported(n: ts.Node): boolean {
    const mods = ts.canHaveModifiers(n) ? ts.getModifiers(n) : undefined;
    return !!mods?.some((m) => m.kind === SK.ExportKeyword);
  }

  protected stmt(n: ts.Node): ir.Node | ir.Node[] | undefined {
    this.guard.enter(n.pos);
    const out = this.stmtNode(n);
    this.guard.leave();
    return out;
  }

  private stmtNode(n: ts.Node): ir.Node | ir.Node[] | undefined {
    switch (n.kind) {
      case SK.VariableStatement: {
        const v = n as ts.VariableStatement;
        const decls = this.varDecls(v.declarationList);
        if (this.isExported(v)) for (const d of decls) (d as ir.Assign & { exported?: boolean }).exported = true;
        return decls;
      }
      case SK.ExpressionStatement:
        return { type: 'ExprStmt', expr: this.expr((n as ts.ExpressionStatement).expression), start: this.start(n), end: n.end };
      case SK.FunctionDeclaration: {
        const f = this.func(n as ts.FunctionDeclaration, 'decl');
        f.exported = this.isExported(n);
        return f;
      }
      case SK.ClassDeclaration: return this.cls(n as ts.ClassDeclaration);
      case SK.ReturnStatement: {
        const r = n as ts.ReturnStatement;
        return { type: 'Return', arg: r.expression ? this.expr(r.expression) : undefined, start: this.start(n), end: n.end };
      }
      case SK.ThrowStatement: {
        const r = n as ts.ThrowStatement;
        return { type: 'Throw', arg: this.expr(r.expression), start: this.start(n), end: n.end };
      }
      case SK.IfStatement: {
        const i = n as ts.IfStatement;
        return { type: 'If', test: this.expr(i.expression), then: this.block(i.thenStatement), else: i.elseStatement ? this.block(i.elseStatement) : undefined, start: this.start(n), end: n.end };
      }
      case SK.Block: return this.block(n);
      case SK.ForOfStatement: case SK.ForInStatement: {
        const f = n as ts.ForOfStatement | ts.ForInStatement;
        const target = ts.isVariableDeclarationList(f.initializer)
          ? this.pattern(f.initializer.declarations[0].name)
          : this.expr(f.initializer as ts.Expression);
        return { type: 'Loop', kind: n.kind === SK.ForOfStatement ? 'forOf' : 'forIn', iter: this.expr(f.expression), target, body: this.block(f.statement), header: [], start: this.start(n), end: n.end };
      }
      case SK.ForStatement: {
        const f = n as ts.ForStatement;
        const header: ir.Node[] = [];
        if (f.initializer) {
          if (ts.isVariableDeclarationList(f.initializer)) header.push(...this.varDecls(f.initializer));
          else header.push(this.expr(f.initializer));
        }
        if (f.condition) header.push(this.expr(f.condition));
        if (f.incrementor) header.push(this.expr(f.incrementor));
        return { type: 'Loop', kind: 'for', header, body: this.block(f.statement), start: this.start(n), end: n.end };
      }
      case SK.WhileStatement: case SK.DoStatement: {
        const w = n as ts.WhileStatement | ts.DoStatement;
        return { type: 'Loop', kind: n.kind === SK.WhileStatement ? 'while' : 'doWhile', header: [this.expr(w.expression)], body: this.block(w.statement), start: this.start(n), end: n.end };
      }
      case SK.TryStatement: {
        const t = n as ts.TryStatement;
        const handlers: ir.Catch[] = [];
        if (t.catchClause) {
          const c = t.catchClause;
          handlers.push({ type: 'Catch', param: c.variableDeclaration ? this.pattern(c.variableDeclaration.name) : undefined, body: this.block(c.block), start: this.start(c), end: c.end });
        }
        return { type: 'Try', block: this.block(t.tryBlock), handlers, finalizer: t.finallyBlock ? this.block(t.finallyBlock) : undefined, start: this.start(n), end: n.end };
      }
      case SK.ImportDeclaration: return this.importDecl(n as ts.ImportDeclaration);
      case SK.ImportEqualsDeclaration: {
        const d = n as ts.ImportEqualsDeclaration;
        if (ts.isExternalModuleReference(d.moduleReference) && ts.isStringLiteral(d.moduleReference.expression)) {
          return { type: 'Import', module: d.moduleReference.expression.text, names: [{ imported: '*', local: d.name.text }], start: this.start(n), end: n.end };
        }
        return undefined;
      }
      case SK.ExportAssignment: {
        const e = n as ts.ExportAssignment;
        const value = this.expr(e.expression);
        if (value.type === 'Func') value.exported = true;
        return this.other(n, 'exportDefault', [value]);
      }
      case SK.ExportDeclaration: return undefined;
      case SK.InterfaceDeclaration: case SK.TypeAliasDeclaration: case SK.EmptyStatement:
      case SK.DebuggerStatement: case SK.BreakStatement: case SK.ContinueStatement:
        return n.kind === SK.BreakStatement || n.kind === SK.ContinueStatement ? this.other(n, n.kind === SK.BreakStatement ? 'break' : 'continue', []) : undefined;
      case SK.SwitchStatement: {
        const s = n as ts.SwitchStatement;
        const kids: ir.Node[] = [this.expr(s.expression)];
        for (const clause of s.caseBlock.clauses) {
          const body: ir.Node[] = [];
          if (ts.isCaseClause(clause)) body.push(this.expr(clause.expression));
          body.push({ type: 'Block', body: this.stmts(clause.statements), start: this.start(clause), end: clause.end });
          kids.push(this.other(clause, 'case', body));
        }
        return this.other(n, 'switch', kids);
      }
      case SK.LabeledStatement: return this.stmt((n as ts.LabeledStatement).statement);
      case SK.ModuleDeclaration: {
        const m = n as ts.ModuleDeclaration;
        return m.body && ts.isModuleBlock(m.body) ? this.other(n, 'namespace', this.stmts(m.body.statements)) : undefined;
      }
      case SK.EnumDeclaration: return undefined;
      default:
        if (ts.isExpression(n)) return { type: 'ExprStmt', expr: this.expr(n), start: this.start(n), end: n.end };
        return this.other(n, SK[n.kind], this.genericKids(n));
    }
  }

  protected importDecl(d: ts.ImportDeclaration): ir.Import {
    const module = ts.isStringLiteral(d.moduleSpecifier) ? d.moduleSpecifier.text : '';
    const names: ir.Import['names'] = [];
    const clause = d.importClause;
    if (clause) {
      if (clause.name) names.push({ imported: 'default', local: clause.name.text });
      const nb = clause.namedBindings;
      if (nb) {
        if (ts.isNamespaceImport(nb)) names.push({ imported: '*', local: nb.name.text });
        else for (const el of nb.elements) names.push({ imported: (el.propertyName ?? el.name).text, local: el.name.text });
      }
    }
    return { type: 'Import', module, names, start: this.start(d), end: d.end };
  }

  protected varDecls(list: ts.VariableDeclarationList): ir.Node[] {
    const flags = list.flags;
    const decl: ir.Assign['decl'] = flags & ts.NodeFlags.Const ? 'const' : flags & ts.NodeFlags.Let ? 'let' : 'var';
    const out: ir.Node[] = [];
    for (const d of list.declarations) {
      const value = d.initializer ? this.expr(d.initializer) : undefined;
      if (ts.isIdentifier(d.name)) this.nameAnonymous(value, d.name.text);
      out.push({ type: 'Assign', target: this.pattern(d.name), value, op: '=', decl, start: this.start(d), end: d.end });
    }
    return out;
  }
}
