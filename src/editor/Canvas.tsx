/**
 * The React Flow canvas bound to the editor store. Changes React Flow reports (drags, selection,
 * sizes) become store updates; connections go through `canConnect`, and a refused one says why.
 */
import {
  Background,
  BackgroundVariant,
  Controls,
  MiniMap,
  ReactFlow,
  useReactFlow,
  useStore,
  type Connection as FlowConnection,
  type Edge,
  type EdgeChange,
  type EdgeTypes,
  type FinalConnectionState,
  type NodeChange,
  type NodeTypes,
} from '@xyflow/react';
import { useCallback, useEffect, useMemo, useRef, type DragEvent } from 'react';
import { canConnect, type Connection } from '../graph';
import { addNode, connect } from './actions';
import { useEditor, useEditorStore } from './context';
import { fitOnOpen, MIN_ZOOM } from './fit';
import { EDGE_TYPE, NODE_TYPE, useFlowEdges, useFlowNodes, type FlowEdge, type FlowNode } from './flow';
import { EdgeCanvas } from './EdgeCanvas';
import { MinimalDetail } from './lod';
import { MinimapLimitContext, MinimapNode, type MinimapLimit } from './MinimapNode';
import { useMountInSlices } from './progressive';
import { NodeCard } from './NodeCard';
import { ShapeEdge } from './ShapeEdge';
import type { Size } from './store';

/** Below this zoom, cards show only title and output shape, and edges lose their labels. */
const LOD_ZOOM = 0.45;
/** Below this zoom (a whole large graph in view), cards are plain labelled boxes. */
const LOD_MIN_ZOOM = 0.2;

/** What React Flow is given for edges while EdgeCanvas draws them. */
const NO_EDGES: FlowEdge[] = [];

/** Drag payload type for palette items. */
export const PALETTE_MIME = 'application/x-tensorloom-node';

const nodeTypes: NodeTypes = { [NODE_TYPE]: NodeCard };
const edgeTypes: EdgeTypes = { [EDGE_TYPE]: ShapeEdge };

export interface CanvasProps {
  /** Tells the user something (a refused connection); `tone` picks the toast style. */
  notify(message: string, tone?: 'info' | 'error'): void;
  /** A file was dropped on the canvas (an import). */
  onDropFile?(file: File): void;
}

function toConnection(c: FlowConnection | Edge): Connection | null {
  if (!c.sourceHandle || !c.targetHandle) return null;
  return { source: c.source, sourcePort: c.sourceHandle, target: c.target, targetPort: c.targetHandle };
}

function minimapColor(node: FlowNode): string {
  const status = node.data.view.status;
  return status === 'error' ? '#f3b1b4' : status === 'warning' ? '#f5d88f' : '#c9d4e3';
}

/**
 * Fits the view once per loaded document, from the document's own positions (React Flow's
 * `fitView` prop waits for every node to be measured, which never happens for nodes culled by
 * `onlyRenderVisibleElements`, and on a blank project it would fit on the first node dropped).
 */
function useFitOnLoad(): void {
  const flow = useReactFlow();
  const store = useEditorStore();
  const loads = useEditor((s) => s.loadCount);
  const width = useStore((s) => s.width);
  const height = useStore((s) => s.height);
  const fitted = useRef(-1);
  useEffect(() => {
    if (fitted.current === loads || width === 0 || height === 0) return;
    fitted.current = loads;
    fitOnOpen(store, flow, { width, height });
  }, [flow, store, loads, width, height]);
}

