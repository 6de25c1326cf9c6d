// The language-neutral syntax tree every front end produces and every rule reads.
// It keeps only the shapes the rules reason about (calls, strings, functions, bindings,
// control flow); everything else becomes `Other` with its children preserved, so a walk
// still reaches calls nested in constructs the model does not name.

export type Lang = 'js' | 'py';

interface Base {
  start: number;
  end: number;
  parent?: Node;
  /** Pre-order position in the file's node list, and that of the node's last descendant (set by linkParents). */
  idx?: number;
  last?: number;
  /** The file's nodes in pre-order: on the root only (walks of a subtree find it through the parents). */
  order?: Node[];
  /** dottedName's memo (null: not a dotted name). A field, not a WeakMap: no hashing, no ephemerons for the collector. */
  dotted?: string | null;
}

export interface Program extends Base { type: 'Program'; body: Node[] }

export interface Param {
  /** Plain name when the parameter is an identifier, undefined for patterns. */
  name?: string;
  /** The binding pattern (Ident, ObjectLit or ArrayLit used as a pattern). */
  target: Node;
  default?: Node;
  /** Type annotation text as written (TS types, Python annotations), if any. */
  typeText?: string;
}

export interface Func extends Base {
  type: 'Func';
  name?: string;
  kind: 'decl' | 'expr' | 'arrow' | 'method' | 'lambda';
  params: Param[];
  body: Node;
  async: boolean;
  decorators: Node[];
  /** Exported from the module (`export function`, `export default`). */
  exported?: boolean;
  /** Start offset of the body's first statement area (after `{` or `:`). */
  bodyStart: number;
}

export interface Class extends Base { type: 'Class'; name?: string; body: Node[]; decorators: Node[]; bases: Node[] }
export interface Call extends Base { type: 'Call'; callee: Node; args: Node[]; isNew: boolean; optional?: boolean }
/** Python keyword argument `name=value`. */
export interface Keyword extends Base { type: 'Keyword'; name: string; value: Node }
/** `...x` in JS; `*x` / `**x` in Python (`double` for the latter). */
export interface Spread extends Base { type: 'Spread'; arg: Node; double?: boolean }
export interface Member extends Base { type: 'Member'; object: Node; prop: string; propStart: number; optional?: boolean }
export interface Index extends Base { type: 'Index'; object: Node; index: Node }
export interface Ident extends Base { type: 'Ident'; name: string }
export interface Str extends Base {
  type: 'Str';
  value: string;
  /** Python string prefix letters (b, r, u), lower-cased; '' for JS. */
  prefix: string;
}
/** A JS template literal (possibly tagged) or a Python f-string. */
export interface Template extends Base {
  type: 'Template';
  /** Constant text between the expressions: quasis.length === exprs.length + 1. */
  quasis: string[];
  exprs: Node[];
  tag?: Node;
}
export interface Num extends Base { type: 'Num'; value: number }
export interface Lit extends Base { type: 'Lit'; value: 'true' | 'false' | 'null' | 'undefined' }
export interface Binary extends Base { type: 'Binary'; op: string; left: Node; right: Node }
export interface Unary extends Base { type: 'Unary'; op: string; arg: Node }
export interface Cond extends Base { type: 'Cond'; test: Node; then: Node; else: Node }
export interface Assign extends Base {
  type: 'Assign';
  target: Node;
  value?: Node;
  op: string;
  /** `const`/`let`/`var` for JS declarations; undefined for plain assignments and Python. */
  decl?: 'const' | 'let' | 'var';
}
export interface Prop extends Base {
  type: 'Prop';
  /** Static key text; undefined when computed. */
  key?: string;
  keyNode: Node;
  value: Node;
  shorthand: boolean;
}
export interface ObjectLit extends Base { type: 'ObjectLit'; props: (Prop | Spread)[] }
export interface ArrayLit extends Base { type: 'ArrayLit'; elements: Node[]; tuple?: boolean }
export interface Await extends Base { type: 'Await'; arg: Node }
export interface Return extends Base { type: 'Return'; arg?: Node }
export interface Throw extends Base { type: 'Throw'; arg?: Node }
export interface If extends Base { type: 'If'; test: Node; then: Node; else?: Node }
export interface Loop extends Base {
  type: 'Loop';
  kind: 'for' | 'forOf' | 'forIn' | 'while' | 'doWhile' | 'comprehension';
  /** What a for-of / for-in / Python for iterates over. */
  iter?: Node;
  /** The loop variable pattern of a for-of / Python for. */
  target?: Node;
  body: Node;
  /** Init, test and update of a C-style for, the test of a while. */
  header: Node[];
}
export interface Try extends Base { type: 'Try'; block: Node; handlers: Catch[]; finalizer?: Node }
export interface Catch extends Base { type: 'Catch'; param?: Node; body: Node; typeNode?: Node }
export interface Block extends Base { type: 'Block'; body: Node[] }
export interface ExprStmt extends Base { type: 'ExprStmt'; expr: Node }
export interface Import extends Base {
  type: 'Import';
  module: string;
  /** imported name ('default' for default imports, '*' for namespaces) and the local alias. */
  names: { imported: string; local: string }[];
}
export interface With extends Base { type: 'With'; items: Node[]; body: Node }
export interface Other extends Base { type: 'Other'; kind: string; children: Node[] }

