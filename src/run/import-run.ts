/**
 * Stores weights trained elsewhere as a run of the open graph: a finished run record marked
 * `importedFrom`, with the graph's plan and one checkpoint at the plan's last epoch. History lists
 * it, Export reads its checkpoint, and Evaluate resumes it, which trains nothing (no epochs are
 * left) and runs the final evaluation on the imported weights.
 */
import type { SupervisedPlan, TrainingPlan } from '../graph/plan';
import type { Checkpoint } from '../protocol/checkpoint';
import { importWeights, readModelFiles, type PickedFile, type Refusable } from './import-weights';
import { newRunOf, type RunRepository } from './runs-db';
import type { RunRecord } from './runs-db-record';
import { describeLink, transferLinkOf } from './transfer-link';

/**
 * Checks the picked files against `plan` and stores them as an imported run; nothing is stored when
 * refused. Weights exported from a run that started from another keep that link; `note` says so,
 * and whether that run is in this browser.
 */
export async function storeImportedRun(
  repo: RunRepository,
  plan: TrainingPlan | null,
  picked: readonly PickedFile[],
  now = Date.now(),
): Promise<Refusable<{ run: RunRecord; note?: string }>> {
  if (!plan) return { ok: false, message: 'Fix the graph’s errors first: imported weights are checked against the open graph' };
  if (plan.mode !== 'supervised') return { ok: false, message: 'Importing weights is for supervised graphs; this one trains an agent' };
  const read = readModelFiles(picked);
  if (!read.ok) return read;
  const epochs = epochsOf(plan);
  const imported = importWeights(plan.model, read.files, { epoch: epochs, step: 0 });
  if (!imported.ok) return imported;
  const link = transferLinkOf(read.files.modelJson);
  const run = await repo.create(
    await newRunOf(plan, {
      backendRequest: 'auto',
      status: 'completed',
      progress: { epoch: epochs, epochs, step: 0, steps: 0 },
      importedFrom: { file: read.source, at: now },
      ...(link ? { transfer: link } : {}),
    }),
  );
  try {
    await repo.saveCheckpoint(run.id, epochs, 0, checkpointOf(plan, imported.checkpoint), imported.checkpoint.weightData.byteLength);
  } catch (e) {
    // A record without its weights would list a run that cannot be evaluated or exported.
    await repo.delete(run.id).catch(() => undefined);
    return { ok: false, message: `The weights could not be stored: ${e instanceof Error ? e.message : String(e)}` };
  }
  const stored = await repo.get(run.id);
  const note = link ? describeLink(link, (await repo.get(link.runId)) !== undefined) : undefined;
  return { ok: true, run: stored?.ok ? stored.run : run, ...(note ? { note } : {}) };
}

/**
 * Under a time budget a run ends by its clock, not its epoch: the imported run's budget is marked
 * spent, so Evaluate only evaluates (without it, it would train the whole budget first).
 */
function checkpointOf(plan: SupervisedPlan, checkpoint: Checkpoint): Checkpoint {
  const minutes = Number(plan.optimizer.params.budgetMinutes ?? 0);
  return minutes > 0 ? { ...checkpoint, trainedMs: minutes * 60_000 } : checkpoint;
}

function epochsOf(plan: SupervisedPlan): number {
  return Number(plan.optimizer.params.epochs ?? 0);
}
