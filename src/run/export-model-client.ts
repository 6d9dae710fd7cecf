/**
 * Exports a stored checkpoint as TF.js model files: supervised checkpoints are whole models
 * (topology and weights) and convert on the spot; a DQN checkpoint holds only weights, so its
 * Q-network is rebuilt from the plan in a short-lived export worker.
 */
import * as Comlink from 'comlink';
import type { TrainingPlan } from '../graph/plan';
import type { TrainerCheckpoint } from '../protocol/rl';
import type { ExportedModel } from './client-types';
import { exportFromCheckpoint } from '../data/model-files';
import type { ExportWorkerApi } from '../protocol/export-model';

function isRlCheckpoint(payload: unknown): payload is TrainerCheckpoint {
  const p = payload as Partial<TrainerCheckpoint> | null;
  return typeof p === 'object' && p !== null && p.format === 'tensorloom-rl-run' && Array.isArray(p.agent?.online);
}

export async function exportCheckpoint(plan: TrainingPlan, payload: unknown, stem: string): Promise<ExportedModel | undefined> {
  const direct = exportFromCheckpoint(payload, stem);
  if (direct) return direct;
  if (!isRlCheckpoint(payload)) return undefined;
  const worker = new Worker(new URL('../../workers/model/export-model.worker.ts', import.meta.url), { type: 'module', name: 'tensorloom-export' });
  const api = Comlink.wrap<ExportWorkerApi>(worker);
  try {
    return await api.fromWeights(plan.model, payload.agent.online, stem);
  } finally {
    api[Comlink.releaseProxy]();
    worker.terminate();
  }
}
