// Watches a front end's conversion of a syntax tree: checks the analysis bounds every few hundred
// nodes (limits.ts), and remembers how deep the nesting went and where, so that running out of
// stack on deeply nested code is reported at its place instead of as an internal error.
import type { Node } from '../../../rules/kit/model/ir';
import type { Watch } from '../limits';

export class ConversionGuard {
  private count = 0;
  private depth = 0;
  /** Deepest nesting reached and the offset where it was reached. */
  maxDepth = 0;
  maxAt = 0;

  constructor(readonly watch?: Watch) {}

  enter(start: number): void {
    if (++this.depth > this.maxDepth) { this.maxDepth = this.depth; this.maxAt = start; }
    if ((++this.count & 255) === 0) this.watch?.check();
  }

  /** Not called when a conversion throws: the whole conversion is abandoned then. */
  leave(): void { this.depth--; }

  /**
   * Converts a node whose nesting runs along one child (operator chains, call and member chains,
   * parentheses) in a loop: down the spine to the first node that is not a link, convert it, and
   * build the links back up around it. 10,000 `+` terms then cost no stack.
   */
  chain<N>(n: N, start: number, spineChild: (n: N) => N | undefined, leaf: (n: N) => Node, link: (n: N, inner: Node) => Node): Node {
    this.enter(start);
    const first = spineChild(n);
    // Most expressions are not links (names, literals): no spine to build.
    if (!first) {
      const out = leaf(n);
      this.leave();
      return out;
    }
    const spine: N[] = [n];
    let base = first;
    for (let c = spineChild(base); c; c = spineChild(base)) { spine.push(base); base = c; }
    let out = leaf(base);
    for (let i = spine.length - 1; i >= 0; i--) out = link(spine[i], out);
    this.leave();
    return out;
  }
}
