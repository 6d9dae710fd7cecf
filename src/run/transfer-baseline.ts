/**
 * For a run that started from another run's layers: the from-scratch run of the same graph in this
 * browser, if there is one, so its accuracy can stand next to the transfer's. "The same graph"
 * means the same layers, data, augmentation, loss and optimizer settings, the transfer aside.
 */
import type { SupervisedPlan, TrainingPlan } from '../graph/plan';
import type { RunListEntry } from './runs-db';
import { canonicalJson } from './runs-db-hash';
import type { RunRecord } from './runs-db-record';

/** The plan as a training recipe without its starting weights: equal for a transfer run and its from-scratch twin. */
export function recipeWithoutTransfer(plan: SupervisedPlan): string {
  const { initFromRun: _run, initMode: _mode, ...optimizer } = plan.optimizer.params;
  return canonicalJson({
    ops: plan.model.ops.map((op) => ({ id: op.id, nodeId: op.nodeId, spec: op.spec, inputs: op.inputs, shape: op.shape })),
    dataset: plan.dataset.params,
    augmentations: plan.augmentations.map((a) => a.params),
    loss: plan.loss.params,
    optimizer,
  });
}

/** A classifier's held-out accuracy from a stored evaluation, when it has one. */
export function accuracyOf(run: RunRecord): number | undefined {
  const e = run.evaluation as { kind?: string; accuracy?: unknown } | undefined;
  return e?.kind === 'classification' && typeof e.accuracy === 'number' ? e.accuracy : undefined;
}

/** What the Evaluation tab compares a transfer run with. */
export type Baseline = { kind: 'found'; run: RunRecord; accuracy: number } | { kind: 'none' };

/** The newest evaluated from-scratch run of `plan`'s recipe among `entries`; undefined when `plan` does not start from a run. */
export function scratchBaseline(plan: TrainingPlan, entries: readonly RunListEntry[]): Baseline | undefined {
  if (plan.mode !== 'supervised' || !plan.initFrom) return undefined;
  const recipe = recipeWithoutTransfer(plan);
  const twins = entries
    .flatMap((e) => (e.ok ? [e.run] : []))
    .filter((r) => r.plan.mode === 'supervised' && !r.plan.initFrom && accuracyOf(r) !== undefined && recipeWithoutTransfer(r.plan) === recipe)
    .sort((a, b) => b.updatedAt - a.updatedAt);
  const run = twins[0];
  return run ? { kind: 'found', run, accuracy: accuracyOf(run)! } : { kind: 'none' };
}
