/**
 * What Resume does to a stored run, decided in one place for the panel and the history list: from
 * which checkpoint, and with which plan (issue 13: resuming a diverged run used to ignore the fixes
 * made since).
 */
import type { TrainingPlan } from '../../graph/plan';
import type { RunRecord } from '../runs-db-record';

/** Whether `plan` can continue `run`'s checkpoints: the same kind of run and the same model. */
export function fitsCheckpoints(run: RunRecord, plan: TrainingPlan): boolean {
  return plan.mode === run.mode && JSON.stringify(plan.model) === JSON.stringify(run.plan.model);
}

/**
 * The plan a run continues with. A failed run takes the graph's current plan when its model is the
 * same (the checkpoint fits), so the fixes made since the failure — a lower learning rate, a
 * warm-up — apply, as a user who fixed the graph expects; interrupted and stopped runs continue
 * exactly as they were.
 */
export function resumePlan(run: RunRecord, livePlan: TrainingPlan | null): TrainingPlan {
  return run.status === 'failed' && livePlan && fitsCheckpoints(run, livePlan) ? livePlan : run.plan;
}

/** "checkpoint after epoch 2", or for a stop point inside an epoch "checkpoint at step 18 (in epoch 2)". */
export function checkpointWords(r: RunRecord): string {
  if (r.lastCheckpoint === undefined) return 'no checkpoint yet';
  if (r.mode === 'rl') return `checkpoint at step ${r.lastCheckpoint.toLocaleString('en-US')}`;
  const { epochs, steps } = r.progress;
  const perEpoch = epochs > 0 && steps > 0 ? steps / epochs : undefined;
  const step = r.lastCheckpointStep;
  if (step === undefined || perEpoch === undefined || step === perEpoch * r.lastCheckpoint) return `checkpoint after epoch ${r.lastCheckpoint}`;
  return `checkpoint at step ${step.toLocaleString('en-US')} (in epoch ${r.lastCheckpoint + 1})`;
}

/** Where the newest checkpoint lies, without the noun: "after epoch 2", "at step 18 (in epoch 2)"; undefined before the first. */
export function savedWords(r: RunRecord): string | undefined {
  return r.lastCheckpoint === undefined ? undefined : checkpointWords(r).replace(/^checkpoint /, '');
}

/** What Resume will do, in words. */
export function resumeOffer(run: RunRecord, livePlan: TrainingPlan | null): string {
  const from = checkpointWords(run);
  if (run.status !== 'failed') return `Resume continues from the ${from}, exactly where training stopped.`;
  return resumePlan(run, livePlan) !== run.plan
    ? `Resume continues from the ${from} with the graph’s current settings, so changes made since the failure apply.`
    : `Resume continues from the ${from} with the run’s own settings (the graph’s model differs from the run’s, so its checkpoint would not fit).`;
}
