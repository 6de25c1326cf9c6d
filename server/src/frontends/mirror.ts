// A plain-JavaScript copy of a tree-sitter tree, built in one TreeCursor pass.
// web-tree-sitter crosses into wasm (and copies the cursor in and out of wasm memory) on every
// property access, so the cost of this pass is the number of crossings per node: it reads the
// type id, the two offsets and the field id (names and namedness come from per-language tables
// built once), asks whether a node is MISSING only in trees that have errors, and allocates child
// arrays only for nodes that have children. The named children are filtered when first asked for.
import type { Language, Tree } from 'web-tree-sitter';

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

export function mirror(tree: Tree, source: string): MNode {
  const table = typeTable(tree.language);
  const fields = tree.language.fields;
  // MISSING nodes exist only in trees with errors: elsewhere, skip asking each node.
  const mayMiss = tree.rootNode.hasError;
  const c = tree.walk();
  const make = () => {
    const id = c.nodeTypeId;
    const known = id < table.names.length;
    const n = new MNode(
      known ? table.names[id] : ERROR_TYPE.name,
      known ? table.named[id] : ERROR_TYPE.named,
      mayMiss && c.nodeIsMissing,
      c.startIndex,
      c.endIndex,
      source,
    );
    return n;
  };
  const root = make();
  let cur = root;
  try {
    if (!c.gotoFirstChild()) return root;
    for (;;) {
      const n = make();
      const field = c.currentFieldId;
      n.field = field ? fields[field] ?? null : null;
      n.parent = cur;
      cur.push(n);
      if (c.gotoFirstChild()) { cur = n; continue; }
      if (n.isError || n.isMissing) markError(n);
      while (!c.gotoNextSibling()) {
        if (!c.gotoParent()) return root;
        if (cur.isError) markError(cur);
        cur = cur.parent ?? root;
      }
    }
  } finally {
    c.delete();
  }
}

function markError(n: MNode) {
  for (let p: MNode | null = n; p && !p.hasError; p = p.parent) p.hasError = true;
}
