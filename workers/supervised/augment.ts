/**
 * Training-time augmentation and normalization as TF.js ops on image batches `[N, H, W, C]`.
 * The random choices come from a seeded {@link Mulberry32} and enter the graph as small index tensors,
 * so a run replays exactly and every backend sees the same crops and flips.
 */
import * as tf from '@tensorflow/tfjs';
import type { AugmentationSettings } from '../../nodes/data/augmentation';
import { Mulberry32 } from '../../src/rl/random';

/** Per-channel mean and standard deviation of pixels scaled to [0, 1]. */
export interface ChannelStats {
  mean: number[];
  std: number[];
}

/** CIFAR-10 training-set statistics on [0, 1] pixels, the values the literature normalizes with. */
export const CIFAR10_STATS: ChannelStats = {
  mean: [0.4914, 0.4822, 0.4465],
  std: [0.247, 0.2435, 0.2616],
};

/** Mirrors the images whose flag is set, left to right. */
export function flipHorizontal(x: tf.Tensor4D, flags: readonly boolean[]): tf.Tensor4D {
  if (flags.length !== x.shape[0]) throw new Error(`flip needs ${x.shape[0]} flags, got ${flags.length}`);
  return tf.tidy(() => {
    const mask = tf.tensor4d(flags.map((f) => (f ? 1 : 0)), [flags.length, 1, 1, 1], 'bool');
    return tf.where(mask, tf.reverse(x, 2), x);
  });
}

/**
 * Pads each image with `pad` zero pixels on every side and crops it back to its size at its own
 * offset `(dy, dx)`, each in [0, 2·pad]; offset `(pad, pad)` gives the image back unchanged.
 */
export function padCrop(x: tf.Tensor4D, pad: number, offsets: readonly { dy: number; dx: number }[]): tf.Tensor4D {
  const [n, h, w] = x.shape;
  if (offsets.length !== n) throw new Error(`crop needs ${n} offsets, got ${offsets.length}`);
  if (pad === 0) return tf.clone(x);
  for (const o of offsets) {
    if (o.dy < 0 || o.dy > 2 * pad || o.dx < 0 || o.dx > 2 * pad) {
      throw new Error(`crop offset (${o.dy}, ${o.dx}) is outside [0, ${2 * pad}]`);
    }
  }
  const channels = x.shape[3];
  const paddedH = h + 2 * pad;
  const paddedW = w + 2 * pad;
  // Every output pixel's index among the padded batch's pixels, so one plain gather crops all the
  // images (tfjs-backend-wasm 4.22's gather with batchDims > 0 reads past its buffer beyond 32
  // images and returns wrong pixels below that, so none is used here).
  const pixels = new Int32Array(n * h * w);
  offsets.forEach((o, i) => {
    for (let r = 0; r < h; r++) {
      const row = (i * paddedH + o.dy + r) * paddedW + o.dx;
      for (let c = 0; c < w; c++) pixels[(i * h + r) * w + c] = row + c;
    }
  });
  return tf.tidy(() => {
    const padded = tf.pad(x, [[0, 0], [pad, pad], [pad, pad], [0, 0]]).reshape([n * paddedH * paddedW, channels]);
    return tf.gather(padded, tf.tensor1d(pixels, 'int32'), 0).reshape([n, h, w, channels]) as tf.Tensor4D;
  });
}

/** Scales 0–255 pixels: `unit` to [0, 1], `per-channel` to zero mean and unit std per channel. */
export function normalize(x: tf.Tensor4D, mode: AugmentationSettings['normalize'], stats: ChannelStats): tf.Tensor4D {
  if (mode === 'none') return tf.clone(x);
  return tf.tidy(() => {
    const unit = tf.div(x, 255);
    if (mode === 'unit') return unit as tf.Tensor4D;
    const c = x.shape[3];
    if (stats.mean.length !== c || stats.std.length !== c) {
      throw new Error(`per-channel normalization has stats for ${stats.mean.length} channels, images have ${c}`);
    }
    const mean = tf.tensor4d(stats.mean, [1, 1, 1, c]);
    const std = tf.tensor4d(stats.std.map((s) => Math.max(s, 1e-6)), [1, 1, 1, c]);
    return tf.div(tf.sub(unit, mean), std) as tf.Tensor4D;
  });
}

