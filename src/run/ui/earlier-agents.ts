/**
 * Earlier runs' trained agents that can stand in the current run's evaluation table: runs whose
 * stored driving evaluation was played on the same held-out seeds (first seed and episode count)
 * of the same road (equal Environment settings), so their rows compare with this run's directly.
 */
import type { TrainingPlan } from '../../graph/plan';
import type { DrivingEvaluation, PolicyScore } from '../client-types';
import type { RunListEntry } from '../runs-db';

/** One earlier agent's held-out score, named for the table. */
export interface EarlierAgent extends PolicyScore {
  runId: string;
  runName: string;
  createdAt: number;
}

const isDriving = (e: unknown): e is DrivingEvaluation =>
  typeof e === 'object' && e !== null && (e as { kind?: unknown }).kind === 'driving' && Array.isArray((e as { rows?: unknown }).rows);

const sameRoad = (a: TrainingPlan, b: TrainingPlan): boolean =>
  a.mode === 'rl' && b.mode === 'rl' && JSON.stringify(a.environment.params) === JSON.stringify(b.environment.params);

/** Newest first; the current run (`currentRunId`) is left out. */
export function earlierAgents(entries: readonly RunListEntry[], current: DrivingEvaluation, plan: TrainingPlan | undefined, currentRunId: string | undefined): EarlierAgent[] {
  const agent = current.rows.find((r) => r.policy === 'agent');
  if (!agent || !plan) return [];
  const out: EarlierAgent[] = [];
  for (const e of entries) {
    if (!e.ok || e.run.id === currentRunId || !isDriving(e.run.evaluation)) continue;
    const theirs = e.run.evaluation;
    const row = theirs.rows.find((r) => r.policy === 'agent');
    if (!row || theirs.heldOutSeed !== current.heldOutSeed || row.episodes !== agent.episodes || !sameRoad(e.run.plan, plan)) continue;
    out.push({ ...row, runId: e.run.id, runName: e.run.name, createdAt: e.run.createdAt });
  }
  return out.sort((a, b) => b.createdAt - a.createdAt);
}
