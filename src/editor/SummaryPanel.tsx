/** Totals for the whole graph (parameters, FLOPs), whether it compiles, and every diagnostic. */
import { useReactFlow } from '@xyflow/react';
import { useEffect } from 'react';
import { DEFAULT_BACKEND_PREFERENCE, describeMemory, formatBytes, trainingBudget, type CompileResult, type Diagnostic } from '../graph';
import { useEditor, useEditorStore } from './context';
import { focusNode } from './focus';
import { formatCount, formatExact } from './format';
import { useMemoryLimits } from './gpu-limits';

/**
 * The store's compile result (made once per change, beside the analysis), for every panel that
 * shows it. The WebGPU adapter's limits arrive a moment after load; they are handed to the store,
 * which runs the memory check again only when they can change its verdict.
 */
export function useCompileResult(): CompileResult {
  const store = useEditorStore();
  const limits = useMemoryLimits();
  useEffect(() => {
    if (limits) store.setMemoryLimits(limits);
  }, [store, limits]);
  return useEditor((s) => s.compiled);
}

function DiagnosticRow({ d, title, onFocus }: { d: Diagnostic; title: string | undefined; onFocus?: () => void }) {
  const body = (
    <>
      <span className={`sev sev-${d.severity}`}>{d.severity === 'error' ? '●' : '▲'}</span>
      <span className="diag-text">
        {title && <strong>{title}: </strong>}
        {d.message}
      </span>
    </>
  );
  return (
    <li data-testid="diagnostic" data-node-id={d.nodeId ?? ''}>
      {onFocus ? (
        <button type="button" className="diag-row" onClick={onFocus} title="Show this node">
          {body}
        </button>
      ) : (
        <div className="diag-row">{body}</div>
      )}
    </li>
  );
}

export function SummaryPanel() {
  const store = useEditorStore();
  const flow = useReactFlow();
  const analysis = useEditor((s) => s.analysis);
  const views = useEditor((s) => s.views);
  const nodeCount = useEditor((s) => s.doc.nodes.length);
  const edgeCount = useEditor((s) => s.doc.edges.length);
  const result = useCompileResult();
  const diagnostics = result.diagnostics;
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  const model = result.ok ? result.plan.model : undefined;
  const memory = result.memory;
  const budget = trainingBudget(result.ok ? result.plan.backendPreference : DEFAULT_BACKEND_PREFERENCE);
  return (
    <section className="panel summary" data-testid="summary">
      <h2 className="panel-title">Summary</h2>
      <dl className="stats">
        <div>
          <dt>Parameters</dt>
          <dd data-testid="total-params" title={formatExact(model?.totalParams ?? analysis.totalParams)}>
            {formatCount(model?.totalParams ?? analysis.totalParams)}
          </dd>
        </div>
        <div>
          <dt>FLOPs / sample</dt>
          <dd data-testid="total-flops" title={formatExact(model?.totalFlops ?? analysis.totalFlops)}>
            {formatCount(model?.totalFlops ?? analysis.totalFlops)}
          </dd>
        </div>
        <div>
          <dt>Memory to train</dt>
          <dd
            data-testid="memory-estimate"
            className={memory && memory.totalBytes > budget ? 'over-budget' : undefined}
            title={memory ? `${describeMemory(memory)}. This browser can hold ~${formatBytes(budget)}.` : 'known once the graph compiles'}
          >
            {memory ? `~${formatBytes(memory.totalBytes)}` : '—'}
          </dd>
        </div>
        <div>
          <dt>Nodes · edges</dt>
          <dd>
            {nodeCount} · {edgeCount}
          </dd>
        </div>
      </dl>
      <p className={`compile-status ${result.ok ? 'ok' : 'bad'}`} data-testid="compile-status">
        {result.ok
          ? `Ready to train (${result.plan.mode === 'rl' ? 'reinforcement learning' : 'supervised'})`
          : `${errors} error${errors === 1 ? '' : 's'}${warnings ? `, ${warnings} warning${warnings === 1 ? '' : 's'}` : ''}`}
      </p>
      {diagnostics.length > 0 && (
        <ul className="diagnostics" data-testid="diagnostics">
          {diagnostics.slice(0, 200).map((d, i) => {
            const nodeId = d.nodeId;
            const view = nodeId ? views[nodeId] : undefined;
            return (
              <DiagnosticRow
                key={`${i}:${d.code}:${nodeId ?? ''}`}
                d={d}
                title={view ? (view.label ?? view.title) : undefined}
                {...(nodeId && view ? { onFocus: () => focusNode(store, flow, nodeId) } : {})}
              />
            );
          })}
        </ul>
      )}
    </section>
  );
}
