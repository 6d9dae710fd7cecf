/** Brings a node into view and selects it (from the diagnostics list or a search). */
import type { ReactFlowInstance } from '@xyflow/react';
import { NODE_SIZE } from './actions';
import type { EditorStore } from './store';

export function focusNode(store: EditorStore, flow: Pick<ReactFlowInstance, 'setCenter' | 'getZoom'>, nodeId: string): void {
  const state = store.getState();
  const node = state.doc.nodes.find((n) => n.id === nodeId);
  if (!node) return;
  const size = state.measured.get(nodeId) ?? NODE_SIZE;
  store.select([nodeId]);
  void flow.setCenter(node.position.x + size.width / 2, node.position.y + size.height / 2, {
    zoom: Math.max(flow.getZoom(), 0.9),
    duration: 250,
  });
}
