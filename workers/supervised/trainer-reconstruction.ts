/**
 * Scores an autoencoder on held-out images: the Loss's value and the MSE on the [0, 1] pixel scale
 * (from which PSNR), the clean normalised image as both input and target. Reads no labels.
 */
import * as tf from '@tensorflow/tfjs';
import type { ImageSet } from '../../src/data/cifar';
import type { ReconstructionGrid } from '../../src/protocol/events';
import type { Augmenter } from './augment';
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

/** Images the reconstruction grid shows: enough to judge by eye, small enough to send every epoch. */
export const GRID_IMAGES = 6;
/**
 * Grids an evaluation keeps (it is stored on the run record, ~55 kB a grid of CIFAR-10 images): a
 * long run's are thinned to this many, first and last always kept.
 */
export const GRIDS_KEPT = 6;
/** Seeds the grid's own corruption, apart from training's random sequence. */
const GRID_SEED = 0x5eed;

export interface GridOptions {
  /** The training augmenter: its normalization and corruption, its inverse back to pixels. */
  augmenter: Augmenter;
  epoch: number;
}

/**
 * The first {@link GRID_IMAGES} images of `set` through the model in inference mode: each clean,
 * corrupted as in training (the same masks and noise every epoch) and reconstructed, as pixels.
 */
export async function reconstructionGrid(model: tf.LayersModel, set: ImageSet, o: GridOptions): Promise<ReconstructionGrid> {
  const n = Math.min(GRID_IMAGES, set.count);
  const xs = toImages(set, Array.from({ length: n }, (_, i) => i));
  const fixed = o.augmenter.fixedCorruption(GRID_SEED);
  const corrupts = fixed.corrupts;
  const [clean, seen, out] = tf.tidy(() => {
    const { input, clean: c } = fixed.trainPair(xs);
    const y = model.apply(input, { training: false }) as tf.Tensor4D;
    return [xs, fixed.toPixels(input), o.augmenter.toPixels(y)].map((t) => tf.cast(tf.round(t), 'int32'));
  });
  const [h, w, c] = set.shape;
  const split = async (t: tf.Tensor): Promise<Uint8Array[]> => {
    const all = Uint8Array.from(await t.data());
    return Array.from({ length: n }, (_, i) => all.slice(i * h * w * c, (i + 1) * h * w * c));
  };
  try {
    return {
      epoch: o.epoch,
      shape: [h, w, c],
      inputs: await split(clean!),
      ...(corrupts ? { corrupted: await split(seen!) } : {}),
      outputs: await split(out!),
    };
  } finally {
    tf.dispose([xs, clean!, seen!, out!]);
  }
}

/** At most `keep` grids, evenly spread over the run, the first and the last among them. */
export function thinGrids<T>(grids: readonly T[], keep = GRIDS_KEPT): T[] {
  if (grids.length <= keep) return [...grids];
  return Array.from({ length: keep }, (_, i) => grids[Math.round((i * (grids.length - 1)) / (keep - 1))]!);
}
