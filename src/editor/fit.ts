/**
 * Fits the view to the document's own positions and sizes. React Flow's `fitView` reads its
 * internal node store, which lags a store update by a render and leaves out nodes it has not
 * measured (culled by `onlyRenderVisibleElements`); the document is always current.
 */
import { getViewportForBounds, type ReactFlowInstance } from '@xyflow/react';
import { NODE_SIZE } from './actions';
import type { EditorStore } from './store';

export const MIN_ZOOM = 0.05;

export function fitDocument(
  store: EditorStore,
  flow: Pick<ReactFlowInstance, 'setViewport'>,
  pane: { width: number; height: number },
  duration = 0,
): void {
  const { doc, measured } = store.getState();
  if (doc.nodes.length === 0 || pane.width === 0 || pane.height === 0) {
    void flow.setViewport({ x: 0, y: 0, zoom: 1 }, { duration });
    return;
  }
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const n of doc.nodes) {
    const size = measured.get(n.id) ?? NODE_SIZE;
    x0 = Math.min(x0, n.position.x);
    y0 = Math.min(y0, n.position.y);
    x1 = Math.max(x1, n.position.x + size.width);
    y1 = Math.max(y1, n.position.y + size.height);
  }
  const bounds = { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
  void flow.setViewport(getViewportForBounds(bounds, pane.width, pane.height, MIN_ZOOM, 1, 0.12), { duration });
}
