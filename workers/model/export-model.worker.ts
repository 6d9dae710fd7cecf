/**
 * A short-lived worker that turns a DQN checkpoint into TF.js model files, so exporting an RL
 * agent works without its training worker (after a reload, too) and keeps TF.js off the page.
 */
import * as tf from '@tensorflow/tfjs';
import * as Comlink from 'comlink';
import type { ModelPlan } from '../../src/graph/plan';
import type { ExportedModel, ExportWorkerApi, NamedWeights } from '../../src/protocol/export-model';
import { exportFromWeights } from './export-model-tensors';

const api: ExportWorkerApi = {
  async fromWeights(model: ModelPlan, weights: NamedWeights[], stem: string): Promise<ExportedModel> {
    // Building and saving a model is light work: the plain CPU backend needs no setup.
    await tf.setBackend('cpu');
    const exported = await exportFromWeights(model, weights, stem);
    return Comlink.transfer(exported, [exported.weights]);
  },
};

export type { ExportWorkerApi };

Comlink.expose(api);
