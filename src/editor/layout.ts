/**
 * Auto-layout with ELK's layered algorithm, top to bottom like the cards' ports. Long chains (a
 * ResNet is one) wrap into side-by-side columns to suit the canvas's `aspectRatio` (width/height)
 * instead of one column too tall to read. Returns positions only; the caller applies them as one
 * `move` edit so the layout can be undone.
 */
import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api';
import type { GraphDocument } from '../graph';
import { NODE_SIZE } from './actions';
import type { Size } from './store';

let elkPromise: Promise<{ layout(graph: ElkNode): Promise<ElkNode> }> | null = null;

/** ELK is large; load it on first use. */
function loadElk() {
  elkPromise ??= import('elkjs/lib/elk.bundled.js').then((m) => new m.default());
  return elkPromise;
}

export async function layoutPositions(
  doc: GraphDocument,
  sizes: ReadonlyMap<string, Size> = new Map(),
  aspectRatio = 1.6,
): Promise<Record<string, { x: number; y: number }>> {
  const elk = await loadElk();
  const ids = new Set(doc.nodes.map((n) => n.id));
  const graph: ElkNode = {
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'DOWN',
      'elk.layered.spacing.nodeNodeBetweenLayers': '56',
      'elk.spacing.nodeNode': '48',
      'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
      'elk.layered.crossingMinimization.semiInteractive': 'true',
      'elk.layered.wrapping.strategy': 'MULTI_EDGE',
      'elk.aspectRatio': String(Math.min(4, Math.max(0.5, aspectRatio))),
    },
    children: doc.nodes.map((n) => {
      const size = sizes.get(n.id) ?? NODE_SIZE;
      return { id: n.id, width: size.width, height: size.height };
    }),
    edges: doc.edges
      .filter((e) => ids.has(e.source) && ids.has(e.target))
      .map((e): ElkExtendedEdge => ({ id: e.id, sources: [e.source], targets: [e.target] })),
  };
  const result = await elk.layout(graph);
  const positions: Record<string, { x: number; y: number }> = {};
  for (const child of result.children ?? []) positions[child.id] = { x: Math.round(child.x ?? 0), y: Math.round(child.y ?? 0) };
  return positions;
}
