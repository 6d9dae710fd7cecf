/**
 * Editor commands built from edits: add, connect, delete, duplicate, quick fixes. Each is one undo
 * step. They take the store and return what the UI needs to tell the user.
 */
import { canConnect, type Connection, type GraphEdge, type GraphNode, type QuickFix } from '../graph';
import { freshId, type Edit } from './edits';
import type { EditorStore } from './store';

/** A node's default size on the canvas, used to place new nodes before they are measured. */
export const NODE_SIZE = { width: 220, height: 96 } as const;

function takenIds(store: EditorStore): Set<string> {
  const { doc } = store.getState();
  return new Set([...doc.nodes.map((n) => n.id), ...doc.edges.map((e) => e.id)]);
}

/** Adds a node of `type` centred on `at`; returns its id, or null for an unknown type. */
export function addNode(store: EditorStore, type: string, at: { x: number; y: number }, params: Record<string, unknown> = {}): string | null {
  const def = Object.hasOwn(store.registry, type) ? store.registry[type] : undefined;
  if (!def) return null;
  const id = freshId(type, takenIds(store));
  const node: GraphNode = {
    id,
    type,
    position: { x: Math.round(at.x - NODE_SIZE.width / 2), y: Math.round(at.y - NODE_SIZE.height / 2) },
    params,
  };
  if (!store.apply({ kind: 'add', nodes: [node], edges: [] }, `Add ${def.title}`)) return null;
  store.select([id]);
  return id;
}

/** Draws an edge if `canConnect` allows it; otherwise returns the reason. */
export function connect(store: EditorStore, c: Connection): { ok: true; edgeId: string } | { ok: false; reason: string } {
  const verdict = canConnect(store.getState().doc, store.registry, c);
  if (!verdict.ok) return verdict;
  const edge: GraphEdge = { id: freshId('e', takenIds(store)), ...c };
  store.apply({ kind: 'add', nodes: [], edges: [edge] }, 'Connect');
  return { ok: true, edgeId: edge.id };
}

/** Deletes the selected nodes (with their edges) and edges; returns how many elements went. */
export function deleteSelection(store: EditorStore): number {
  const { selectedNodes, selectedEdges } = store.getState();
  const count = selectedNodes.size + selectedEdges.size;
  if (count === 0) return 0;
  const label = selectedNodes.size > 0 ? `Delete ${selectedNodes.size} node${selectedNodes.size === 1 ? '' : 's'}` : 'Delete edge';
  store.apply({ kind: 'remove', nodeIds: [...selectedNodes], edgeIds: [...selectedEdges] }, label);
  return count;
}

/**
 * Copies `nodes` and the edges among them into the document with fresh ids, shifted by `offset`,
 * and selects the copies.
 */
export function insertCopies(
  store: EditorStore,
  nodes: readonly GraphNode[],
  edges: readonly GraphEdge[],
  offset: { x: number; y: number },
  label: string,
): string[] {
  const taken = takenIds(store);
  const ids = new Map<string, string>();
  const copies = nodes.map((n) => {
    const id = freshId(n.type, taken);
    taken.add(id);
    ids.set(n.id, id);
    return { ...n, id, position: { x: n.position.x + offset.x, y: n.position.y + offset.y }, params: { ...n.params } };
  });
  const edgeCopies = edges.flatMap((e) => {
    const source = ids.get(e.source);
    const target = ids.get(e.target);
    if (!source || !target) return [];
    const id = freshId('e', taken);
    taken.add(id);
    return [{ ...e, id, source, target }];
  });
  if (copies.length === 0) return [];
  store.apply({ kind: 'add', nodes: copies, edges: edgeCopies }, label);
  const newIds = copies.map((c) => c.id);
  store.select(newIds);
  return newIds;
}

/** The selected nodes and the edges between them. */
export function selectedSubgraph(store: EditorStore): { nodes: GraphNode[]; edges: GraphEdge[] } {
  const { doc, selectedNodes } = store.getState();
  const nodes = doc.nodes.filter((n) => selectedNodes.has(n.id));
  const edges = doc.edges.filter((e) => selectedNodes.has(e.source) && selectedNodes.has(e.target));
  return { nodes, edges };
}

export function duplicateSelection(store: EditorStore): string[] {
  const { nodes, edges } = selectedSubgraph(store);
  return insertCopies(store, nodes, edges, { x: 40, y: 40 }, `Duplicate ${nodes.length} node${nodes.length === 1 ? '' : 's'}`);
}

/** Sets a node's params; the inspector has validated them already. */
export function setParams(store: EditorStore, nodeId: string, params: Record<string, unknown>, label = 'Edit parameter'): boolean {
  return store.apply({ kind: 'setParams', nodeId, params }, label);
}

/**
 * Applies a diagnostic's quick fix: sets the params it names on `nodeId`, or inserts a node on the
 * edge feeding `fix.targetPort` of `nodeId`, halfway between its two ends.
 */
export function applyQuickFix(store: EditorStore, nodeId: string, fix: QuickFix): { ok: true; nodeId: string } | { ok: false; reason: string } {
  const { doc } = store.getState();
  if (fix.kind === 'set-params') {
    const target = doc.nodes.find((n) => n.id === nodeId);
    if (!target) return { ok: false, reason: 'the node is gone' };
    setParams(store, nodeId, { ...target.params, ...fix.params }, fix.label);
    return { ok: true, nodeId };
  }
  const def = Object.hasOwn(store.registry, fix.nodeType) ? store.registry[fix.nodeType] : undefined;
  if (!def) return { ok: false, reason: `no node type "${fix.nodeType}" in this version` };
  const input = def.inputs[0];
  const output = def.outputs[0];
  if (!input || !output) return { ok: false, reason: `${def.title} cannot sit on an edge` };
  const edge = doc.edges.find((e) => e.target === nodeId && e.targetPort === fix.targetPort);
  if (!edge) return { ok: false, reason: `nothing is connected to ${fix.targetPort}` };
  const source = doc.nodes.find((n) => n.id === edge.source);
  const target = doc.nodes.find((n) => n.id === edge.target);
  if (!source || !target) return { ok: false, reason: 'the edge has lost an end' };
  const taken = takenIds(store);
  const id = freshId(fix.nodeType, taken);
  taken.add(id);
  const inId = freshId('e', taken);
  taken.add(inId);
  const outId = freshId('e', taken);
  const node: GraphNode = {
    id,
    type: fix.nodeType,
    position: { x: Math.round((source.position.x + target.position.x) / 2 + 30), y: Math.round((source.position.y + target.position.y) / 2) },
    params: { ...(fix.params ?? {}) },
  };
  const edit: Edit = {
    kind: 'batch',
    edits: [
      { kind: 'remove', nodeIds: [], edgeIds: [edge.id] },
      {
        kind: 'add',
        nodes: [node],
        edges: [
          { id: inId, source: edge.source, sourcePort: edge.sourcePort, target: id, targetPort: input.name },
          { id: outId, source: id, sourcePort: output.name, target: edge.target, targetPort: edge.targetPort },
        ],
      },
    ],
  };
  store.apply(edit, fix.label);
  store.select([id]);
  return { ok: true, nodeId: id };
}
