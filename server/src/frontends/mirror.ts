// A plain-JavaScript copy of a tree-sitter tree, built in one TreeCursor pass.
// web-tree-sitter crosses into wasm (and copies the cursor in and out of wasm memory) on every
// property access, so the cost of this pass is the number of crossings per node: it reads the
// type id, the two offsets and the field id (names and namedness come from per-language tables
// built once), asks whether a node is MISSING only in trees that have errors, and allocates child
// arrays only for nodes that have children. The named children are filtered when first asked for.
import type { Language, Tree, TreeCursor } from 'web-tree-sitter';

const NO_CHILDREN: readonly MNode[] = Object.freeze([]);

export class MNode {
  children: MNode[] = NO_CHILDREN as MNode[];
  /** Field name this node has in its parent (`function`, `arguments`, ...). */
  field: string | null = null;
  hasError = false;
  parent: MNode | null = null;
  private named?: MNode[];
  constructor(
    readonly type: string,
    readonly isNamed: boolean,
    readonly isMissing: boolean,
    readonly startIndex: number,
    readonly endIndex: number,
    private readonly source: string,
  ) {}

  get namedChildren(): MNode[] {
    if (this.named) return this.named;
    let all = true;
    for (const c of this.children) if (!c.isNamed) { all = false; break; }
    return (this.named = all ? this.children : this.children.filter((c) => c.isNamed));
  }

  get isError(): boolean { return this.type === 'ERROR'; }
  get text(): string { return this.source.slice(this.startIndex, this.endIndex); }
  get firstChild(): MNode | null { return this.children[0] ?? null; }

  childForFieldName(name: string): MNode | null {
    for (const c of this.children) if (c.field === name) return c;
    return null;
  }

  childrenForFieldName(name: string): MNode[] {
    return this.children.filter((c) => c.field === name);
  }

  /** Adds a child (the first one replaces the shared empty list). */
  push(c: MNode): void {
    if (this.children === NO_CHILDREN) this.children = [c];
    else this.children.push(c);
  }
}

interface TypeTable { names: string[]; named: boolean[] }
const tables = new Map<Language, TypeTable>();

/** Node type names and namedness by type id, as TreeCursor.nodeType and nodeIsNamed report them. */
function typeTable(lang: Language): TypeTable {
  let t = tables.get(lang);
  if (t) return t;
  const names: string[] = [];
  const named: boolean[] = [];
  for (let id = 0; id < lang.types.length; id++) {
    names[id] = lang.types[id] || 'ERROR';
    named[id] = lang.nodeTypeIsNamed(id);
  }
  tables.set(lang, (t = { names, named }));
  return t;
}

/** The error symbol's id (65535) is outside the language's symbol table. */
const ERROR_TYPE = { name: 'ERROR', named: true };

/**
 * What a walk reads of the cursor at each step. `cursorSteps` goes through web-tree-sitter's
 * TreeCursor; `rawSteps` calls the same wasm functions directly (see useRawCursor).
 */
interface Steps {
  typeId(): number;
  startIndex(): number;
  endIndex(): number;
  fieldId(): number;
  isMissing(): boolean;
  firstChild(): boolean;
  nextSibling(): boolean;
  parent(): boolean;
}

/**
 * The wasm module behind web-tree-sitter, for walks without its per-call copying: every TreeCursor
 * getter writes the cursor's four words into wasm memory before calling into wasm, and every move
 * reads them back, although the wasm side keeps the cursor there between calls. That copying was
 * a third of a Python analysis. The module is the options object given to `Parser.init` (an
 * Emscripten module is built on the object it is given); `useRawCursor` checks that every function
 * the walk calls is there and otherwise leaves the TreeCursor path in place.
 */
interface WasmCursorModule {
  HEAP32: Int32Array;
  _ts_init(): number;
  _ts_tree_cursor_current_node_type_id_wasm(tree: number): number;
  _ts_tree_cursor_start_index_wasm(tree: number): number;
  _ts_tree_cursor_end_index_wasm(tree: number): number;
  _ts_tree_cursor_current_field_id_wasm(tree: number): number;
  _ts_tree_cursor_current_node_is_missing_wasm(tree: number): number;
  _ts_tree_cursor_goto_first_child_wasm(tree: number): number;
  _ts_tree_cursor_goto_next_sibling_wasm(tree: number): number;
  _ts_tree_cursor_goto_parent_wasm(tree: number): number;
}
const RAW_FUNCTIONS = [
  '_ts_init', '_ts_tree_cursor_current_node_type_id_wasm', '_ts_tree_cursor_start_index_wasm', '_ts_tree_cursor_end_index_wasm',
  '_ts_tree_cursor_current_field_id_wasm', '_ts_tree_cursor_current_node_is_missing_wasm', '_ts_tree_cursor_goto_first_child_wasm',
  '_ts_tree_cursor_goto_next_sibling_wasm', '_ts_tree_cursor_goto_parent_wasm',
] as const;

