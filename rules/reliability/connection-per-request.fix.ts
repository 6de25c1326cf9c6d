// The fix of connection-per-request: move the construction to module scope (or call the module's
// memoised getter, or borrow from the module's psycopg2 pool) and drop the per-call close, or say
// why it cannot (arguments computed per call, listeners, one-time setup).
import * as ir from '../kit/model/ir';
import type { TextEdit } from '../kit/rule';
import type { Binding, CodeModel } from '../kit/model/model';
import { dbClientOf, type DbClient } from '../kit/frameworks/db-clients';
import { isMemoisedValue } from '../kit/frameworks/per-request';
import { indentAt, src } from '../kit/model/literals';
import { deleteStatements, statementLines, statementOf, withLeadingComments } from '../kit/fixes/stmt-edits';
import { excerpt } from '../kit/frameworks/redact';
import { borrowFromPool, usesOf } from './connection-per-request.fix-py';

/** Methods that shut an instance down: a shared instance must stay open. */
export const CLOSE_METHODS = /^(end|close|disconnect|\$disconnect|quit|destroy|dispose)$/;
/** Listeners added per call to a shared instance would pile up. */
const LISTENER_METHODS = /^(on|once|addListener|prependListener)$/;
/** Globals a hoisted constructor may read at module scope. */
const JS_GLOBALS = new Set(['process', 'globalThis', 'JSON', 'Number', 'String', 'Boolean', 'parseInt', 'parseFloat', 'Math', 'Buffer', 'URL', 'undefined', 'require', '__dirname', '__filename', 'Infinity', 'NaN', 'Object', 'Array']);

export type Plan = { edits: TextEdit[] } | { reason: string };

export function planFix(model: CodeModel, call: ir.Call, client: DbClient): Plan {
  if (client.kind === 'connection') return model.lang === 'py' ? borrowFromPool(model, call) ?? { reason: 'only psycopg2 connections are moved to a pool by the fix: create a module-level pool of your driver and borrow from it' } : { reason: client.noHoist ?? 'a single connection cannot be shared between concurrent requests' };
  if (client.noHoist) return { reason: client.noHoist };
  const args = moduleLevelArgs(model, call);
  if ('local' in args) return { reason: `its arguments use ${args.local}, which is computed per call: keep one instance per distinct value in a module-level Map instead` };
  return hoist(model, call, client, args.refs) ?? { reason: 'the instance is not a plain declaration used only through its methods in this function, so moving it to module scope could change what other code sees: hoist it by hand' };
}

/** The module-level bindings a constructor's arguments use, or the first per-call name they use. */
function moduleLevelArgs(model: CodeModel, call: ir.Call): { refs: Binding[] } | { local: string } {
  const refs: Binding[] = [];
  let local: string | undefined;
  let unknown: string | undefined;
  for (const a of call.args) {
    ir.walk(a, (n) => {
      if (local) return false;
      if (n.type === 'Other' && n.kind === 'this') { local = 'this'; return false; }
      if (n.type === 'Func') { local = 'a function defined in the call'; return false; }
      if (n.type !== 'Ident') return;
      const b = model.resolve(n);
      if (!b) {
        if (model.lang === 'js' && !JS_GLOBALS.has(n.name)) unknown ??= n.name;
        return;
      }
      if (b.scope.type !== 'Program') local = memberChain(model, n);
      else if (!refs.includes(b)) refs.push(b);
    });
  }
  // A name the file never declares may be a per-request global: do not move it either.
  const blocker = local ?? unknown;
  return blocker ? { local: blocker } : { refs };
}

/** `req.params.tenant` for the `req` of that expression. */
function memberChain(model: CodeModel, id: ir.Ident): string {
  let n: ir.Node = id;
  while (n.parent?.type === 'Member' && n.parent.object === n) n = n.parent;
  return excerpt(model, n, 80);
}

