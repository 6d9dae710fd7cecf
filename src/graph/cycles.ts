/**
 * Strongly connected components (Tarjan, iterative so deep graphs cannot overflow the stack).
 * A component of more than one node, or a node with an edge to itself, is a loop.
 */
export function findLoops(nodeIds: readonly string[], edges: readonly { source: string; target: string }[]): string[][] {
  const next = new Map<string, string[]>(nodeIds.map((id) => [id, []]));
  const selfLoop = new Set<string>();
  for (const e of edges) {
    next.get(e.source)?.push(e.target);
    if (e.source === e.target) selfLoop.add(e.source);
  }
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const loops: string[][] = [];
  let counter = 0;
  for (const root of nodeIds) {
    if (index.has(root)) continue;
    const work: { id: string; child: number }[] = [{ id: root, child: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const children = next.get(frame.id) ?? [];
      if (frame.child < children.length) {
        const w = children[frame.child++]!;
        if (!index.has(w)) {
          index.set(w, counter);
          low.set(w, counter++);
          stack.push(w);
          onStack.add(w);
          work.push({ id: w, child: 0 });
        } else if (onStack.has(w)) {
          low.set(frame.id, Math.min(low.get(frame.id)!, index.get(w)!));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.id, Math.min(low.get(parent.id)!, low.get(frame.id)!));
      if (low.get(frame.id) === index.get(frame.id)) {
        const component: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          component.push(w);
        } while (w !== frame.id);
        if (component.length > 1 || selfLoop.has(frame.id)) loops.push(component.reverse());
      }
    }
  }
  return loops;
}
