/**
 * Fits the view to the document's own positions and sizes. React Flow's `fitView` reads its
 * internal node store, which lags a store update by a render and leaves out nodes it has not
 * measured (culled by `onlyRenderVisibleElements`); the document is always current.
 */
import { getViewportForBounds, type ReactFlowInstance } from '@xyflow/react';
import { NODE_SIZE } from './actions';
import type { EditorStore } from './store';

export const MIN_ZOOM = 0.05;

/**
 * Past this many nodes a document opens zoomed in on its top-left corner instead of whole: seen
 * whole, every card is drawn, and React Flow mounting 10,000 cards blocked the page for seconds.
 * Fit (F) still shows it all.
 */
export const OPEN_WHOLE_LIMIT = 1500;
/** The zoom a large document opens at: cards readable, a hundred or so on screen. */
const OPEN_ZOOM = 0.5;

function documentBounds(store: EditorStore): { x: number; y: number; width: number; height: number } {
  const { doc, measured } = store.getState();
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const n of doc.nodes) {
    const size = measured.get(n.id) ?? NODE_SIZE;
    x0 = Math.min(x0, n.position.x);
    y0 = Math.min(y0, n.position.y);
    x1 = Math.max(x1, n.position.x + size.width);
    y1 = Math.max(y1, n.position.y + size.height);
  }
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

/** The view a freshly opened document gets: all of it, or for a large one its top-left corner. */
export function fitOnOpen(store: EditorStore, flow: Pick<ReactFlowInstance, 'setViewport'>, pane: { width: number; height: number }): void {
  const { doc } = store.getState();
  if (doc.nodes.length <= OPEN_WHOLE_LIMIT || pane.width === 0 || pane.height === 0) {
    fitDocument(store, flow, pane);
    return;
  }
  const b = documentBounds(store);
  const margin = 40;
  void flow.setViewport({ x: margin - b.x * OPEN_ZOOM, y: margin - b.y * OPEN_ZOOM, zoom: OPEN_ZOOM });
}

export function fitDocument(
  store: EditorStore,
  flow: Pick<ReactFlowInstance, 'setViewport'>,
  pane: { width: number; height: number },
  duration = 0,
): void {
  const { doc } = store.getState();
  if (doc.nodes.length === 0 || pane.width === 0 || pane.height === 0) {
    void flow.setViewport({ x: 0, y: 0, zoom: 1 }, { duration });
    return;
  }
  void flow.setViewport(getViewportForBounds(documentBounds(store), pane.width, pane.height, MIN_ZOOM, 1, 0.12), { duration });
}