/** Moves the construction to module scope and rewrites the function to use the shared instance. */
function hoist(model: CodeModel, call: ir.Call, client: DbClient, refs: Binding[]): Plan | undefined {
  const text = model.text;
  const js = model.lang === 'js';
  const fn = ir.enclosingFunction(call);
  if (!fn) return undefined;
  let value: ir.Node = call;
  while (value.parent && (value.parent.type === 'Await' || (value.parent.type === 'Other' && value.parent.kind === 'paren'))) value = value.parent;
  const decl = value.parent;
  const isDecl = decl?.type === 'Assign' && decl.value === value && decl.target.type === 'Ident' && decl.op === '=' && (js ? !!decl.decl : true) && statementOf(decl) === decl;
  const binding = isDecl ? model.resolve(decl.target as ir.Ident) : undefined;
  if (isDecl && (!binding || binding.scope !== fn || binding.assigns.length !== 1)) return undefined;
  const localName = isDecl ? (decl.target as ir.Ident).name : client.name;
  const uses = binding ? usesOf(model, binding, decl as ir.Assign) : [];

  // What the function does with the instance: closing goes, listeners and one-time setup block the fix.
  const closes: ir.Node[] = [];
  for (const u of uses) {
    const m = u.parent;
    const method = m?.type === 'Member' && m.object === u && m.parent?.type === 'Call' && m.parent.callee === m ? m.prop : undefined;
    if (method && LISTENER_METHODS.test(method)) return { reason: `the function adds listeners to it with ${method}()` };
    if (method && client.onceMethods?.includes(method)) return { reason: `${method}() must run once per instance: create and ${method}() it once at startup` };
    if (method && CLOSE_METHODS.test(method)) {
      const stmt = statementOf(m!.parent!);
      const expr = stmt?.type === 'ExprStmt' ? ir.unwrap(stmt.expr) : undefined;
      if (!stmt || expr !== m!.parent) return undefined;
      closes.push(stmt);
      continue;
    }
    if (u.parent?.type === 'Prop' && u.parent.shorthand) return undefined;
  }

  const callText = src(model, call);
  // A memoised getter for the same construction already exists: call it instead.
  const getter = memoisedGetter(model, callText);
  if (getter) {
    const edits: TextEdit[] = [{ start: value.start, end: value.end, newText: `${getter}()` }];
    const removed = closes.length ? deleteStatements(model, closes) : [];
    return removed ? { edits: [...edits, ...removed] } : undefined;
  }

  // The shared name: the local name when free at module scope (or bound to the same construction).
  const moduleScope = model.bindings(model.root);
  // Taken: declared at module scope, in a function around this one, or in this one (other than the moved declaration).
  const taken = (n: string) => moduleScope.has(n) || boundOutside(model, fn, n) || (model.bindings(fn).has(n) && !(isDecl && n === localName));
  // A module-level instance built by the same call already exists: use it.
  const same = moduleInstances(model).get(squash(callText));
  const reuse = !!same && !boundOutside(model, fn, same.name) && (same.name === localName || !model.bindings(fn).has(same.name));
  let name = reuse ? same!.name : localName;
  if (!reuse) {
    if (taken(name)) {
      const cap = name[0].toUpperCase() + name.slice(1);
      name = [js ? `shared${cap}` : `shared_${name}`, `${name}2`, `${name}3`].find((n) => !taken(n)) ?? '';
      if (!name) return undefined;
    }
  }

  const edits: TextEdit[] = [];
  let moved = '';
  if (isDecl) {
    const lines = statementLines(model, decl!);
    if (!lines) return undefined;
    const commentStart = withLeadingComments(model, lines.start);
    const indent = indentAt(text, decl!.start);
    if (!reuse) {
      const comments = text.slice(commentStart, lines.start).split('\n').map((l) => l.slice(indent.length)).join('\n');
      const stmtText = text.slice(lines.start, lines.end).replace(/\n$/, '');
      moved = comments + dedent(stmtText.slice(indent.length), indent);
      if (value !== call) moved = moved.replace(text.slice(value.start, value.end), callText);
      if (name !== localName) moved = moved.replace(new RegExp(`^((?:export\\s+)?(?:const|let|var)\\s+)?${localName}\\b`, 'm'), `$1${name}`);
    }
    edits.push({ start: commentStart, end: lines.end, newText: '' });
  } else {
    const indent = indentAt(text, statementOf(call)?.start ?? call.start);
    moved = js ? `const ${name} = ${dedent(callText, indent)}${usesSemicolons(model) ? ';' : ''}` : `${name} = ${dedent(callText, indent)}`;
    edits.push({ start: value.start, end: value.end, newText: name });
  }
  if (!reuse) {
    const at = insertionPoint(model, refs);
    if (at === undefined) return undefined;
    const nextLineBlank = /^[ \t]*(\n|$)/.test(text.slice(at.offset));
    edits.push({ start: at.offset, end: at.offset, newText: at.blankAround ? `\n${moved}\n${nextLineBlank ? '' : '\n'}` : `${moved}\n` });
  }
  if (name !== localName) for (const u of uses) if (!closes.some((c) => ir.isInside(u, c))) edits.push({ start: u.start, end: u.end, newText: name });
  if (closes.length) {
    const removed = deleteStatements(model, closes);
    if (!removed) return undefined;
    edits.push(...removed);
  }
  return overlapping(edits) ? undefined : { edits };
}

/** A module-level, parameterless function that builds the same construction once (`getPool()` with `pool ??= new Pool(...)`). */
function memoisedGetter(model: CodeModel, callText: string): string | undefined {
  return memoisedGetters(model).get(squash(callText));
}

