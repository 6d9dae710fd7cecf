/**
 * The one node component every node type uses: title, key params, inferred output shape, typed
 * handles and diagnostics, all read from the node's `NodeView`. Memoized; React Flow re-renders
 * it only when its own view, selection or position changes.
 */
import { Handle, Position, type NodeProps } from '@xyflow/react';
import { memo, useContext, useEffect, useState, type CSSProperties } from 'react';
import { PORT_KIND_LABEL } from '../graph';
import { applyQuickFix } from './actions';
import { useEditorStore } from './context';
import type { FlowNode } from './flow';
import { formatCount } from './format';
import { MinimalDetail } from './lod';
import type { NodeView, PortView } from './node-view';

function handleOffset(index: number, count: number): CSSProperties {
  return { left: `${((index + 1) / (count + 1)) * 100}%` };
}

function portTitle(port: PortView, direction: 'in' | 'out'): string {
  const kinds = port.kinds.map((k) => PORT_KIND_LABEL[k]).join(' or ');
  return `${port.label} (${direction === 'in' ? 'takes' : 'gives'} ${kinds}${port.optional ? ', optional' : ''})`;
}

/**
 * Whether the card renders its handles: always, except at the farthest zoom (see lod.ts), where
 * they go once React Flow has measured them for this view of the node. It measures a node in the
 * frame after it mounts or resizes (an edit can resize it), so two frames after the view last
 * changed the positions are stored; nothing else about the card changes, so it keeps its size.
 */
function useHandles(view: NodeView): boolean {
  const minimal = useContext(MinimalDetail);
  const [measuredView, setMeasuredView] = useState<NodeView | null>(null);
  const measured = measuredView === view;
  useEffect(() => {
    if (!minimal || measured) return;
    let second = 0;
    const first = requestAnimationFrame(() => {
      second = requestAnimationFrame(() => setMeasuredView(view));
    });
    return () => {
      cancelAnimationFrame(first);
      cancelAnimationFrame(second);
    };
  }, [minimal, measured, view]);
  return !minimal || !measured;
}

function NodeCardView({ id, data, selected }: NodeProps<FlowNode>) {
  const store = useEditorStore();
  const view = data.view;
  const first = view.diagnostics[0];
  const errors = view.diagnostics.filter((d) => d.severity === 'error').length;
  const showPortLabels = view.inputs.length > 1;
  const handles = useHandles(view);
  return (
    <div
      className={`node-card node-${view.category} status-${view.status}${selected ? ' selected' : ''}`}
      data-testid="node-card"
      data-node-id={id}
      data-node-type={view.type}
    >
      {handles && view.inputs.map((port, i) => (
        <Handle
          key={port.name}
          id={port.name}
          type="target"
          position={Position.Top}
          className={`port port-in${port.optional ? ' optional' : ''}`}
          style={{ ...handleOffset(i, view.inputs.length), background: port.color, borderColor: port.color }}
          title={portTitle(port, 'in')}
          data-port={port.name}
        />
      ))}
      {showPortLabels && (
        <div className="port-labels port-labels-in">
          {view.inputs.map((port, i) => (
            <span key={port.name} style={handleOffset(i, view.inputs.length)}>
              {port.label}
            </span>
          ))}
        </div>
      )}
      <div className="node-head">
        <span className="node-title" title={view.label ? `${view.label} (${view.title})` : view.title}>
          {view.label ?? view.title}
        </span>
        {view.label && <span className="node-type">{view.title}</span>}
        {view.status !== 'ok' && (
          <span
            className={`node-badge badge-${view.status}`}
            data-testid="node-badge"
            title={view.diagnostics.map((d) => d.message).join('\n')}
          >
            {errors > 0 ? errors : view.diagnostics.length}
          </span>
        )}
      </div>
      {view.summary && <div className="node-summary">{view.summary}</div>}
      {view.outputs.map((port) => (
        <div className="node-output" key={port.name}>
          <span className="out-arrow" style={{ color: port.color }}>
            →
          </span>
          <span className="out-value" data-testid="node-output">
            {port.value ?? '?'}
          </span>
          {view.outputs.length > 1 && <span className="out-label">{port.label}</span>}
          {view.paramCount > 0 && <span className="node-params">{formatCount(view.paramCount)} params</span>}
        </div>
      ))}
      {first && (
        <div className={`node-issue issue-${first.severity}`} data-testid="node-issue">
          <span className="issue-text">{first.message}</span>
          {first.fix && (
            <button
              type="button"
              className="fix-button nodrag"
              data-testid="quick-fix"
              onClick={(e) => {
                e.stopPropagation();
                applyQuickFix(store, id, first.fix!);
              }}
            >
              {first.fix.label}
            </button>
          )}
        </div>
      )}
      {handles && view.outputs.map((port, i) => (
        <Handle
          key={port.name}
          id={port.name}
          type="source"
          position={Position.Bottom}
          className="port port-out"
          style={{ ...handleOffset(i, view.outputs.length), background: port.color, borderColor: port.color }}
          title={portTitle(port, 'out')}
          data-port={port.name}
        />
      ))}
    </div>
  );
}

export const NodeCard = memo(NodeCardView);