/**
 * Zeroes square patches of side `size` in each image (all channels): `corners[i]` lists image i's
 * top-left corners, each patch clipped at the border. Zero is the channel mean once normalised.
 */
export function maskPatches(x: tf.Tensor4D, size: number, corners: readonly (readonly { y: number; x: number }[])[]): tf.Tensor4D {
  const [n, h, w] = x.shape;
  if (corners.length !== n) throw new Error(`masking needs ${n} lists of corners, got ${corners.length}`);
  const keep = new Float32Array(n * h * w).fill(1);
  corners.forEach((list, i) => {
    for (const c of list) {
      for (let r = Math.max(0, c.y); r < Math.min(h, c.y + size); r++) {
        keep.fill(0, (i * h + r) * w + Math.max(0, c.x), (i * h + r) * w + Math.min(w, c.x + size));
      }
    }
  });
  return tf.tidy(() => tf.mul(x, tf.tensor4d(keep, [n, h, w, 1])) as tf.Tensor4D);
}

/** What a training batch becomes: the model's input, and the clean image a reconstruction compares with. */
export interface TrainPair {
  /** Augmented, normalised and corrupted: what the model sees. The same tensor as `clean` when nothing corrupts. */
  input: tf.Tensor4D;
  /** Augmented and normalised, not corrupted. */
  clean: tf.Tensor4D;
}

/**
 * Applies a plan's augmentation stages in order. `train` draws fresh flips and crops from the seeded
 * source on every call; `evaluate` applies only the normalizations, as test images must not be
 * flipped or cropped.
 */
export class Augmenter {
  private readonly random: Mulberry32;
  constructor(
    readonly stages: readonly AugmentationSettings[],
    readonly stats: ChannelStats,
    seed: number,
  ) {
    this.random = new Mulberry32(seed);
  }

  /** Where the flip and crop draws stand: saved in checkpoints so a resumed run draws the same ones. */
  get randomState(): number {
    return this.random.position;
  }
  set randomState(state: number) {
    this.random.position = state;
  }

  /** Augmented, normalized and corrupted copy of a raw-pixel batch; the caller disposes both. */
  train(x: tf.Tensor4D): tf.Tensor4D {
    const { input, clean } = this.trainPair(x);
    if (clean !== input) clean.dispose();
    return input;
  }

  /**
   * The clean augmented batch and, when a stage corrupts, a corrupted copy of it: masks and noise
   * are drawn after the flips and crops, from the same seeded source, so a resumed run draws them
   * again exactly. The caller disposes both (once when they are the same tensor).
   */
  trainPair(x: tf.Tensor4D): TrainPair {
    const clean = this.apply(x, true);
    if (!this.corrupts) return { input: clean, clean };
    return { input: tf.tidy(() => this.corrupt(clean)), clean };
  }

  /** True when a stage masks patches or adds noise. */
  get corrupts(): boolean {
    return this.stages.some((s) => s.maskPatches > 0 || s.noiseStd > 0);
  }

  /**
   * Per channel, how much one unit of the normalised image is on the [0, 1] pixel scale (the
   * product of the stages' normalizations, inverted): turns a reconstruction error into pixel terms
   * for PSNR, whatever the normalization.
   */
  unitScale(channels: number): number[] {
    return Array.from({ length: channels }, (_, c) => {
      let scale = 1 / 255;
      for (const s of this.stages) {
        if (s.normalize === 'unit') scale *= 255;
        else if (s.normalize === 'per-channel') scale *= 255 * Math.max(this.stats.std[c] ?? 1, 1e-6);
      }
      return scale;
    });
  }

