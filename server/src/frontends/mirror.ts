// A plain-JavaScript copy of a tree-sitter tree, built in one TreeCursor pass.
// web-tree-sitter marshals a Node object out of wasm memory on every property access; walking
// the tree once with a cursor and converting the copy costs a fraction of that.
import type { Tree } from 'web-tree-sitter';

export class MNode {
  children: MNode[] = [];
  namedChildren: MNode[] = [];
  /** Field name this node has in its parent (`function`, `arguments`, ...). */
  field: string | null = null;
  hasError = false;
  parent: MNode | null = null;
  constructor(
    readonly type: string,
    readonly isNamed: boolean,
    readonly isMissing: boolean,
    readonly startIndex: number,
    readonly endIndex: number,
    private readonly source: string,
  ) {}

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
}

export function mirror(tree: Tree, source: string): MNode {
  const c = tree.walk();
  const root = new MNode(c.nodeType, c.nodeIsNamed, c.nodeIsMissing, c.startIndex, c.endIndex, source);
  let cur = root;
  try {
    if (!c.gotoFirstChild()) return root;
    for (;;) {
      const n = new MNode(c.nodeType, c.nodeIsNamed, c.nodeIsMissing, c.startIndex, c.endIndex, source);
      n.field = c.currentFieldName;
      n.parent = cur;
      cur.children.push(n);
      if (n.isNamed) cur.namedChildren.push(n);
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