export type Node =
  | Program | Func | Class | Call | Keyword | Spread | Member | Index | Ident | Str | Template | Num | Lit
  | Binary | Unary | Cond | Assign | Prop | ObjectLit | ArrayLit | Await | Return | Throw | If | Loop
  | Try | Catch | Block | ExprStmt | Import | With | Other;

export type NodeType = Node['type'];
export type NodeOf<T extends NodeType> = Extract<Node, { type: T }>;

/** Children in source order (pushChildrenReversed is the one definition of that order). */
export function children(n: Node): Node[] {
  switch (n.type) {
    // Nodes that keep their children in one array of their own hand it out as it is.
    case 'Program': case 'Block': return n.body;
    case 'ObjectLit': return n.props;
    case 'ArrayLit': return n.elements;
    case 'Other': return n.children;
    default: {
      const out: Node[] = [];
      pushChildrenReversed(n, out);
      return out.reverse();
    }
  }
}

/**
 * Sets `parent` on every node below `root` and lays the nodes out in pre-order, so that walks
 * are a loop over an array instead of a recursion that allocates child lists. Front ends call it
 * once after building.
 */
export function linkParents(root: Node): void {
  const order: Node[] = [];
  root.order = order;
  // Explicit stack (deep `a + b + c ...` chains would overflow recursion).
  const stack: Node[] = [root];
  // Nodes whose subtree is still being laid out, with the stack height below their children: a
  // subtree is complete once a node from below that height comes off the stack, so each node's
  // last descendant is known without a second pass over the layout.
  const open: Node[] = [];
  const openAt: number[] = [];
  while (stack.length) {
    const n = stack.pop()!;
    const height = stack.length;
    while (openAt.length && openAt[openAt.length - 1] > height) { open.pop()!.last = order.length - 1; openAt.pop(); }
    n.idx = order.length;
    order.push(n);
    pushChildrenReversed(n, stack);
    if (stack.length === height) { n.last = n.idx; continue; }
    for (let i = height; i < stack.length; i++) stack[i].parent = n;
    open.push(n);
    openAt.push(height);
  }
  while (open.length) open.pop()!.last = order.length - 1;
}

/**
 * Pushes n's children last-first, without building a list of its own: linkParents runs it on every
 * node of every analysis. The one definition of child order (source order, read backwards), which
 * every walk and `children` follow.
 */