  /**
   * The same normalization and corruption without flips or crops, drawing from its own source
   * seeded with `seed`: the reconstruction grid corrupts its fixed images the same way every epoch
   * and never moves training's random sequence.
   */
  fixedCorruption(seed: number): Augmenter {
    return new Augmenter(this.stages.map((s) => ({ ...s, randomFlip: false, padCrop: 0 })), this.stats, seed);
  }

  /** Normalised images back to 0–255 pixels (the stages' normalizations undone in reverse), clipped. */
  toPixels(y: tf.Tensor4D): tf.Tensor4D {
    return tf.tidy(() => {
      const c = y.shape[3];
      let x: tf.Tensor4D = y;
      for (const s of [...this.stages].reverse()) {
        if (s.normalize === 'unit') x = tf.mul(x, 255);
        else if (s.normalize === 'per-channel') {
          const mean = tf.tensor4d(this.stats.mean, [1, 1, 1, c]);
          const std = tf.tensor4d(this.stats.std.map((v) => Math.max(v, 1e-6)), [1, 1, 1, c]);
          x = tf.mul(tf.add(tf.mul(x, std), mean), 255);
        }
      }
      return tf.clipByValue(x, 0, 255);
    });
  }

  private corrupt(clean: tf.Tensor4D): tf.Tensor4D {
    const [n, h, w] = clean.shape;
    let y = clean;
    for (const s of this.stages) {
      // Noise first, so masked patches hold exactly 0: nothing there, as a masked autoencoder means.
      if (s.noiseStd > 0) {
        // One seed from the run's source; TF.js draws the batch's noise from it on the CPU side, the same on every backend.
        const seed = this.random.int(2 ** 31 - 1);
        y = tf.add(y, tf.randomNormal(y.shape, 0, s.noiseStd, 'float32', seed));
      }
      if (s.maskPatches > 0) {
        const corners = Array.from({ length: n }, () =>
          Array.from({ length: s.maskPatches }, () => ({ y: this.random.int(h - s.maskSize + 1), x: this.random.int(w - s.maskSize + 1) })),
        );
        y = maskPatches(y, s.maskSize, corners);
      }
    }
    return y;
  }

  /** Normalized copy of a raw-pixel batch, without random changes. */
  evaluate(x: tf.Tensor4D): tf.Tensor4D {
    return this.apply(x, false);
  }

  private apply(x: tf.Tensor4D, random: boolean): tf.Tensor4D {
    return tf.tidy(() => {
      const n = x.shape[0];
      let y: tf.Tensor4D = x;
      for (const s of this.stages) {
        if (random && s.randomFlip) {
          y = flipHorizontal(y, Array.from({ length: n }, () => this.random.next() < 0.5));
        }
        if (random && s.padCrop > 0) {
          const offsets = Array.from({ length: n }, () => ({
            dy: this.random.int(2 * s.padCrop + 1),
            dx: this.random.int(2 * s.padCrop + 1),
          }));
          y = padCrop(y, s.padCrop, offsets);
        }
        y = normalize(y, s.normalize, this.stats);
      }
      return y === x ? tf.clone(x) : y;
    });
  }
}

/** Mean and std per channel of HWC uint8 images, on the [0, 1] scale. */
export function channelStats(images: Uint8Array, channels: number): ChannelStats {
  const sum = new Float64Array(channels);
  const sq = new Float64Array(channels);
  for (let i = 0; i < images.length; i++) {
    const v = images[i]! / 255;
    const c = i % channels;
    sum[c]! += v;
    sq[c]! += v * v;
  }
  const n = images.length / channels;
  const mean = Array.from(sum, (s) => s / n);
  const std = Array.from(sq, (s, c) => Math.sqrt(Math.max(0, s / n - mean[c]! ** 2)));
  return { mean, std };
}