export function Canvas({ notify, onDropFile }: CanvasProps) {
  const store = useEditorStore();
  const readOnly = useEditor((s) => s.readOnly);
  const loads = useEditor((s) => s.loadCount);
  const allNodes = useFlowNodes();
  const { nodes, edges, mounting, minimapNodes } = useMountInSlices(allNodes, useFlowEdges(), loads);
  const minimapLimit = useMemo<MinimapLimit>(
    () => (minimapNodes === Infinity ? { limit: Infinity } : { limit: minimapNodes, order: new Map(allNodes.map((n, i) => [n.id, i])) }),
    [minimapNodes, allNodes],
  );
  const flow = useReactFlow();
  useFitOnLoad();
  // Level of detail: zoomed far out, text is unreadable anyway; drawing less keeps large graphs fluid.
  const detail = useStore((s) => (s.transform[2] < LOD_MIN_ZOOM ? ' lod-low lod-min' : s.transform[2] < LOD_ZOOM ? ' lod-low' : ''));
  const minimal = detail.includes('lod-min');

  const onNodesChange = useCallback(
    (changes: NodeChange<FlowNode>[]) => {
      const positions: Record<string, { x: number; y: number }> = {};
      let moved = false;
      let ended = false;
      const sizes = new Map<string, Size>();
      const selection = new Map<string, boolean>();
      for (const c of changes) {
        if (c.type === 'position' && c.position) {
          positions[c.id] = { x: Math.round(c.position.x), y: Math.round(c.position.y) };
          moved = true;
          if (!c.dragging) ended = true;
        } else if (c.type === 'position' && !c.dragging) {
          ended = true;
        } else if (c.type === 'dimensions' && c.dimensions) {
          sizes.set(c.id, { width: c.dimensions.width, height: c.dimensions.height });
        } else if (c.type === 'select') {
          selection.set(c.id, c.selected);
        }
      }
      if (moved) store.applyTransient({ kind: 'move', positions });
      if (ended) store.commitGesture('Move nodes');
      store.setMeasured(sizes);
      if (selection.size > 0) store.updateSelection(selection, new Map());
    },
    [store],
  );

  const onEdgesChange = useCallback(
    (changes: EdgeChange[]) => {
      const selection = new Map<string, boolean>();
      for (const c of changes) if (c.type === 'select') selection.set(c.id, c.selected);
      if (selection.size > 0) store.updateSelection(new Map(), selection);
    },
    [store],
  );

  const isValidConnection = useCallback(
    (c: FlowConnection | Edge) => {
      const conn = toConnection(c);
      return conn !== null && canConnect(store.getState().doc, store.registry, conn).ok;
    },
    [store],
  );

  const onConnect = useCallback(
    (c: FlowConnection) => {
      const conn = toConnection(c);
      if (!conn) return;
      const result = connect(store, conn);
      if (!result.ok) notify(`Cannot connect: ${result.reason}`, 'error');
    },
    [store, notify],
  );

  const onConnectEnd = useCallback(
    (_event: MouseEvent | TouchEvent, state: FinalConnectionState) => {
      if (state.isValid !== false || !state.fromHandle || !state.toHandle) return;
      const from = state.fromHandle;
      const to = state.toHandle;
      const [src, dst] = from.type === 'source' ? [from, to] : [to, from];
      if (src.type !== 'source' || dst.type !== 'target' || !src.id || !dst.id) {
        notify('Cannot connect: join an output (bottom) to an input (top)', 'error');
        return;
      }
      const verdict = canConnect(store.getState().doc, store.registry, {
        source: src.nodeId,
        sourcePort: src.id,
        target: dst.nodeId,
        targetPort: dst.id,
      });
      if (!verdict.ok) notify(`Cannot connect: ${verdict.reason}`, 'error');
    },
    [store, notify],
  );

  const onDragOver = useCallback((e: DragEvent) => {
    if (e.dataTransfer.types.includes(PALETTE_MIME) || e.dataTransfer.types.includes('Files')) {
      e.preventDefault();
      e.dataTransfer.dropEffect = 'copy';
    }
  }, []);

  const onDrop = useCallback(
    (e: DragEvent) => {
      const type = e.dataTransfer.getData(PALETTE_MIME);
      if (type) {
        e.preventDefault();
        if (readOnly) return;
        addNode(store, type, flow.screenToFlowPosition({ x: e.clientX, y: e.clientY }));
        return;
      }
      const file = e.dataTransfer.files[0];
      if (file && onDropFile) {
        e.preventDefault();
        onDropFile(file);
      }
    },
    [store, flow, readOnly, onDropFile],
  );

  return (
    <div className={`canvas${detail}`} data-testid="canvas" data-mounting={mounting || undefined} onDragOver={onDragOver} onDrop={onDrop}>
      <MinimalDetail.Provider value={minimal}>
        <ReactFlow<FlowNode>
          nodes={nodes}
          edges={minimal ? NO_EDGES : edges}
          nodeTypes={nodeTypes}
          edgeTypes={edgeTypes}
          onNodesChange={onNodesChange}
          onEdgesChange={onEdgesChange}
          onConnect={onConnect}
          onConnectEnd={onConnectEnd}
          isValidConnection={isValidConnection}
          nodesDraggable={!readOnly}
          nodesConnectable={!readOnly}
          deleteKeyCode={null}
          multiSelectionKeyCode={['Meta', 'Control', 'Shift']}
          selectionKeyCode="Shift"
          minZoom={MIN_ZOOM}
          maxZoom={2}
          onlyRenderVisibleElements={allNodes.length > 200}
        >
          <Background variant={BackgroundVariant.Dots} gap={20} size={1.2} color="#c8cfd8" />
          {minimal && <EdgeCanvas edges={edges} />}
          {minimapNodes > 0 && (
            <MinimapLimitContext.Provider value={minimapLimit}>
              <MiniMap<FlowNode>
                pannable
                zoomable
                nodeColor={minimapColor}
                nodeStrokeWidth={2}
                nodeComponent={MinimapNode}
                ariaLabel="Mini map"
                style={{ width: 168, height: 112 }}
              />
            </MinimapLimitContext.Provider>
          )}
          <Controls showInteractive={false} />
        </ReactFlow>
      </MinimalDetail.Provider>
    </div>
  );
}
