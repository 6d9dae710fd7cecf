/**
 * The Optimizer's "Initialise from run…": a list of this browser's runs with stored weights instead
 * of a pasted id, the layers the chosen run would give this graph (by node id and shape, worked out
 * from the two plans before anything trains) and those left fresh, and fine-tune or freeze.
 */
import { useEffect, useId, useMemo, useState } from 'react';
import type { InspectorExtra, InspectorExtraProps } from '../../editor/Inspector';
import { lookupTransferSource, matchLayers, runLabel, transferCandidates } from '../transfer-source';
import { runsServices, useRunHistory, useSessionFrame } from './use-runs';

function TransferPicker({ params, readOnly, setParams, compiled }: InspectorExtraProps) {
  const { repo, session, ready } = runsServices();
  const frame = useSessionFrame(session);
  const { entries } = useRunHistory(repo, ready, frame.view.phase, frame.stored);
  const runId = typeof params.initFromRun === 'string' ? params.initFromRun : '';
  const mode = params.initMode === 'freeze' ? 'freeze' : 'fine-tune';
  const candidates = useMemo(() => transferCandidates(entries), [entries]);
  const source = candidates.find((r) => r.id === runId);
  // A named run that is not offered: say why (deleted, imported without its source, no weights yet).
  const [missing, setMissing] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    setMissing(null);
    if (!runId || source) return;
    void ready
      .then(() => lookupTransferSource(repo, runId))
      .then((found) => {
        if (live) setMissing(found.ok ? null : found.message);
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [repo, ready, runId, source]);
  const match = useMemo(() => {
    if (!source || !compiled.ok || compiled.plan.mode !== 'supervised') return null;
    return matchLayers(source.plan.model, compiled.plan.model);
  }, [source, compiled]);
  const selectId = useId();
  const modeId = useId();

  return (
    <div className="transfer-picker" data-testid="transfer-picker">
      <div className="field">
        <label htmlFor={selectId}>Initialise from run</label>
        <select
          id={selectId}
          data-testid="transfer-run"
          value={runId}
          disabled={readOnly}
          onChange={(e) => setParams({ initFromRun: e.target.value }, e.target.value ? 'Initialise from run' : 'Train from scratch')}
        >
          <option value="">none: train from scratch</option>
          {candidates.map((r) => (
            <option key={r.id} value={r.id}>
              {runLabel(r)}
            </option>
          ))}
          {runId && !source && <option value={runId}>{runId} (not available)</option>}
        </select>
      </div>
      {runId && (
        <div className="field">
          <label htmlFor={modeId}>Copied layers</label>
          <select id={modeId} data-testid="transfer-mode" value={mode} disabled={readOnly} onChange={(e) => setParams({ initMode: e.target.value }, 'Set transfer mode')}>
            <option value="fine-tune">fine-tune</option>
            <option value="freeze">freeze</option>
          </select>
        </div>
      )}
      {candidates.length === 0 && !runId && <p className="muted small">No run in this browser has stored weights yet: train one (an autoencoder, say) to start this graph from it.</p>}
      {missing && (
        <p className="field-error" role="alert" data-testid="transfer-missing">
          {missing}
        </p>
      )}
      {source && !match && <p className="muted small">Fix the graph’s errors to see which layers the run gives it.</p>}
      {match && (
        <div className="transfer-match" data-testid="transfer-match">
          {match.matched.length === 0 ? (
            <p className="field-error">None of this run’s layers fit this graph (layers are matched by node id and shape): the run would fail to start.</p>
          ) : (
            <p className="small">
              <b>{mode === 'freeze' ? 'Copied and frozen' : 'Copied, then fine-tuned'}</b> ({match.matched.length}):{' '}
              <span className="mono" data-testid="transfer-matched">
                {match.matched.join(', ')}
              </span>
            </p>
          )}
          {match.fresh.length > 0 && (
            <ul className="small" data-testid="transfer-fresh">
              {match.fresh.map((f) => (
                <li key={f.nodeId}>
                  <span className="mono">{f.nodeId}</span> starts fresh: {f.why}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}

/** The Optimizer's inspector section: it edits `initFromRun` and `initMode` itself. */
export const transferInspector: InspectorExtra = {
  replaces: ['initFromRun', 'initMode'],
  render: (props) => <TransferPicker {...props} />,
};
