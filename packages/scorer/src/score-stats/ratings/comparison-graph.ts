/**
 * The comparison graph: models are nodes, a fitted vote between two models is an edge. Ratings are
 * only comparable along paths of votes, so each connected component is its own group, fitted,
 * anchored and ranked apart from the others.
 *
 * Hand-written (a breadth-first search over a few dozen nodes) rather than a union-find package:
 * it is a dozen lines, and the groups must come out in a deterministic, documented order.
 */

/** Connected components of the graph with `edges` over `nodes`, each sorted by name, in order of their first node. */
export function connectedComponents(
  nodes: readonly string[],
  edges: readonly (readonly [string, string])[],
): string[][] {
  const neighbours = new Map<string, Set<string>>(nodes.map((n) => [n, new Set<string>()]));
  for (const [a, b] of edges) {
    const fromA = neighbours.get(a);
    const fromB = neighbours.get(b);
    if (!fromA || !fromB)
      throw new Error(`comparison graph: edge ${a}–${b} names an unknown model`);
    fromA.add(b);
    fromB.add(a);
  }
  const seen = new Set<string>();
  const components: string[][] = [];
  for (const start of [...nodes].sort()) {
    if (seen.has(start)) continue;
    const component: string[] = [];
    const queue = [start];
    seen.add(start);
    while (queue.length > 0) {
      const node = queue.pop()!;
      component.push(node);
      for (const next of neighbours.get(node)!) {
        if (!seen.has(next)) {
          seen.add(next);
          queue.push(next);
        }
      }
    }
    components.push(component.sort());
  }
  return components;
}