let raw: { module: WasmCursorModule; transfer: number } | undefined;

/** Whether walks use the wasm cursor functions directly. */
export function rawCursorEnabled(): boolean { return raw !== undefined; }

/** Runs `fn` with walks through web-tree-sitter's TreeCursor (tests compare the two paths). */
export function withTreeCursor<T>(fn: () => T): T {
  const saved = raw;
  raw = undefined;
  try { return fn(); } finally { raw = saved; }
}

/**
 * Walks call `module`'s wasm cursor functions directly from now on, when it has all of them;
 * `undefined` goes back to the TreeCursor path. Returns whether the direct path is on.
 */
export function useRawCursor(module: unknown): boolean {
  const m = module as Partial<Record<string, unknown>> | undefined;
  raw = m && m.HEAP32 instanceof Int32Array && RAW_FUNCTIONS.every((f) => typeof m[f] === 'function')
    // ts_init only returns the address of the transfer buffer (and writes the version numbers
    // Parser.init read from it at start-up).
    ? { module: m as unknown as WasmCursorModule, transfer: (m as unknown as WasmCursorModule)._ts_init() }
    : undefined;
  return raw !== undefined;
}

function cursorSteps(c: TreeCursor): Steps {
  return {
    typeId: () => c.nodeTypeId,
    startIndex: () => c.startIndex,
    endIndex: () => c.endIndex,
    fieldId: () => c.currentFieldId,
    isMissing: () => c.nodeIsMissing,
    firstChild: () => c.gotoFirstChild(),
    nextSibling: () => c.gotoNextSibling(),
    parent: () => c.gotoParent(),
  };
}

/** The cursor `tree.walk()` just left in the transfer buffer, moved there by wasm calls only. */
function rawSteps(m: WasmCursorModule, tree: number): Steps {
  return {
    typeId: () => m._ts_tree_cursor_current_node_type_id_wasm(tree),
    startIndex: () => m._ts_tree_cursor_start_index_wasm(tree),
    endIndex: () => m._ts_tree_cursor_end_index_wasm(tree),
    fieldId: () => m._ts_tree_cursor_current_field_id_wasm(tree),
    isMissing: () => m._ts_tree_cursor_current_node_is_missing_wasm(tree) === 1,
    firstChild: () => m._ts_tree_cursor_goto_first_child_wasm(tree) === 1,
    nextSibling: () => m._ts_tree_cursor_goto_next_sibling_wasm(tree) === 1,
    parent: () => m._ts_tree_cursor_goto_parent_wasm(tree) === 1,
  };
}

export function mirror(tree: Tree, source: string): MNode {
  const table = typeTable(tree.language);
  const fields = tree.language.fields;
  // MISSING nodes exist only in trees with errors: elsewhere, skip asking each node.
  const mayMiss = tree.rootNode.hasError;
  const c = tree.walk();
  const treeAddress = (tree as unknown as { [0]: number })[0];
  const direct = typeof treeAddress === 'number' ? raw : undefined;
  try {
    return walk(direct ? rawSteps(direct.module, treeAddress) : cursorSteps(c), table, fields, mayMiss, source);
  } finally {
    // The direct walk moved the cursor in wasm memory only: the TreeCursor takes its state back
    // (its stack may have been reallocated on the way down) before it frees it.
    if (direct) {
      const heap = direct.module.HEAP32;
      const cursor = c as unknown as { [i: number]: number };
      for (let i = 0; i < 4; i++) cursor[i] = heap[(direct.transfer >> 2) + i];
    }
    c.delete();
  }
}

function walk(c: Steps, table: TypeTable, fields: (string | null)[], mayMiss: boolean, source: string): MNode {
  const make = () => {
    const id = c.typeId();
    const known = id < table.names.length;
    const n = new MNode(
      known ? table.names[id] : ERROR_TYPE.name,
      known ? table.named[id] : ERROR_TYPE.named,
      mayMiss && c.isMissing(),
      c.startIndex(),
      c.endIndex(),
      source,
    );
    return n;
  };
  const root = make();
  let cur = root;
  if (!c.firstChild()) return root;
  for (;;) {
    const n = make();
    const field = c.fieldId();
    n.field = field ? fields[field] ?? null : null;
    n.parent = cur;
    cur.push(n);
    if (c.firstChild()) { cur = n; continue; }
    if (n.isError || n.isMissing) markError(n);
    while (!c.nextSibling()) {
      if (!c.parent()) return root;
      if (cur.isError) markError(cur);
      cur = cur.parent ?? root;
    }
  }
}

function markError(n: MNode) {
  for (let p: MNode | null = n; p && !p.hasError; p = p.parent) p.hasError = true;
}
