/**
 * Edits are data: every change the editor makes to a document is one of these values, applied by a
 * pure function that never mutates its input. History records them; tests replay them.
 */
import type { GraphDocument, GraphEdge, GraphNode } from '../graph';

export type Edit =
  | { kind: 'add'; nodes: readonly GraphNode[]; edges: readonly GraphEdge[] }
  /** Removes nodes (with every edge touching them) and edges. */
  | { kind: 'remove'; nodeIds: readonly string[]; edgeIds: readonly string[] }
  | { kind: 'move'; positions: Readonly<Record<string, { x: number; y: number }>> }
  | { kind: 'setParams'; nodeId: string; params: Record<string, unknown> }
  | { kind: 'setLabel'; nodeId: string; label: string | undefined }
  | { kind: 'rename'; name: string }
  | { kind: 'setDescription'; description: string }
  | { kind: 'replace'; doc: GraphDocument }
  | { kind: 'batch'; edits: readonly Edit[] };

function removeElements(doc: GraphDocument, nodeIds: readonly string[], edgeIds: readonly string[]): GraphDocument {
  if (nodeIds.length === 0 && edgeIds.length === 0) return doc;
  const nodes = new Set(nodeIds);
  const edges = new Set(edgeIds);
  return {
    ...doc,
    nodes: nodes.size > 0 ? doc.nodes.filter((n) => !nodes.has(n.id)) : doc.nodes,
    edges: doc.edges.filter((e) => !edges.has(e.id) && !nodes.has(e.source) && !nodes.has(e.target)),
  };
}

function mapNode(doc: GraphDocument, nodeId: string, f: (n: GraphNode) => GraphNode): GraphDocument {
  let changed = false;
  const nodes = doc.nodes.map((n) => {
    if (n.id !== nodeId) return n;
    changed = true;
    return f(n);
  });
  return changed ? { ...doc, nodes } : doc;
}

/** Applies an edit; returns the same document object when the edit changes nothing. */
export function applyEdit(doc: GraphDocument, edit: Edit): GraphDocument {
  switch (edit.kind) {
    case 'add': {
      if (edit.nodes.length === 0 && edit.edges.length === 0) return doc;
      return { ...doc, nodes: [...doc.nodes, ...edit.nodes], edges: [...doc.edges, ...edit.edges] };
    }
    case 'remove':
      return removeElements(doc, edit.nodeIds, edit.edgeIds);
    case 'move': {
      let changed = false;
      const nodes = doc.nodes.map((n) => {
        const p = Object.hasOwn(edit.positions, n.id) ? edit.positions[n.id] : undefined;
        if (!p || (p.x === n.position.x && p.y === n.position.y)) return n;
        changed = true;
        return { ...n, position: { x: p.x, y: p.y } };
      });
      return changed ? { ...doc, nodes } : doc;
    }
    case 'setParams':
      return mapNode(doc, edit.nodeId, (n) => ({ ...n, params: { ...edit.params } }));
    case 'setLabel':
      return mapNode(doc, edit.nodeId, (n) => {
        const { label: _old, ...rest } = n;
        return edit.label ? { ...rest, label: edit.label } : rest;
      });
    case 'rename':
      return edit.name === doc.name ? doc : { ...doc, name: edit.name };
    case 'setDescription':
      return edit.description === doc.description ? doc : { ...doc, description: edit.description };
    case 'replace':
      return edit.doc;
    case 'batch':
      return edit.edits.reduce(applyEdit, doc);
  }
}

/** A node id not used in `doc`, derived from the type so ids stay readable, e.g. `dense-3`. */
export function freshId(prefix: string, taken: ReadonlySet<string>): string {
  const base = prefix.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'node';
  for (let i = 1; ; i++) {
    const id = `${base}-${i}`;
    if (!taken.has(id)) return id;
  }
}
