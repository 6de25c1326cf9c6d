// The code model: the syntax tree plus the facts rules share, computed lazily once per
// document version: functions, calls, imports, and name bindings per scope.
import * as ir from './ir';
import type { ModuleLoader } from './modules';
import type { WorkspaceIndex } from './workspace';
import { patternNames } from './patterns';

export type Scope = ir.Func | ir.Program;

export interface Binding {
  name: string;
  scope: Scope;
  kind: 'param' | 'var' | 'func' | 'class' | 'import';
  /** const/let/var for JS declarations. */
  decl?: 'const' | 'let' | 'var';
  /** Every assignment to the name in its scope (declaration included), in source order. */
  assigns: ir.Assign[];
  /**
   * The value the name is bound to at its declaration: the initialiser, or for destructuring a
   * synthetic Member/Index over the initialiser (`const { email } = req.body` gives `req.body.email`).
   */
  value?: ir.Node;
  /** The declaring node: Func for params and functions, Import, Class or Assign. */
  node: ir.Node;
  /** For params: the parameter's position. */
  paramIndex?: number;
  /** For imports: the module and the imported name. */
  module?: string;
  imported?: string;
}

/** Line starts of a text; \r\n, \r and \n each end a line, as in LSP and editors. */
export class LineIndex {
  private starts: number[];
  constructor(text: string) {
    const s = [0];
    if (!text.includes('\r')) {
      for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) s.push(i + 1);
    } else {
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
        if (c === 13 || c === 10) s.push(i + 1);
      }
    }
    this.starts = s;
  }
  /** 0-based line and character (UTF-16) of an offset. */
  position(offset: number): { line: number; character: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid; else hi = mid - 1;
    }
    return { line: lo, character: offset - this.starts[lo] };
  }
}

export class CodeModel {
  private _lines?: LineIndex;
  private scopes = new Map<Scope, Map<string, Binding>>();
  private memo = new Map<string, unknown>();
  /** The file is test code (set by the engine from the workspace's test-file definition). */
  testCode = false;
  /** Reads other modules of the workspace (set by the engine; absent for snippets and other files loaded through it). */
  loader?: ModuleLoader;
  /** The other files of the workspace, for facts that span files (set by the engine when it knows the workspace). */
  workspace?: WorkspaceIndex;

  constructor(
    readonly lang: ir.Lang,
    readonly file: string,
    readonly text: string,
    readonly root: ir.Program,
  ) {}

  get lines(): LineIndex { return (this._lines ??= new LineIndex(this.text)); }

  /** Places where an analysis stopped following the code at a depth limit; the engine reports them. */
  readonly limits: { at: number; what: string }[] = [];

  noteLimit(at: number, what: string): void {
    if (this.limits.length < 20 && !this.limits.some((l) => l.at === at && l.what === what)) this.limits.push({ at, what });
  }

  /**
   * Workspace fact files (schemas, lockfiles, manifests) a rule read facts from but that were
   * skipped or read in part, with why; the engine reports each as a notice naming the file.
   */
  readonly skippedFactFiles: { file: string; reason: string }[] = [];

  noteSkippedFactFile(file: string, reason: string): void {
    if (this.skippedFactFiles.length < 20 && !this.skippedFactFiles.some((s) => s.file === file)) this.skippedFactFiles.push({ file, reason });
  }

  private readonly tables = new Map<string, Map<unknown, unknown>>();

  /**
   * A per-file table of facts by node, one per key, made on first use: for facts asked about every
   * call or function (SQL sinks, effects, flows), without a closure allocated per question.
   */
  table<K, V>(key: string): Map<K, V> {
    let t = this.tables.get(key);
    if (!t) this.tables.set(key, (t = new Map()));
    return t as Map<K, V>;
  }

  /** Memoises a derived fact shared by several rules (routes, SQL sinks, ...). */
  cached<T>(key: string, compute: () => T): T {
    // One lookup on a hit (rules ask for their facts at every node); has() only for a cached undefined.
    const hit = this.memo.get(key);
    if (hit !== undefined || this.memo.has(key)) return hit as T;
    const v = compute();
    this.memo.set(key, v);
    return v;
  }

  private byType?: Map<ir.NodeType, ir.Node[]>;
  private identsByName?: Map<string, ir.Ident[]>;

  /** The file's nodes bucketed by type, in source order: one pass over the pre-order node list, once. */
  private typeIndex(): Map<ir.NodeType, ir.Node[]> {
    if (this.byType) return this.byType;
    const m = new Map<ir.NodeType, ir.Node[]>();
    // Runs of one type (statements of a block, arguments) reuse the last bucket without a lookup.
    let lastType: ir.NodeType | undefined;
    let lastList: ir.Node[] = [];
    const add = (n: ir.Node) => {
      const type = n.type;
      if (type !== lastType) {
        let list = m.get(type);
        if (!list) m.set(type, (list = []));
        lastType = type;
        lastList = list;
      }
      lastList.push(n);
    };
    const order = this.root.order;
    if (order) for (const n of order) add(n);
    else ir.walk(this.root, (n) => { add(n); });
    // Pre-order is source order except where a node lists a child before an earlier one (a Python
    // comprehension's iterable before its element): such a list is sorted by position (stably, so
    // nodes that start together keep their pre-order), since `within` binary-searches it.
    for (const list of m.values()) {
      for (let i = 1; i < list.length; i++) {
        if (list[i].start < list[i - 1].start) { list.sort((a, b) => a.start - b.start); break; }
      }
    }
    this.byType = m;
    return m;
  }