/**
 * The file's memoised getters by the construction they build (whitespace removed), the first
 * getter of the file winning: built once per file, since every finding asks for them.
 */
function memoisedGetters(model: CodeModel): Map<string, string> {
  return model.cached('connection-per-request:getters', () => {
    const out = new Map<string, string>();
    const moduleScope = model.bindings(model.root);
    for (const f of model.functions) {
      if (f.params.length || !f.name || topLevel(f) === undefined || ir.enclosingFunction(f)) continue;
      if (moduleScope.get(f.name)?.value !== f) continue;
      const seen = new Set<string>();
      ir.walk(f.body, (n) => {
        if (n.type === 'Func') return false;
        if (n.type !== 'Call') return;
        // The first call of each construction in the getter decides, as a search for it would.
        const key = squash(src(model, n));
        if (seen.has(key)) return;
        seen.add(key);
        if (!out.has(key) && isMemoisedValue(model, n)) out.set(key, f.name!);
      });
    }
    return out;
  });
}

/** Module-level variables by the construction they hold (whitespace removed), first one winning. */
function moduleInstances(model: CodeModel): Map<string, Binding> {
  return model.cached('connection-per-request:instances', () => {
    const out = new Map<string, Binding>();
    for (const b of model.bindings(model.root).values()) {
      if (b.kind !== 'var' || b.assigns.length > 1 || !b.value) continue;
      // Only a call's text can equal a construction's: module-level functions and objects (often
      // most of the file) are not copied and squashed.
      const value = ir.unwrap(b.value);
      if (value.type !== 'Call') continue;
      const key = squash(src(model, value));
      if (!out.has(key)) out.set(key, b);
    }
    return out;
  });
}

/** True when a function enclosing `fn` binds the name, which would shadow a module-level one. */
function boundOutside(model: CodeModel, fn: ir.Func, name: string): boolean {
  for (let f = ir.enclosingFunction(fn); f; f = ir.enclosingFunction(f)) if (model.bindings(f).has(name)) return true;
  return false;
}

/**
 * Where the shared instance goes: after the imports (and requires), and after the module-level
 * statements declaring the names its arguments use.
 */
function insertionPoint(model: CodeModel, refs: Binding[]): { offset: number; blankAround: boolean } | undefined {
  const body = model.root.body;
  let anchor: ir.Node | undefined;
  let isImport = false;
  for (const s of body) {
    if (s.type === 'Import' || isRequire(s) || (model.lang === 'py' && s.type === 'ExprStmt' && s.expr.type === 'Str' && s === body[0])) { anchor = s; isImport = true; }
  }
  for (const b of refs) {
    if (b.kind === 'import') continue;
    const stmt = topLevel(b.node);
    if (stmt && (!anchor || stmt.end > anchor.end)) { anchor = stmt; isImport = false; }
  }
  if (!anchor) return { offset: 0, blankAround: false };
  // Shared instances already placed there stay first, so several hoisted ones keep source order.
  for (let i = body.indexOf(anchor) + 1; i < body.length && isSharedInstance(model, body[i]); i++) anchor = body[i];
  const text = model.text;
  let end = text.indexOf('\n', anchor.end);
  if (end === -1) return undefined;
  end += 1;
  return { offset: end, blankAround: isImport };
}

function isSharedInstance(model: CodeModel, s: ir.Node): boolean {
  if (s.type !== 'Assign' || !s.value || s.target.type !== 'Ident') return false;
  const v = ir.unwrap(s.value);
  return v.type === 'Call' && !!dbClientOf(model, v);
}

function isRequire(s: ir.Node): boolean {
  if (s.type !== 'Assign' || !s.value) return false;
  let v = ir.unwrap(s.value);
  while (v.type === 'Member') v = ir.unwrap(v.object);
  return v.type === 'Call' && v.callee.type === 'Ident' && v.callee.name === 'require';
}

function topLevel(n: ir.Node): ir.Node | undefined {
  let cur: ir.Node | undefined = n;
  while (cur && cur.parent && cur.parent.type !== 'Program') cur = cur.parent;
  return cur?.parent ? cur : undefined;
}

/** Removes the function's indentation from the continuation lines of a moved statement. */
function dedent(s: string, indent: string): string {
  return s.split('\n').map((l, i) => (i && l.startsWith(indent) ? l.slice(indent.length) : l)).join('\n');
}

function squash(s: string): string {
  return s.replace(/\s+/g, '');
}

function usesSemicolons(model: CodeModel): boolean {
  return model.cached('usesSemicolons', () => /;\s*$/m.test(model.text));
}

function overlapping(edits: TextEdit[]): boolean {
  const sorted = [...edits].sort((a, b) => a.start - b.start);
  for (let i = 1; i < sorted.length; i++) if (sorted[i].start < sorted[i - 1].end) return true;
  return false;
}
