/**
 * Past runs from the runs database, newest first: what was trained, on which backend, how far it
 * got and how it scored. Interrupted runs (a reload cut them off) can be resumed from their last
 * checkpoint; any run can be shown again or deleted.
 */
import type { RunListEntry } from '../runs-db';
import type { TrainingPlan } from '../../graph/plan';
import type { RunRecord } from '../runs-db-record';
import { checkpointWords, resumeOffer } from './resume-offer';
import { formatDuration } from './frame-throttle';

/** Whether a run can continue from its checkpoint: both workers restore one, so whether there is one. */
export function canContinue(r: RunRecord): boolean {
  return r.lastCheckpoint !== undefined;
}

export interface RunHistoryProps {
  entries: RunListEntry[];
  currentId?: string;
  /** A run is going in this page: resuming another must wait. */
  busy: boolean;
  onShow(run: RunRecord): void;
  onResume(run: RunRecord): void;
  /** Scores weights trained elsewhere on the held-out images (a resumed run with no epochs left). */
  onEvaluate?(run: RunRecord): void;
  onDelete(id: string): void;
  /** The graph's current plan: a failed run resumes with it when its model is the same. */
  livePlan?: TrainingPlan | null;
  /** Whether a live run is driven by another tab (shown so; this tab can only watch its record). */
  elsewhere?(run: RunRecord): boolean;
}

function ago(t: number, now = Date.now()): string {
  const s = Math.max(0, Math.round((now - t) / 1000));
  if (s < 60) return 'just now';
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return new Date(t).toLocaleDateString();
}

function progressOf(r: RunRecord): string {
  const p = r.progress;
  if (r.mode === 'rl') return `${p.step.toLocaleString('en-US')} / ${p.steps.toLocaleString('en-US')} steps`;
  if (p.budgetMs) return `epoch ${p.epoch} · ${formatDuration(p.budgetMs / 1000)} budget · ${p.step.toLocaleString('en-US')} steps`;
  return `epoch ${p.epoch} / ${p.epochs} · ${p.step.toLocaleString('en-US')} steps`;
}

/** The headline result: test (or validation) accuracy, or the agent's mean evaluation return. */
export function resultOf(r: RunRecord): string {
  const e = r.evaluation as { kind?: string; accuracy?: number; psnr?: number; rows?: { policy: string; meanReturn: number }[] } | undefined;
  if (e?.kind === 'classification' && typeof e.accuracy === 'number') return `${(e.accuracy * 100).toFixed(1)}% acc`;
  if (e?.kind === 'reconstruction' && typeof e.psnr === 'number') return `${e.psnr.toFixed(1)} dB PSNR`;
  const agent = e?.kind === 'driving' ? e.rows?.find((row) => row.policy === 'agent') : undefined;
  if (agent) return `return ${agent.meanReturn.toFixed(2)}`;
  const val = r.history.valAccuracy?.y;
  if (val && val.length > 0) return `${(val[val.length - 1]! * 100).toFixed(1)}% val`;
  const ret = r.history.episodeReturn?.y;
  if (ret && ret.length > 0) return `return ${ret[ret.length - 1]!.toFixed(2)}`;
  return '—';
}

export function RunHistory({ entries, currentId, busy, onShow, onResume, onEvaluate, onDelete, livePlan = null, elsewhere }: RunHistoryProps) {
  if (entries.length === 0) return <p className="rp-empty">No runs yet. Runs are kept in this browser with their metrics and checkpoints.</p>;
  return (
    <table className="rp-table rp-history" data-testid="run-history">
      <thead>
        <tr>
          <th>Run</th>
          <th>Status</th>
          <th>Backend</th>
          <th>Progress</th>
          <th>Result</th>
          <th>Started</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {entries.map((entry) => {
          if (!entry.ok) {
            return (
              <tr key={entry.id} data-testid="run-row">
                <td colSpan={5} className="muted">
                  Unreadable run record: {entry.problem}
                </td>
                <td />
                <td className="rp-actions">
                  <button type="button" className="btn small danger" onClick={() => onDelete(entry.id)}>
                    Delete
                  </button>
                </td>
              </tr>
            );
          }
          const r = entry.run;
          const resumable = r.status === 'interrupted' || r.status === 'stopped' || r.status === 'failed';
          return (
            <tr key={r.id} className={r.id === currentId ? 'current' : undefined} data-testid="run-row" data-status={r.status} data-run-id={r.id}>
              <td>
                <div>{r.name}</div>
                <div className="muted mono" style={{ fontSize: 10.5 }} title={`plan ${r.planHash}`}>
                  {r.mode === 'rl' ? 'RL' : 'supervised'} · plan {r.planHash.slice(0, 8)}
                </div>
              </td>
              <td>
                <span className={`rp-status-pill ${r.status}`} title={r.error ?? (r.status === 'completed-without-checkpoint' ? 'storage was full: the trained weights were not stored' : undefined)}>
                  {r.status === 'completed-without-checkpoint' ? 'finished without checkpoint' : r.status}
                </span>
                {r.importedFrom && (
                  <div className="muted" data-testid="run-trained-elsewhere" title={`imported from ${r.importedFrom.file}`}>
                    trained elsewhere
                  </div>
                )}
                {elsewhere?.(r) && (
                  <div className="muted" data-testid="run-elsewhere">
                    in another tab
                  </div>
                )}
              </td>
              <td className="mono">{r.backend ?? '—'}</td>
              <td className="mono">{r.importedFrom ? '—' : progressOf(r)}</td>
              <td className="mono">{resultOf(r)}</td>
              <td className="muted">{ago(r.createdAt)}</td>
              <td>
                <div className="rp-actions">
                  <button type="button" className="btn small" onClick={() => onShow(r)} disabled={busy}>
                    Show
                  </button>
                  {r.importedFrom && r.mode === 'supervised' && onEvaluate && !resumable && (
                    <button type="button" className="btn small primary" data-testid="evaluate-run" disabled={busy} onClick={() => onEvaluate(r)} title="Score these weights on the held-out images">
                      Evaluate
                    </button>
                  )}
                  {resumable && (
                    <button
                      type="button"
                      className="btn small primary"
                      data-testid={canContinue(r) ? 'resume-run' : 'restart-run'}
                      disabled={busy}
                      onClick={() => onResume(r)}
                      title={canContinue(r) ? resumeOffer(r, livePlan) : `${checkpointWords(r)}: starts a new run of the same plan`}
                    >
                      {canContinue(r) ? 'Resume' : 'Restart'}
                    </button>
                  )}
                  <button type="button" className="btn small ghost" onClick={() => onDelete(r.id)} disabled={(busy && r.id === currentId) || elsewhere?.(r) === true} aria-label="Delete run">
                    ✕
                  </button>
                </div>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
