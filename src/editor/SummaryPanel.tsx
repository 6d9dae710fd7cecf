/** Totals for the whole graph (parameters, FLOPs), whether it compiles, and every diagnostic. */
import { useReactFlow } from '@xyflow/react';
import { useMemo } from 'react';
import { compile, DEFAULT_BACKEND_PREFERENCE, describeMemory, formatBytes, limitsMatter, trainingBudget, type Diagnostic, type MemoryLimits } from '../graph';
import { useEditor, useEditorStore } from './context';
import { focusNode } from './focus';
import { formatCount, formatExact } from './format';
import { useMemoryLimits } from './gpu-limits';

/** Compiles the current document; recomputed only when its structure changes. */
/** One compile per analysis, shared by every panel that shows it (a 10,000-node compile takes ~0.2 s). */
const compiled = new WeakMap<object, { limits: MemoryLimits | undefined; result: ReturnType<typeof compile> }>();

export function useCompileResult() {
  const store = useEditorStore();
  const analysis = useEditor((s) => s.analysis);
  // The WebGPU adapter's limits arrive once, a moment after load: the memory check then runs again.
  const limits = useMemoryLimits();
  // `analysis` changes exactly when the structure does (see `analyze`); positions do not matter.
  return useMemo(() => {
    let hit = compiled.get(analysis);
    if (!hit || hit.limits !== limits) {
      // A large graph's compile takes ~0.2 s: one made before the adapter answered is kept when the answer cannot change it.
      const keep = hit && hit.limits === undefined && !limitsMatter(hit.result.memory, limits ?? {});
      hit = { limits, result: keep ? hit!.result : compile(store.getState().doc, store.registry, analysis, limits ? { limits } : {}) };
      compiled.set(analysis, hit);
    }
    return hit.result;
  }, [analysis, store, limits]);
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
