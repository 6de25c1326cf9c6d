// The connection-per-request fix for psycopg2 in Python views: `conn = psycopg2.connect(dsn)`
// borrows from a module-level pool instead (`pool.getconn()`), reusing one the module has for the
// same arguments or creating a ThreadedConnectionPool, and the connection goes back to the pool
// (`pool.putconn(conn)`) where it was closed in a `finally`, or in a `finally` wrapped around the
// rest of the block when it was closed elsewhere or not at all.
import * as ir from '../kit/model/ir';
import type { TextEdit } from '../kit/rule';
import type { Binding, CodeModel } from '../kit/model/model';
import { qualifiedCallee } from '../kit/frameworks/db-clients';
import { indentAt, indentUnit, lineStartOf, src } from '../kit/model/literals';
import { statementLines, statementOf } from '../kit/fixes/stmt-edits';

type Plan = { edits: TextEdit[] } | { reason: string };

/** The plan for a `psycopg2.connect(...)` call, or undefined when the call is another driver's. */
export function borrowFromPool(model: CodeModel, call: ir.Call): Plan | undefined {
  if (!/^psycopg2\.connect$/.test(qualifiedCallee(model, call) ?? '')) return undefined;
  if (call.args.some((a) => a.type === 'Spread' || (a.type === 'Keyword' && a.value.type === 'Spread'))) return { reason: 'the connection arguments are unpacked from a value the fix cannot copy to a pool' };
  const decl = call.parent;
  if (decl?.type !== 'Assign' || decl.value !== call || decl.target.type !== 'Ident' || statementOf(decl) !== decl) return { reason: 'the connection is not assigned to a name of its own (a with-statement or an expression), where it could be borrowed from a pool' };
  const binding = model.resolve(decl.target);
  if (!binding || binding.assigns.length !== 1) return { reason: `${decl.target.name} is assigned more than once` };
  const local = perCallName(model, call);
  if (local) return { reason: `its arguments use ${local}, which is computed per call: keep a pool per distinct value instead` };
  const uses = usesOf(model, binding, decl);
  if (uses.some((u) => u.parent?.type === 'Return' || (u.parent?.type === 'Other' && u.parent.kind === 'yield'))) {
    return { reason: `${decl.target.name} is handed to the caller, which would have to give it back to the pool` };
  }
  const args = call.args.map((a) => src(model, a)).join(', ');
  const existing = poolFor(model, args);
  const pool = existing ?? freeName(model, 'db_pool');
  const conn = decl.target.name;
  const edits: TextEdit[] = [{ start: call.start, end: call.end, newText: `${pool}.getconn()` }];
  const closes = uses.map((u) => u.parent).filter((m): m is ir.Member => m?.type === 'Member' && m.prop === 'close' && m.parent?.type === 'Call' && m.parent.callee === m);
  const closeStmts = closes.map((m) => statementOf(m.parent!));
  if (closes.length && closeStmts.every((st) => st?.type === 'ExprStmt' && inFinally(st))) {
    for (const m of closes) edits.push({ start: m.parent!.start, end: m.parent!.end, newText: `${pool}.putconn(${conn})` });
  } else {
    const wrap = wrapRest(model, decl, closeStmts, `${pool}.putconn(${conn})`);
    if ('reason' in wrap) return wrap;
    edits.push(...wrap.edits);
  }
  if (!existing) {
    const created = createPool(model, pool, args);
    if (!created) return { reason: 'no place at module level after the names its arguments use to create the pool' };
    edits.push(...created);
  } else edits.push(...unusedImportEdits(model, call));
  return { edits };
}

/** A module-level psycopg2 pool opened with the same connection arguments. */
function poolFor(model: CodeModel, args: string): string | undefined {
  for (const b of model.bindings(model.root).values()) {
    const v = b.kind === 'var' && b.value ? ir.unwrap(b.value) : undefined;
    if (v?.type !== 'Call' || !/^psycopg2\.pool\.(Simple|Threaded)ConnectionPool$/.test(qualifiedCallee(model, v) ?? '')) continue;
    const rest = v.args.filter((a) => !(a.type === 'Keyword' && /^(minconn|maxconn)$/.test(a.name))).slice(v.args.some((a) => a.type === 'Keyword' && a.name === 'minconn') ? 0 : 2);
    const restText = rest.map((a) => (a.type === 'Keyword' && a.name === 'dsn' ? src(model, a.value) : src(model, a))).join(',');
    if (squash(restText) === squash(args)) return b.name;
  }
  return undefined;
}

/** The name of a per-call value the connection arguments use, if any. */
function perCallName(model: CodeModel, call: ir.Call): string | undefined {
  let found: string | undefined;
  for (const a of call.args) {
    ir.walk(a, (n) => {
      if (found || n.type !== 'Ident' || (n.parent?.type === 'Keyword' && (n.parent as ir.Keyword).value !== n)) return;
      const b = model.resolve(n);
      if (b && b.scope.type !== 'Program') found = n.name;
    });
  }
  return found;
}

