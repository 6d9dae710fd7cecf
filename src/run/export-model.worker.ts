/**
 * A short-lived worker that turns a DQN checkpoint into TF.js model files, so exporting an RL
 * agent works without its training worker (after a reload, too) and keeps TF.js off the page.
 */
import * as tf from '@tensorflow/tfjs';
import * as Comlink from 'comlink';
import type { ModelPlan } from '../graph/plan';
import type { ExportedModel } from './client-types';
import { exportFromWeights, type NamedWeights } from './export-model-tensors';

const api = {
  async fromWeights(model: ModelPlan, weights: NamedWeights[], stem: string): Promise<ExportedModel> {
    // Building and saving a model is light work: the plain CPU backend needs no setup.
    await tf.setBackend('cpu');
    const exported = await exportFromWeights(model, weights, stem);
    return Comlink.transfer(exported, [exported.weights]);
  },
};

export type ExportWorkerApi = typeof api;

Comlink.expose(api);