function pushChildrenReversed(n: Node, into: Node[]): void {
  switch (n.type) {
    case 'Func':
      into.push(n.body);
      for (let i = n.params.length - 1; i >= 0; i--) { const p = n.params[i]; if (p.default) into.push(p.default); into.push(p.target); }
      pushAllReversed(n.decorators, into);
      return;
    case 'Class': pushAllReversed(n.body, into); pushAllReversed(n.bases, into); pushAllReversed(n.decorators, into); return;
    case 'Call': pushAllReversed(n.args, into); into.push(n.callee); return;
    case 'Template': pushAllReversed(n.exprs, into); if (n.tag) into.push(n.tag); return;
    case 'Loop': into.push(n.body); if (n.target) into.push(n.target); if (n.iter) into.push(n.iter); pushAllReversed(n.header, into); return;
    case 'Try': if (n.finalizer) into.push(n.finalizer); pushAllReversed(n.handlers, into); into.push(n.block); return;
    case 'Catch': into.push(n.body); if (n.param) into.push(n.param); if (n.typeNode) into.push(n.typeNode); return;
    case 'With': into.push(n.body); pushAllReversed(n.items, into); return;
    case 'Member': into.push(n.object); return;
    case 'Spread': case 'Unary': case 'Await': into.push(n.arg); return;
    case 'Keyword': into.push(n.value); return;
    case 'ExprStmt': into.push(n.expr); return;
    case 'Return': case 'Throw': if (n.arg) into.push(n.arg); return;
    case 'Index': into.push(n.index, n.object); return;
    case 'Binary': into.push(n.right, n.left); return;
    case 'Assign': if (n.value) into.push(n.value); into.push(n.target); return;
    case 'Prop': into.push(n.value); if (n.key === undefined) into.push(n.keyNode); return;
    case 'If': if (n.else) into.push(n.else); into.push(n.then, n.test); return;
    case 'Cond': into.push(n.else, n.then, n.test); return;
    case 'Program': case 'Block': pushAllReversed(n.body, into); return;
    case 'ObjectLit': pushAllReversed(n.props, into); return;
    case 'ArrayLit': pushAllReversed(n.elements, into); return;
    case 'Other': pushAllReversed(n.children, into); return;
    default: return; // Ident, Str, Num, Lit, Import: leaves
  }
}

function pushAllReversed(cs: readonly Node[], into: Node[]): void {
  for (let i = cs.length - 1; i >= 0; i--) into.push(cs[i]);
}

/**
 * How many walks started at a file's root (the engine's dispatch walk is one). Analyses count on
 * one full walk per document version: facts that need the whole file come from the model's node
 * index (CodeModel.nodesOfType) instead; a test holds every rule to it.
 */
export const walkStats = { fromRoot: 0 };

/** The pre-order list a laid-out node belongs to, kept by the top of its tree. */
function layoutOf(n: Node): Node[] | undefined {
  let top = n;
  while (top.parent) top = top.parent;
  return top.order;
}

/** Pre-order walk; return false from `visit` to skip a subtree. */
export function walk(root: Node, visit: (n: Node) => boolean | void): void {
  if (root.type === 'Program') walkStats.fromRoot++;
  const order = root.idx !== undefined ? layoutOf(root) : undefined;
  if (order && root.idx !== undefined && root.last !== undefined) {
    for (let i = root.idx; i <= root.last;) {
      const n = order[i];
      i = visit(n) === false ? n.last! + 1 : i + 1;
    }
    return;
  }
  // Synthetic nodes (destructuring values) are not laid out: walk them directly.
  const stack: Node[] = [root];
  while (stack.length) {
    const n = stack.pop()!;
    if (visit(n) === false) continue;
    const cs = children(n);
    for (let i = cs.length - 1; i >= 0; i--) stack.push(cs[i]);
  }
}

export function find(root: Node, pred: (n: Node) => boolean): Node | undefined {
  let found: Node | undefined;
  walk(root, (n) => {
    if (found) return false;
    if (pred(n)) { found = n; return false; }
  });
  return found;
}

export function findAll<T extends Node = Node>(root: Node, pred: (n: Node) => boolean, opts: { intoFunctions?: boolean } = {}): T[] {
  const out: T[] = [];
  walk(root, (n) => {
    if (n !== root && n.type === 'Func' && opts.intoFunctions === false) return false;
    if (pred(n)) out.push(n as T);
  });
  return out;
}

export function ancestors(n: Node): Node[] {
  const out: Node[] = [];
  for (let p = n.parent; p; p = p.parent) out.push(p);
  return out;
}

export function enclosingFunction(n: Node): Func | undefined {
  for (let p = n.parent; p; p = p.parent) if (p.type === 'Func') return p;
  return undefined;
}

export function isInside(n: Node, container: Node): boolean {
  return n.start >= container.start && n.end <= container.end;
}

