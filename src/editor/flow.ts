/**
 * Maps the editor state onto React Flow's nodes and edges. Objects are cached per element and
 * reused while their inputs are unchanged, so React Flow re-renders only what moved or changed.
 */
import type { Edge, Node } from '@xyflow/react';
import { useMemo, useRef } from 'react';
import { describeValue, type GraphEdge, type GraphNode } from '../graph';
import { useEditor } from './context';
import type { NodeView } from './node-view';
import type { Size } from './store';

export type FlowNode = Node<{ view: NodeView }>;

export interface ShapeEdgeData extends Record<string, unknown> {
  /** The tensor shape (or kind) the edge carries, when inferred. */
  label?: string;
  color: string;
  /** The edge failed port checks: drawn dashed in red. */
  invalid: boolean;
}

export type FlowEdge = Edge<ShapeEdgeData>;

/** The React Flow node type every registered node uses; unknown types get their own card style. */
export const NODE_TYPE = 'tensorloom';
export const EDGE_TYPE = 'shape';

interface NodeCacheEntry {
  node: GraphNode;
  view: NodeView;
  selected: boolean;
  size: Size | undefined;
  flow: FlowNode;
}

export function useFlowNodes(): FlowNode[] {
  const nodes = useEditor((s) => s.doc.nodes);
  const views = useEditor((s) => s.views);
  const selected = useEditor((s) => s.selectedNodes);
  const measured = useEditor((s) => s.measured);
  const cache = useRef(new Map<string, NodeCacheEntry>());
  return useMemo(() => {
    const next = new Map<string, NodeCacheEntry>();
    const flow = nodes.map((node) => {
      const view = views[node.id]!;
      const isSelected = selected.has(node.id);
      const size = measured.get(node.id);
      const old = cache.current.get(node.id);
      if (old && old.node.position === node.position && old.view === view && old.selected === isSelected && old.size === size) {
        next.set(node.id, old);
        return old.flow;
      }
      const f: FlowNode = {
        id: node.id,
        type: NODE_TYPE,
        position: node.position,
        data: { view },
        selected: isSelected,
        ...(size ? { measured: size } : {}),
      };
      next.set(node.id, { node, view, selected: isSelected, size, flow: f });
      return f;
    });
    cache.current = next;
    return flow;
  }, [nodes, views, selected, measured]);
}

const INVALID_COLOR = '#d1242f';

interface EdgeCacheEntry {
  edge: GraphEdge;
  data: ShapeEdgeData;
  selected: boolean;
  flow: FlowEdge;
}

function sameData(a: ShapeEdgeData, b: ShapeEdgeData): boolean {
  return a.label === b.label && a.color === b.color && a.invalid === b.invalid;
}

export function useFlowEdges(): FlowEdge[] {
  const edges = useEditor((s) => s.doc.edges);
  const analysis = useEditor((s) => s.analysis);
  const views = useEditor((s) => s.views);
  const selected = useEditor((s) => s.selectedEdges);
  const cache = useRef(new Map<string, EdgeCacheEntry>());
  return useMemo(() => {
    const invalid = new Set(analysis.invalidEdges);
    const next = new Map<string, EdgeCacheEntry>();
    const flow = edges.map((e: GraphEdge): FlowEdge => {
      const bad = invalid.has(e.id);
      const port = views[e.source]?.outputs.find((p) => p.name === e.sourcePort);
      const value = analysis.edgeValues[e.id];
      const data: ShapeEdgeData = {
        color: bad ? INVALID_COLOR : (port?.color ?? '#8c959f'),
        invalid: bad,
        ...(value ? { label: describeValue(value) } : {}),
      };
      const isSelected = selected.has(e.id);
      const old = cache.current.get(e.id);
      if (old && old.edge === e && old.selected === isSelected && sameData(old.data, data)) {
        next.set(e.id, old);
        return old.flow;
      }
      const f: FlowEdge = {
        id: e.id,
        type: EDGE_TYPE,
        source: e.source,
        sourceHandle: e.sourcePort,
        target: e.target,
        targetHandle: e.targetPort,
        selected: isSelected,
        data,
      };
      next.set(e.id, { edge: e, data, selected: isSelected, flow: f });
      return f;
    });
    cache.current = next;
    return flow;
  }, [edges, analysis, views, selected]);
}