/**
 * `try:` around the statements after the connection is opened in its block, `finally:` giving it
 * back; its own `close()` statements at that level go (a closed connection is not reused).
 */
function wrapRest(model: CodeModel, decl: ir.Assign, closes: (ir.Node | undefined)[], putBack: string): Plan {
  const block = decl.parent;
  if (block?.type !== 'Block') return { reason: 'the connection is opened outside a block of statements' };
  const rest = block.body.slice(block.body.indexOf(decl) + 1);
  const kept = rest.filter((st) => !closes.includes(st));
  if (!kept.length) return { reason: 'nothing uses the connection after it is opened' };
  const text = model.text;
  const unit = indentUnit(text);
  const indent = indentAt(text, rest[0].start);
  const start = lineStartOf(text, rest[0].start);
  const last = rest[rest.length - 1];
  let end = text.indexOf('\n', last.end);
  end = end === -1 ? text.length : end;
  let body = '';
  for (const st of rest) {
    if (closes.includes(st)) continue;
    const lines = text.slice(lineStartOf(text, st.start), lineEndOf(text, st.end)).split('\n');
    body += lines.map((l) => (l.trim() ? unit + l : l)).join('\n') + '\n';
  }
  return { edits: [{ start, end, newText: `${indent}try:\n${body}${indent}finally:\n${indent}${unit}${putBack}` }] };
}

function lineEndOf(text: string, at: number): number {
  const nl = text.indexOf('\n', at);
  return nl === -1 ? text.length : nl;
}

/** `db_pool = psycopg2.pool.ThreadedConnectionPool(1, 10, <args>)` after the imports and the names the arguments use. */
function createPool(model: CodeModel, name: string, args: string): TextEdit[] | undefined {
  const body = model.root.body;
  const used = new Set<ir.Node>();
  let anchor: ir.Node | undefined;
  for (const s of body) if (s.type === 'Import') anchor = s;
  for (const s of body) {
    if (s.type !== 'Assign' || s.target.type !== 'Ident') continue;
    if (new RegExp(`\\b${s.target.name}\\b`).test(args)) { used.add(s); if (!anchor || s.end > anchor.end) anchor = s; }
  }
  if (!anchor) return undefined;
  const text = model.text;
  const at = lineEndOf(text, anchor.end) + 1;
  const edits: TextEdit[] = [{ start: at, end: at, newText: `${anchor.type === 'Import' ? '\n' : ''}${name} = psycopg2.pool.ThreadedConnectionPool(1, 10, ${args})\n` }];
  const hasPoolImport = model.imports.some((i) => i.module === 'psycopg2.pool' && /^import\s/.test(text.slice(i.start, i.end)));
  const plain = model.imports.find((i) => i.module === 'psycopg2' && /^import\s+psycopg2\s*$/.test(text.slice(i.start, i.end)));
  if (!hasPoolImport) {
    if (!plain) return undefined;
    const lineEnd = lineEndOf(text, plain.end);
    edits.push({ start: lineEnd, end: lineEnd, newText: '\nimport psycopg2.pool' });
  }
  return edits;
}

function freeName(model: CodeModel, base: string): string {
  let name = base;
  for (let i = 2; model.resolve(name, model.root) || new RegExp(`\\b${name}\\b`).test(model.text); i++) name = `${base}${i}`;
  return name;
}

/** `import psycopg2` goes when the replaced call was its only use. */
function unusedImportEdits(model: CodeModel, call: ir.Call): TextEdit[] {
  let root = ir.unwrap(call.callee);
  while (root.type === 'Member') root = ir.unwrap(root.object);
  if (root.type !== 'Ident') return [];
  const name = root.name;
  const b = model.resolve(root);
  if (b?.kind !== 'import' || b.node.type !== 'Import' || b.node.names.length !== 1) return [];
  const others = model.identsNamed(name).filter((n) => n !== root && !ir.isInside(n, b.node));
  if (others.length) return [];
  const lines = statementLines(model, b.node);
  return lines ? [{ start: lines.start, end: lines.end, newText: '' }] : [];
}

function inFinally(stmt: ir.Node): boolean {
  for (let p = stmt.parent; p && p.type !== 'Func'; p = p.parent) {
    const t = p.parent;
    if (t?.type === 'Try' && t.finalizer === p) return true;
  }
  return false;
}

/** References to a local binding (its declaration excluded). */
export function usesOf(model: CodeModel, b: Binding, decl: ir.Assign): ir.Ident[] {
  return model.identsNamedIn(b.name, b.scope).filter((n) => n !== decl.target && ir.isInside(n, b.scope) && model.resolve(n) === b);
}

function squash(s: string): string {
  return s.replace(/\s+/g, '');
}
