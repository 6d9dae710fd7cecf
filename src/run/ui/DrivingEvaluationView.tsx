/**
 * The RL evaluation: the baselines table, and the driving view replaying held-out episodes with
 * the agent or a baseline at the wheel (played live by the worker that trained the agent).
 */
import { useState } from 'react';
import type { DrivingEvaluation, PolicyScore } from '../client-types';
import { BaselinesTable } from './BaselinesTable';
import type { EarlierAgent } from './earlier-agents';
import { DrivingView } from './DrivingView';
import type { RunSession, SessionFrame } from './run-session';

export function DrivingEvaluationView({
  evaluation,
  frame,
  session,
  earlier = [],
}: {
  evaluation: DrivingEvaluation;
  frame: SessionFrame;
  session: RunSession;
  /** Earlier runs' agents on the same held-out seeds, offered beside this run's rows. */
  earlier?: readonly EarlierAgent[];
}) {
  const [episode, setEpisode] = useState(0);
  const [compare, setCompare] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const seed = evaluation.heldOutSeed + episode;
  const watch = (driver: PolicyScore['policy']) => {
    setError(null);
    session.watch(driver, seed).catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  };
  const evaluating = frame.snapshotCaption?.startsWith('evaluation');
  return (
    <div className="rp-live">
      {earlier.length > 0 && (
        <label className="rp-compare-earlier">
          <input type="checkbox" checked={compare} onChange={(e) => setCompare(e.target.checked)} data-testid="compare-earlier" /> Show{' '}
          {earlier.length === 1 ? "1 earlier run's agent" : `${earlier.length} earlier runs' agents`} on the same held-out seeds
        </label>
      )}
      <BaselinesTable evaluation={evaluation} earlier={compare ? earlier : []} />
      {evaluation.kept && <KeptWeights kept={evaluation.kept} />}
      <div className="rp-watch">
        <span className="muted">Watch held-out episode</span>
        <input
          type="number"
          min={0}
          max={Math.max(0, (evaluation.rows[0]?.episodes ?? 1) - 1)}
          value={episode}
          aria-label="Held-out episode"
          onChange={(e) => setEpisode(Math.max(0, Math.floor(Number(e.target.value) || 0)))}
        />
        <span className="muted mono">seed {seed}</span>
        {evaluation.rows.map((r) => (
          <button key={r.policy} type="button" className="btn small" disabled={!session.canWatch} onClick={() => watch(r.policy)} data-testid={`watch-${r.policy}`}>
            ▶ {r.label}
          </button>
        ))}
        {!session.canWatch && <span className="muted">(replays need the agent trained in this page)</span>}
      </div>
      {error && <div className="rp-alert error">{error}</div>}
      <DrivingView snapshot={evaluating ? frame.snapshot : null} version={frame.version} {...(frame.snapshotCaption ? { caption: frame.snapshotCaption } : {})} />
    </div>
  );
}

/** Which weights the agent drives with, where the Agent keeps the best, and how they were chosen. */
function KeptWeights({ kept }: { kept: NonNullable<DrivingEvaluation['kept']> }) {
  const step = kept.step.toLocaleString('en');
  const score = kept.validationReturn.toFixed(2);
  return (
    <p className="muted" data-testid="kept-weights">
      {kept.confirmedOn
        ? `The agent drives with its weights of step ${step}: of ${kept.validations} validations on ${kept.validationEpisodes} episodes, the best few were validated again on ${kept.validationEpisodes} new ones, and these had the best mean return over both sets: ${score} over ${kept.confirmedOn} episodes, on seeds apart from the held-out ones above.`
        : `The agent drives with its weights of step ${step}: the best mean return (${score}) of ${kept.validations} validations on ${kept.validationEpisodes} episodes, seeds apart from these.`}
    </p>
  );
}
