/**
 * Scores an autoencoder on held-out images: the Loss's value and the MSE on the [0, 1] pixel scale
 * (from which PSNR), the clean normalised image as both input and target. Reads no labels.
 */
import * as tf from '@tensorflow/tfjs';
import type { ImageSet } from '../../src/data/cifar';
import { batchRanges, toImages } from './data';
import { pixelMse, psnr, type LossFn } from './trainer-loss';

/** A reconstruction's numbers on one set. */
export interface ReconstructionReport {
  count: number;
  loss: number;
  /** Mean squared error on the [0, 1] pixel scale. */
  mse: number;
  /** Peak signal-to-noise ratio of `mse`, in dB. */
  psnr: number;
}

export interface ReconstructionOptions {
  batchSize: number;
  /** Raw pixels → model input and target (the augmenter's normalization). */
  prepare(x: tf.Tensor4D): tf.Tensor4D;
  loss: LossFn;
  /** Normalised units → [0, 1] pixel units, per channel. */
  scale: readonly number[];
}

/** Evaluates `model` on `set` in inference mode, one batch at a time; holds no tensors afterwards. */
export async function evaluateReconstruction(model: tf.LayersModel, set: ImageSet, o: ReconstructionOptions): Promise<ReconstructionReport> {
  let lossSum = 0;
  let mseSum = 0;
  for (const [from, to] of batchRanges(set.count, o.batchSize, false)) {
    const xs = toImages(set, Array.from({ length: to - from }, (_, i) => from + i));
    const both = tf.tidy(() => {
      const clean = o.prepare(xs);
      const out = model.apply(clean, { training: false }) as tf.Tensor;
      return tf.stack([o.loss(clean, out), pixelMse(clean, out, o.scale)]);
    });
    const [loss, mse] = await both.data();
    tf.dispose([both, xs]);
    lossSum += loss! * (to - from);
    mseSum += mse! * (to - from);
  }
  const mse = set.count > 0 ? mseSum / set.count : NaN;
  return { count: set.count, loss: set.count > 0 ? lossSum / set.count : NaN, mse, psnr: psnr(mse) };
}
