/**
 * The supervised losses on one-hot targets, as functions of (targets, model output) → scalar.
 */
import * as tf from '@tensorflow/tfjs';
import type { ModelPlan } from '../../src/graph/plan';
import type { LossSettings } from '../../nodes/training/loss';

/** A loss over a batch: one-hot targets `[n, k]` and the model's output `[n, k]`. */
export type LossFn = (targets: tf.Tensor2D, output: tf.Tensor2D) => tf.Scalar;

/**
 * True when the model ends in a softmax, so its output is already probabilities rather than logits
 * and cross-entropy must take their log instead of applying softmax a second time.
 */
export function outputIsProbabilities(model: ModelPlan): boolean {
  const last = model.ops.find((op) => op.id === model.output);
  return last?.spec.op === 'activation' && last.spec.fn === 'softmax';
}

/** Smallest probability fed to a log, so a confident wrong answer costs ~16, not Infinity. */
const PROB_FLOOR = 1e-7;

/**
 * Builds the loss. Label smoothing (cross-entropy only) mixes the one-hot target with the uniform
 * distribution: `y·(1 − ε) + ε / k`. MSE and Huber average over every class of every sample.
 */
export function makeLoss(settings: LossSettings, probabilities: boolean): LossFn {
  switch (settings.loss) {
    case 'softmaxCrossEntropy':
      if (!probabilities) {
        return (y, logits) => tf.losses.softmaxCrossEntropy(y, logits, undefined, settings.labelSmoothing);
      }
      return (y, p) =>
        tf.tidy(() => {
          const k = y.shape[1];
          const target = settings.labelSmoothing > 0 ? tf.add(tf.mul(y, 1 - settings.labelSmoothing), settings.labelSmoothing / k) : y;
          const logp = tf.log(tf.clipByValue(p, PROB_FLOOR, 1));
          return tf.neg(tf.mean(tf.sum(tf.mul(target, logp), 1))) as tf.Scalar;
        });
    case 'mse':
      return (y, out) => tf.losses.meanSquaredError(y, out);
    case 'huber':
      return (y, out) => tf.losses.huberLoss(y, out, undefined, settings.huberDelta);
  }
}

/** Share of rows whose largest output is the target class, as a scalar tensor. */
export function batchAccuracy(targets: tf.Tensor2D, output: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.cast(tf.equal(tf.argMax(output, 1), tf.argMax(targets, 1)), 'float32')));
}
