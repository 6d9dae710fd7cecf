/**
 * Edges drawn on one canvas when the whole of a large graph is in view. Far out (the `lod-min`
 * level of detail) edges are hair-thin and unlabelled, and Chromium repaints React Flow's SVG of
 * every edge whenever one of them moves: drawing them all on a canvas costs a fraction of that, so
 * dragging stays fluid with a thousand nodes on screen. React Flow is given no edges meanwhile (its
 * edge components would still place every hidden edge on every frame), and gets them back, with
 * their handles measured, as soon as the view zooms in.
 */
import { useStoreApi, type InternalNode, type ReactFlowState } from '@xyflow/react';
import { useEffect, useRef } from 'react';
import type { FlowEdge, FlowNode } from './flow';

/** Handle centre of `handleId` on `node`'s bottom (a source) or top (a target) edge, in flow coordinates. */
function anchor(node: InternalNode<FlowNode>, handleId: string | null | undefined, kind: 'source' | 'target'): [number, number] {
  const { x, y } = node.internals.positionAbsolute;
  const width = node.measured.width ?? 0;
  const height = node.measured.height ?? 0;
  const handle = node.internals.handleBounds?.[kind]?.find((h) => h.id === handleId);
  if (!handle) return [x + width / 2, kind === 'source' ? y + height : y];
  return [x + handle.x + handle.width / 2, y + handle.y + (kind === 'source' ? handle.height : 0)];
}

/** Draws every edge as a vertical S-curve from its source handle down to its target handle. */
function draw(canvas: HTMLCanvasElement, state: ReactFlowState<FlowNode, FlowEdge>, edges: readonly FlowEdge[]): void {
  const ratio = window.devicePixelRatio || 1;
  const width = Math.round(state.width * ratio);
  const height = Math.round(state.height * ratio);
  if (canvas.width !== width || canvas.height !== height) {
    canvas.width = width;
    canvas.height = height;
  }
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const [tx, ty, zoom] = state.transform;
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, width, height);
  ctx.setTransform(ratio * zoom, 0, 0, ratio * zoom, ratio * tx, ratio * ty);
  // One path per stroke style: a thousand-odd curves become a handful of stroke calls.
  const groups = new Map<string, Path2D>();
  for (const edge of edges) {
    const source = state.nodeLookup.get(edge.source);
    const target = state.nodeLookup.get(edge.target);
    if (!source || !target) continue;
    const [sx, sy] = anchor(source, edge.sourceHandle, 'source');
    const [ex, ey] = anchor(target, edge.targetHandle, 'target');
    const bend = Math.max(Math.abs(ey - sy) / 2, 40);
    const key = `${edge.data?.color ?? '#8c959f'}|${edge.data?.invalid ? 1 : 0}|${edge.selected ? 1 : 0}`;
    let path = groups.get(key);
    if (!path) groups.set(key, (path = new Path2D()));
    path.moveTo(sx, sy);
    path.bezierCurveTo(sx, sy + bend, ex, ey - bend, ex, ey);
  }
  for (const [key, path] of groups) {
    const [color, invalid, selected] = key.split('|');
    ctx.strokeStyle = color!;
    // As wide as the SVG edges would be, but never thinner than about half a screen pixel.
    ctx.lineWidth = Math.max(selected === '1' ? 3 : 1.75, (selected === '1' ? 1.5 : 0.5) / zoom);
    ctx.setLineDash(invalid === '1' ? [6, 4] : []);
    ctx.stroke(path);
  }
}

/** A canvas under React Flow's renderer that mirrors its edges; mount it only while it should show. */
export function EdgeCanvas({ edges }: { edges: readonly FlowEdge[] }) {
  const store = useStoreApi<FlowNode, FlowEdge>();
  const ref = useRef<HTMLCanvasElement>(null);
  // The editor's edges (React Flow is given none while this canvas draws them): a change of them
  // (an edit, a selection) subscribes afresh and redraws.
  useEffect(() => {
    const canvas = ref.current;
    if (!canvas) return;
    let frame = 0;
    const schedule = (): void => {
      if (frame === 0) frame = requestAnimationFrame(() => {
        frame = 0;
        draw(canvas, store.getState(), edges);
      });
    };
    schedule();
    // Positions change in place inside nodeLookup; `nodes` (and the others) change by reference.
    const unsubscribe = store.subscribe((s, previous) => {
      if (s.nodes !== previous.nodes || s.transform !== previous.transform || s.width !== previous.width || s.height !== previous.height) {
        schedule();
      }
    });
    return () => {
      unsubscribe();
      cancelAnimationFrame(frame);
    };
  }, [store, edges]);
  return <canvas ref={ref} className="edge-canvas" data-testid="edge-canvas" aria-hidden="true" />;
}
