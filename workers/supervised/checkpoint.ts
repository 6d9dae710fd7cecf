/**
 * Checkpoints: a trained model as plain JSON plus one `ArrayBuffer` of weights, in TF.js's
 * Keras-compatible layers format, so it can be posted (transferred) out of the worker, stored in
 * IndexedDB and loaded again with `tf.loadLayersModel`.
 */
import * as tf from '@tensorflow/tfjs';
import { CHECKPOINT_FORMAT, CHECKPOINT_VERSION, type Checkpoint, type OptimizerState } from '../../src/protocol/checkpoint';

export { CHECKPOINT_FORMAT, CHECKPOINT_VERSION, type Checkpoint };

/** Serializes the model's topology and weights (trainable and BatchNorm statistics alike). */
export async function captureCheckpoint(
  model: tf.LayersModel,
  at: { epoch: number; step: number },
  optimizer?: OptimizerState,
): Promise<Checkpoint> {
  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
    { includeOptimizer: false },
  );
  if (!artifacts?.modelTopology || !artifacts.weightSpecs || !artifacts.weightData) {
    throw new Error('the model saved no topology or weights');
  }
  const data = artifacts.weightData;
  return {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    epoch: at.epoch,
    step: at.step,
    modelTopology: artifacts.modelTopology as object,
    weightSpecs: artifacts.weightSpecs,
    weightData: Array.isArray(data) ? tf.io.concatenateArrayBuffers(data) : data,
    ...(optimizer ? { optimizer } : {}),
  };
}

/** A copy owning its own buffers, to keep when the original's are transferred away. */
export function copyCheckpoint(c: Checkpoint): Checkpoint {
  return {
    ...c,
    weightData: c.weightData.slice(0),
    ...(c.trainingWeightData ? { trainingWeightData: c.trainingWeightData.slice(0) } : {}),
    ...(c.optimizer ? { optimizer: { ...c.optimizer, data: c.optimizer.data.slice(0) } } : {}),
  };
}

/** The buffers a checkpoint can hand over when posted: its weights and optimizer state. */
export function checkpointTransfers(checkpoint: Checkpoint): ArrayBuffer[] {
  const buffers = [checkpoint.weightData, checkpoint.optimizer?.data, checkpoint.trainingWeightData];
  return buffers.filter((b): b is ArrayBuffer => b !== undefined);
}

/** A checkpoint's bytes: weights, optimizer state, and the training weights beside an average. */
export function checkpointBytes(checkpoint: Checkpoint): number {
  return checkpointTransfers(checkpoint).reduce((n, b) => n + b.byteLength, 0);
}

/** Rebuilds a standalone model from a checkpoint. */
export async function loadCheckpoint(checkpoint: Checkpoint): Promise<tf.LayersModel> {
  if (checkpoint.format !== CHECKPOINT_FORMAT || checkpoint.version !== CHECKPOINT_VERSION) {
    throw new Error(`not a version ${CHECKPOINT_VERSION} ${CHECKPOINT_FORMAT}`);
  }
  return tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: checkpoint.modelTopology,
      weightSpecs: checkpoint.weightSpecs,
      weightData: checkpoint.weightData,
    }),
  );
}

/** Loads a checkpoint's weights into a model of the same architecture (e.g. to resume). */
export function restoreWeights(model: tf.LayersModel, checkpoint: Checkpoint): void {
  const named = tf.io.decodeWeights(checkpoint.weightData, checkpoint.weightSpecs);
  const weights = model.weights.map((w) => {
    const t = named[w.originalName] ?? named[w.name];
    if (!t) throw new Error(`checkpoint has no weight ${w.originalName}`);
    return t;
  });
  model.setWeights(weights);
  tf.dispose(Object.values(named));
}
