/**
 * The supervised data pipeline before the device: a deterministic synthetic dataset, the train /
 * validation split, and shuffled mini-batches of raw 0–255 pixels as tensors. Images stay as
 * `Uint8Array` in memory (CIFAR-10 is 150 MB that way, 600 MB as float32) and become float only one
 * batch at a time.
 */
import * as tf from '@tensorflow/tfjs';
import type { ImageSet } from '../../src/data/cifar';
import type { DatasetSettings } from '../../nodes/data/dataset';
import { Mulberry32 } from '../../src/rl/random';

/** The Dataset settings the synthetic source reads. */
export type SyntheticParams = Pick<DatasetSettings, 'numClasses' | 'imageSize' | 'channels' | 'samples' | 'seed'>;

/**
 * Images whose class decides a grating's orientation, its frequency and its colour; each sample
 * gets its own phase, contrast and pixel noise. A small conv net separates the classes, a linear
 * model on raw pixels does poorly (the random phase defeats template matching).
 */
export function syntheticDataset(p: SyntheticParams): ImageSet {
  const rnd = new Mulberry32(p.seed);
  const { imageSize: s, channels: c, numClasses: k, samples: n } = p;
  const images = new Uint8Array(n * s * s * c);
  const labels = new Uint8Array(n);
  const order = rnd.permutation(n);
  for (let i = 0; i < n; i++) labels[order[i]!] = i % k;
  for (let i = 0; i < n; i++) {
    const label = labels[i]!;
    const angle = (Math.PI * label) / k;
    const freq = (1.5 + (label % 3)) / s;
    const cos = Math.cos(angle);
    const sin = Math.sin(angle);
    const phase = rnd.next() * 2 * Math.PI;
    const contrast = 70 + rnd.next() * 40;
    // A per-class tint: three phase-shifted cosines of the class index.
    const tint = [0, 1, 2].map((ch) => 0.55 + 0.45 * Math.cos((2 * Math.PI * label) / k + (2 * Math.PI * ch) / 3));
    for (let y = 0; y < s; y++) {
      for (let x = 0; x < s; x++) {
        const wave = Math.sin(2 * Math.PI * freq * (x * cos + y * sin) + phase);
        const base = (i * s * s + y * s + x) * c;
        for (let ch = 0; ch < c; ch++) {
          const weight = c === 1 ? 1 : tint[ch]!;
          const v = 128 + contrast * weight * wave + 18 * rnd.normal();
          images[base + ch] = Math.max(0, Math.min(255, Math.round(v)));
        }
      }
    }
  }
  return { images, labels, count: n, shape: [s, s, c] };
}

/** Copies the listed images of a set, in the order given. */
export function subset(set: ImageSet, indices: ArrayLike<number>): ImageSet {
  const size = set.shape[0] * set.shape[1] * set.shape[2];
  const images = new Uint8Array(indices.length * size);
  const labels = new Uint8Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const j = indices[i]!;
    images.set(set.images.subarray(j * size, (j + 1) * size), i * size);
    labels[i] = set.labels[j]!;
  }
  return { images, labels, count: indices.length, shape: [...set.shape] };
}

export interface SplitParams {
  validationSplit: number;
  /** Cap on training images, 0 for all. */
  maxTrainImages: number;
  seed: number;
  /** Keep only the first this-many training images of each class in the shuffled order (0: all). */
  labelsPerClass?: number;
}

/**
 * Shuffles with the seed and holds out `validationSplit` of the images. With a cap, only as many
 * images are drawn as keep the cap and the split ratio, so a quick run also validates quickly.
 */
export function splitDataset(set: ImageSet, p: SplitParams): { train: ImageSet; validation: ImageSet } {
  const pool =
    p.maxTrainImages > 0 ? Math.min(set.count, Math.round(p.maxTrainImages / (1 - p.validationSplit))) : set.count;
  const order = new Mulberry32(p.seed ^ 0x5eed).permutation(set.count).subarray(0, pool);
  const nVal = Math.round(pool * p.validationSplit);
  const nTrain = p.maxTrainImages > 0 ? Math.min(p.maxTrainImages, pool - nVal) : pool - nVal;
  const train = order.subarray(nVal, nVal + nTrain);
  return {
    validation: subset(set, order.subarray(0, nVal)),
    train: subset(set, p.labelsPerClass ? balancedPick(set.labels, train, p.labelsPerClass) : train),
  };
}

/** The first `perClass` indices of each class in `order`, kept in that order. */
export function balancedPick(labels: Uint8Array, order: ArrayLike<number>, perClass: number): Int32Array {
  const seen = new Map<number, number>();
  const out: number[] = [];
  for (let i = 0; i < order.length; i++) {
    const label = labels[order[i]!]!;
    const n = seen.get(label) ?? 0;
    if (n < perClass) {
      seen.set(label, n + 1);
      out.push(order[i]!);
    }
  }
  return Int32Array.from(out);
}

/** A batch of raw pixels `[n, H, W, C]` (float, 0–255) and one-hot labels `[n, classes]`. */
export interface Batch {
  xs: tf.Tensor4D;
  ys: tf.Tensor2D;
  labels: Uint8Array;
}

/** The listed images of `set` as raw pixels `[n, H, W, C]`, without reading a label. The caller disposes it. */
export function toImages(set: ImageSet, indices: ArrayLike<number>): tf.Tensor4D {
  const [h, w, c] = set.shape;
  const size = h * w * c;
  const pixels = new Float32Array(indices.length * size);
  for (let i = 0; i < indices.length; i++) {
    const j = indices[i]!;
    const src = set.images.subarray(j * size, (j + 1) * size);
    const off = i * size;
    for (let p = 0; p < size; p++) pixels[off + p] = src[p]!;
  }
  return tf.tensor4d(pixels, [indices.length, h, w, c]);
}

/** Turns images `from..to` of `set`, or the listed ones, into tensors. The caller disposes them. */
export function toBatch(set: ImageSet, indices: ArrayLike<number>, numClasses: number): Batch {
  const labels = new Uint8Array(indices.length);
  for (let i = 0; i < indices.length; i++) labels[i] = set.labels[indices[i]!]!;
  const xs = toImages(set, indices);
  const ys = tf.tidy(() => tf.oneHot(tf.tensor1d(labels, 'int32'), numClasses).toFloat() as tf.Tensor2D);
  return { xs, ys, labels };
}

/** The index ranges `[from, to)` that cover `count` items in batches of `batchSize`. */
export function batchRanges(count: number, batchSize: number, dropRemainder: boolean): [number, number][] {
  const out: [number, number][] = [];
  for (let from = 0; from < count; from += batchSize) {
    const to = Math.min(count, from + batchSize);
    if (dropRemainder && to - from < batchSize && out.length > 0) break;
    out.push([from, to]);
  }
  return out;
}

/** Shuffled mini-batch index lists for each epoch, replayable from the seed. */
export class EpochSampler {
  private readonly random: Mulberry32;
  constructor(
    readonly count: number,
    readonly batchSize: number,
    seed: number,
  ) {
    this.random = new Mulberry32(seed ^ 0xba7c4);
  }
  /**
   * Training drops a short last batch (BatchNorm statistics of a handful of images are noisy),
   * unless it would be the only one.
   */
  get stepsPerEpoch(): number {
    return batchRanges(this.count, this.batchSize, true).length;
  }
  nextEpoch(): Int32Array[] {
    const order = this.random.permutation(this.count);
    return batchRanges(this.count, this.batchSize, true).map(([a, b]) => order.subarray(a, b));
  }
}