/**
 * Dotted name of a callee or member chain: `stripe.webhooks.constructEvent`,
 * `this.pool.query` → `this.pool.query`, `db()` segments become `db()`.
 * Undefined for computed or unusual shapes.
 */
/**
 * Links a chain helper follows. No framework API chains more, while generated code chains
 * thousands of calls; every call in such a chain asking about the whole chain would make
 * analysis quadratic in the chain, so the helpers stop here and answer "unknown".
 */
export const MAX_CHAIN = 64;
/** Longest dotted name kept: longer ones are chains no API name matches. */
const MAX_DOTTED = 512;

/** Methods called on a call's result, in order: `insert(...).onConflict('id').ignore()` gives onConflict, ignore (at most MAX_CHAIN). */
export function methodsChainedAfter(c: Call): string[] {
  const out: string[] = [];
  let cur: Node = c;
  while (out.length < MAX_CHAIN && cur.parent?.type === 'Member' && cur.parent.object === cur && cur.parent.parent?.type === 'Call') {
    out.push(cur.parent.prop);
    cur = cur.parent.parent;
  }
  return out;
}

export function dottedName(n: Node): string | undefined {
  // A loop down the chain, not a recursion, and each link remembered: generated code chains
  // thousands of calls, and every call in the chain asks for its callee's name.
  const asked = n.dotted;
  if (asked !== undefined) return asked ?? undefined; // most asks: a name already worked out
  const chain: Node[] = [];
  let cur: Node = n;
  let name: string | undefined;
  for (;;) {
    const known = cur.dotted;
    if (known !== undefined) { name = known ?? undefined; break; }
    if (cur.type === 'Member') { chain.push(cur); cur = cur.object; continue; }
    if (cur.type === 'Call') { chain.push(cur); cur = cur.callee; continue; }
    if (cur.type === 'Await') { chain.push(cur); cur = cur.arg; continue; }
    name = cur.type === 'Ident' ? cur.name : cur.type === 'Other' && (cur.kind === 'this' || cur.kind === 'super') ? cur.kind : undefined;
    cur.dotted = name ?? null;
    break;
  }
  for (let i = chain.length - 1; i >= 0; i--) {
    const link = chain[i];
    if (name !== undefined) name = link.type === 'Member' ? `${name}.${link.prop}` : link.type === 'Call' ? `${name}()` : name;
    if (name !== undefined && name.length > MAX_DOTTED) name = undefined;
    link.dotted = name ?? null;
  }
  return name;
}

/** The last segment of a callee: `query` for `pool.query(...)`, `fetch` for `fetch(...)`. */
export function calleeName(c: Call): string | undefined {
  const callee = c.callee;
  if (callee.type === 'Ident') return callee.name;
  if (callee.type === 'Member') return callee.prop;
  return undefined;
}

/** The receiver of a method call (`pool` in `pool.query()`), if the callee is a member. */
export function receiver(c: Call): Node | undefined {
  return c.callee.type === 'Member' ? c.callee.object : undefined;
}

/** Positional arguments (Python keyword arguments and spreads excluded). */
export function positional(c: Call): Node[] {
  // Most calls have neither: their own list is the answer (callers only read it), with no copy.
  for (const a of c.args) if (a.type === 'Keyword' || a.type === 'Spread') return c.args.filter((x) => x.type !== 'Keyword' && x.type !== 'Spread');
  return c.args;
}

export function keywordArg(c: Call, name: string): Node | undefined {
  for (const a of c.args) if (a.type === 'Keyword' && a.name === name) return a.value;
  return undefined;
}

export function propOf(o: ObjectLit, key: string): Prop | undefined {
  for (const p of o.props) if (p.type === 'Prop' && p.key === key) return p;
  return undefined;
}

/** Strips `await`, parentheses-equivalents and TS non-null/`as` wrappers the front ends keep as Other. */
export function unwrap(n: Node): Node {
  let cur = n;
  for (;;) {
    if (cur.type === 'Await') cur = cur.arg;
    else if (cur.type === 'Other' && (cur.kind === 'paren' || cur.kind === 'as' || cur.kind === 'nonNull' || cur.kind === 'satisfies') && cur.children.length) cur = cur.children[0];
    else return cur;
  }
}
