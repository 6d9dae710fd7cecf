/**
 * The supervised losses, as functions of (targets, model output) → scalar: on one-hot targets for a
 * classifier, on the clean normalised image for a reconstruction.
 */
import * as tf from '@tensorflow/tfjs';
import type { ModelPlan } from '../../src/graph/plan';
import type { LossSettings } from '../../nodes/training/loss';

/** A loss over a batch: one-hot targets `[n, k]` (or images `[n, h, w, c]`) and the model's output of the same shape. */
export type LossFn = (targets: tf.Tensor, output: tf.Tensor) => tf.Scalar;

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
 * Builds the loss. A reconstruction (`target: 'input'`) compares pixels: MSE, L1 or Huber averaged
 * over every value of the image. Label smoothing (cross-entropy only) mixes the one-hot target with the uniform
 * distribution: `y·(1 − ε) + ε / k`. MSE and Huber average over every class of every sample.
 */
export function makeLoss(settings: LossSettings, probabilities: boolean): LossFn {
  if (settings.target === 'input' && settings.loss === 'softmaxCrossEntropy') {
    throw new Error('a reconstruction compares pixels: cross-entropy does not apply');
  }
  switch (settings.loss) {
    case 'softmaxCrossEntropy':
      if (!probabilities) {
        return (y, logits) => tf.losses.softmaxCrossEntropy(y, logits, undefined, settings.labelSmoothing);
      }
      return (y, p) =>
        tf.tidy(() => {
          const k = y.shape[1]!;
          const target = settings.labelSmoothing > 0 ? tf.add(tf.mul(y, 1 - settings.labelSmoothing), settings.labelSmoothing / k) : y;
          const logp = tf.log(tf.clipByValue(p, PROB_FLOOR, 1));
          return tf.neg(tf.mean(tf.sum(tf.mul(target, logp), 1))) as tf.Scalar;
        });
    case 'mse':
      return (y, out) => tf.losses.meanSquaredError(y, out);
    case 'huber':
      return (y, out) => tf.losses.huberLoss(y, out, undefined, settings.huberDelta);
    case 'l1':
      return (y, out) => tf.losses.absoluteDifference(y, out);
  }
}

/**
 * Mean squared error on the [0, 1] pixel scale of a reconstruction: `scale` per channel takes the
 * normalised image back to that scale (`Augmenter.unitScale`). PSNR is `−10·log10` of it.
 */
export function pixelMse(clean: tf.Tensor, output: tf.Tensor, scale: readonly number[]): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.square(tf.mul(tf.sub(output, clean), tf.tensor1d([...scale])))) as tf.Scalar);
}

/** Peak signal-to-noise ratio in dB of an MSE on the [0, 1] pixel scale. */
export function psnr(mse: number): number {
  return -10 * Math.log10(Math.max(mse, 1e-12));
}

/** Share of rows whose largest output is the target class, as a scalar tensor. */
export function batchAccuracy(targets: tf.Tensor, output: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.cast(tf.equal(tf.argMax(output, 1), tf.argMax(targets, 1)), 'float32')));
}