  /** Every node of a type, in source order (from the index, not a walk). */
  nodesOfType<T extends ir.NodeType>(type: T): ir.NodeOf<T>[] {
    return (this.typeIndex().get(type) ?? []) as ir.NodeOf<T>[];
  }

  /** Every identifier spelled `name`, in source order (by start offset). */
  identsNamed(name: string): ir.Ident[] {
    if (!this.identsByName) {
      const m = new Map<string, ir.Ident[]>();
      for (const id of this.nodesOfType('Ident')) {
        let list = m.get(id.name);
        if (!list) m.set(id.name, (list = []));
        list.push(id);
      }
      // In position order already: the identifiers come from the sorted index by type.
      this.identsByName = m;
    }
    return this.identsByName.get(name) ?? [];
  }

  /**
   * The identifiers spelled `name` inside a node (a binding's scope), found by binary search in
   * the source-ordered index: a name like `req` or `db` recurs in every function of a file, and a
   * per-binding scan of all of them would make the cost grow with the square of the file.
   */
  identsNamedIn(name: string, within: ir.Node): ir.Ident[] {
    const all = this.identsNamed(name);
    if (within.type === 'Program' || !all.length) return all;
    let lo = 0;
    let hi = all.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (all[mid].start < within.start) lo = mid + 1; else hi = mid;
    }
    let end = lo;
    while (end < all.length && all[end].start < within.end) end++;
    return all.slice(lo, end);
  }

  get functions(): ir.Func[] { return this.nodesOfType('Func'); }
  get calls(): ir.Call[] { return this.nodesOfType('Call'); }
  get imports(): ir.Import[] { return this.nodesOfType('Import'); }

  scopeOf(n: ir.Node): Scope {
    return ir.enclosingFunction(n) ?? this.root;
  }

  /** Name bindings declared directly in a scope (JS block scoping is approximated by function scope). */
  bindings(scope: Scope): Map<string, Binding> {
    let m = this.scopes.get(scope);
    if (m) return m;
    m = new Map();
    this.scopes.set(scope, m);
    const table = m;
    const lang = this.lang;
    const declare = (name: string, b: Omit<Binding, 'name' | 'scope' | 'assigns'>, assign?: ir.Assign) => {
      let cur = table.get(name);
      if (!cur) {
        cur = { name, scope, assigns: [], ...b };
        table.set(name, cur);
      }
      if (assign) cur.assigns.push(assign);
      return cur;
    };
    if (scope.type === 'Func') {
      scope.params.forEach((p, i) => {
        for (const [name, value] of patternNames(p.target, undefined)) declare(name, { kind: 'param', node: scope, paramIndex: i, value });
      });
    }
    const body = scope.type === 'Func' ? [scope.body] : scope.body;
    for (const top of body) {
      ir.walk(top, (n) => {
        if (n.type === 'Func') {
          // A named function declaration binds its name in the enclosing scope.
          if (n.name && n.kind === 'decl' && n !== scope) declare(n.name, { kind: 'func', node: n, value: n });
          return n === scope;
        }
        if (n.type === 'Class') {
          if (n.name) declare(n.name, { kind: 'class', node: n, value: n });
          return false;
        }
        if (n.type === 'Import') {
          for (const nm of n.names) declare(nm.local, { kind: 'import', node: n, module: n.module, imported: nm.imported });
          return;
        }
        if (n.type === 'Assign') {
          // Python: assignment makes a local unless declared global; JS: only declarations bind.
          const declares = n.decl !== undefined || (lang === 'py' && n.op === '=');
          const bind = (name: string, value: ir.Node | undefined) => {
            if (!declares && !table.has(name)) return;
            const b = declare(name, { kind: 'var', decl: n.decl, node: n, value: n.op === '=' ? value : undefined }, n);
            if (b.value === undefined && n.op === '=' && b.assigns.length === 1) b.value = value;
          };
          // A plain name (most assignments) binds itself to the whole value: no pattern to take apart.
          if (n.target.type === 'Ident') bind(n.target.name, n.value);
          else for (const [name, value] of patternNames(n.target, n.value)) bind(name, value);
        }
        if (n.type === 'Loop' && n.target && (lang === 'py' || n.kind === 'forOf' || n.kind === 'forIn')) {
          for (const [name] of patternNames(n.target, undefined)) declare(name, { kind: 'var', node: n, decl: 'let' });
        }
        if (n.type === 'Catch' && n.param) {
          for (const [name] of patternNames(n.param, undefined)) declare(name, { kind: 'var', node: n, decl: 'let' });
        }
      });
    }
    // Assignments to names declared in this scope that happen in nested blocks were collected
    // above; JS assignments (no decl) to outer names are attached when resolving.
    return m;
  }

  /** The binding an identifier refers to, searching enclosing scopes outwards. */
  resolve(id: ir.Ident | string, from?: ir.Node): Binding | undefined {
    // An identifier resolves the same way every time: rules ask about `req` or `db` again and again.
    const memo = typeof id !== 'string' && !from;
    if (memo) {
      const hit = this.resolved.get(id);
      if (hit !== undefined) return hit ?? undefined;
    }
    const b = this.lookup(typeof id === 'string' ? id : id.name, from ?? (id as ir.Node));
    if (memo) this.resolved.set(id, b ?? null);
    return b;
  }

  private readonly resolved = new Map<ir.Ident, Binding | null>();

  private lookup(name: string, at: ir.Node): Binding | undefined {
    let scope: Scope | undefined = this.scopeOf(at);
    while (scope) {
      const b = this.bindings(scope).get(name);
      if (b) {
        if (b.kind === 'var' && this.lang === 'js') this.attachOuterAssigns(b);
        return b;
      }
      scope = scope.type === 'Program' ? undefined : this.scopeOf(scope);
    }
    return undefined;
  }

  private readonly outerAssignsAttached = new Set<Binding>();

  /** JS: `x = ...` inside a nested function mutates the outer binding; record it once. */
  private attachOuterAssigns(b: Binding): void {
    // A set of bindings, not a string key per call: resolve runs this on every JS variable lookup.
    if (this.outerAssignsAttached.has(b)) return;
    this.outerAssignsAttached.add(b);
    // Only assignments to this very name can belong to it: look at those, not at the whole scope.
    for (const id of this.identsNamedIn(b.name, b.scope)) {
      const a = id.parent;
      if (a?.type !== 'Assign' || a.target !== id || a.decl || b.assigns.includes(a) || !ir.isInside(a, b.scope)) continue;
      let shadowed = false;
      for (let p: ir.Node | undefined = a.parent; p && p !== b.scope; p = p.parent) {
        if (p.type === 'Func' && this.bindings(p).has(b.name)) { shadowed = true; break; }
      }
      if (!shadowed && ir.enclosingFunction(a) !== (b.scope.type === 'Func' ? b.scope : undefined)) b.assigns.push(a);
    }
  }

  /**
   * The single value a name is bound to, when it is assigned exactly once (a `const`, or a
   * `let`/Python name never reassigned). Undefined when reassigned or unknown.
   */
  valueOf(id: ir.Ident, from?: ir.Node): ir.Node | undefined {
    const b = this.resolve(id, from);
    if (!b || b.kind !== 'var') return b?.kind === 'func' || b?.kind === 'class' ? b.value : undefined;
    if (b.decl === 'const') return b.value;
    if (b.assigns.length === 1 && b.assigns[0].op === '=') return b.value;
    return undefined;
  }

  /** Module a local name was imported or required from (`pg` for `Pool` in `const { Pool } = require('pg')`). */
  moduleOf(name: string): { module: string; imported: string } | undefined {
    return this.importTable().get(name);
  }

  /** Every module imported or required in the file. */
  get modules(): Set<string> {
    return (this.moduleSet ??= new Set([...this.importTable().values()].map((v) => v.module)));
  }

  // The import table and module set are asked for at almost every call (thousands of times per
  // file): plain fields, not entries of the memo.
  private moduleSet?: Set<string>;
  private imported?: Map<string, { module: string; imported: string }>;

  usesModule(pred: (m: string) => boolean): boolean {
    for (const m of this.modules) if (pred(m)) return true;
    return false;
  }

  private importTable(): Map<string, { module: string; imported: string }> {
    return (this.imported ??= this.buildImportTable());
  }

  private buildImportTable(): Map<string, { module: string; imported: string }> {
    const t = new Map<string, { module: string; imported: string }>();
    for (const imp of this.imports) for (const n of imp.names) t.set(n.local, { module: imp.module, imported: n.imported });
    // CommonJS: const x = require('m'), const { a, b: c } = require('m'), require('m').x
    for (const c of this.calls) {
      if (c.callee.type !== 'Ident' || c.callee.name !== 'require' || c.args[0]?.type !== 'Str') continue;
      const module = c.args[0].value;
      let node: ir.Node = c;
      let imported = '*';
      while (node.parent?.type === 'Member' && node.parent.object === node) { imported = node.parent.prop; node = node.parent; }
      const assign = node.parent;
      if (assign?.type === 'Assign' && assign.value === node) {
        for (const [name, value] of patternNames(assign.target, node)) {
          const member = value && value.type === 'Member' && value.object === node ? value.prop : imported;
          t.set(name, { module, imported: member });
        }
      } else {
        t.set(`require:${module}`, { module, imported });
      }
    }
    return t;
  }
}
