/**
 * A run's graph on a read-only canvas, with one node selected and brought into view: where the
 * diff table points. The stored graph is admitted the one way every document comes in.
 */
import { ReactFlowProvider, useReactFlow } from '@xyflow/react';
import { useEffect, useMemo } from 'react';
import { registry } from '../../../nodes/registry';
import { admitDocument } from '../../graph';
import { Canvas } from '../../editor/Canvas';
import { EditorContext } from '../../editor/context';
import { EditorStore } from '../../editor/store';

export interface RunGraphCanvasProps {
  document: unknown;
  runName: string;
  nodeId: string | null;
}

function FocusNode({ store, nodeId }: { store: EditorStore; nodeId: string | null }) {
  const flow = useReactFlow();
  useEffect(() => {
    if (!nodeId) return;
    store.select([nodeId]);
    // After the canvas has laid the nodes out.
    const t = setTimeout(() => void flow.fitView({ nodes: [{ id: nodeId }], maxZoom: 1.2, duration: 200 }), 50);
    return () => clearTimeout(t);
  }, [store, nodeId, flow]);
  return null;
}

const ignore = () => undefined;

export function RunGraphCanvas({ document, runName, nodeId }: RunGraphCanvasProps) {
  const admitted = useMemo(() => admitDocument(document, registry), [document]);
  const store = useMemo(() => (admitted.ok ? new EditorStore(registry, admitted.doc, { readOnly: true }) : null), [admitted]);
  if (!admitted.ok || !store) {
    return <p className="muted">The graph stored with “{runName}” cannot be shown: {admitted.ok ? '' : admitted.problems[0]?.message}</p>;
  }
  return (
    <div className="cmp-canvas" data-testid="compare-graph" data-run={runName} data-node={nodeId ?? ''}>
      <EditorContext.Provider value={store}>
        <ReactFlowProvider>
          <Canvas notify={ignore} />
          <FocusNode store={store} nodeId={nodeId} />
        </ReactFlowProvider>
      </EditorContext.Provider>
    </div>
  );
}
