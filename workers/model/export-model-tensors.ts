/**
 * Rebuilds a plan's model from saved weight tensors (a DQN checkpoint keeps its Q-network's weights
 * without a topology) and saves it in TF.js format. Runs in the export worker
 * and in Node tests, never on the page's thread.
 */
import * as tf from '@tensorflow/tfjs';
import type { ModelPlan } from '../../src/graph/plan';
import { buildModel } from './model-builder';
import type { ExportedModel, NamedWeights } from '../../src/protocol/export-model';
import { toExportedModel } from '../../src/data/model-files';

export type { NamedWeights };

/** Builds `model`, loads `weights` (in the model's weight order) and saves it. Throws on a shape mismatch. */
export async function exportFromWeights(model: ModelPlan, weights: readonly NamedWeights[], stem: string, name = 'q_network'): Promise<ExportedModel> {
  const m = buildModel(model, name);
  try {
    if (weights.length !== m.weights.length) {
      throw new Error(`the checkpoint has ${weights.length} weight tensors, the model built from the plan has ${m.weights.length}`);
    }
    m.weights.forEach((w, i) => {
      const saved = weights[i]!;
      if (saved.shape.length !== w.shape.length || saved.shape.some((d, k) => d !== w.shape[k])) {
        throw new Error(`weight ${i} (${saved.name}) is [${saved.shape.join(',')}], the model expects [${w.shape.join(',')}]`);
      }
    });
    const tensors = weights.map((w) => tf.tensor(w.values, w.shape));
    m.setWeights(tensors);
    tf.dispose(tensors);
    let artifacts: tf.io.ModelArtifacts | undefined;
    await m.save(
      tf.io.withSaveHandler(async (a) => {
        artifacts = a;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    if (!artifacts) throw new Error('the model saved nothing');
    return toExportedModel(artifacts, stem);
  } finally {
    m.dispose();
  }
}
