/**
 * CIFAR-10 for the benchmarks: loads the binary batches from ../shared/data/cifar10 (relative to
 * the repo root) with the app's own parser, or stands in random images when they are absent, and
 * assembles augmented float batches in plain JS on the Uint8 pixels, so augmentation costs no
 * backend kernels (tf.slice on wasm runs scalar JS loops and would distort the timing).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { concatImageSets, parseCifarBatch, type ImageSet } from '../../src/data/cifar';
import { Mulberry32 } from '../../src/rl/random';

export const CIFAR_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared/data/cifar10');

export interface LoadedImages {
  set: ImageSet;
  /** 'cifar10' or a note that random images stand in. */
  source: string;
}

/** Loads data_batch_1..n; falls back to `fallbackCount` random images when the files are absent. */
export function loadCifar(batches: number, fallbackCount: number, seed = 1): LoadedImages {
  const files = Array.from({ length: batches }, (_, i) => join(CIFAR_DIR, `data_batch_${i + 1}.bin`));
  if (files.every((f) => existsSync(f))) {
    const sets = files.map((f) => parseCifarBatch(new Uint8Array(readFileSync(f)), f));
    return { set: concatImageSets(sets), source: 'cifar10' };
  }
  const rng = new Mulberry32(seed);
  const images = Uint8Array.from({ length: fallbackCount * 3072 }, () => rng.int(256));
  const labels = Uint8Array.from({ length: fallbackCount }, () => rng.int(10));
  return {
    set: { images, labels, count: fallbackCount, shape: [32, 32, 3] },
    source: `random images (CIFAR-10 not found at ${CIFAR_DIR})`,
  };
}

export interface ChannelNorm {
  mean: [number, number, number];
  std: [number, number, number];
}

/** Per-channel mean and standard deviation of 0–255 pixels. */
export function channelNorm(set: ImageSet): ChannelNorm {
  const sum = [0, 0, 0];
  const sq = [0, 0, 0];
  for (let i = 0; i < set.images.length; i++) {
    const v = set.images[i]!;
    sum[i % 3]! += v;
    sq[i % 3]! += v * v;
  }
  const n = set.images.length / 3;
  const mean = sum.map((s) => s / n) as [number, number, number];
  const std = sq.map((s, c) => Math.sqrt(s / n - mean[c]! ** 2)) as [number, number, number];
  return { mean, std };
}

export interface BatchOptions {
  norm: ChannelNorm;
  /** Random horizontal flips. */
  flip?: boolean;
  /** Zero-pad by this many pixels and crop 32×32 back at a random offset. */
  padCrop?: number;
  /** Seeded, so runs with the same seed see the same batches. */
  rng?: Mulberry32;
}

/** Fills `x` ([n,32,32,3] floats) and `y` ([n,10] one-hot) from the images at `indices`. */
export function fillBatch(set: ImageSet, indices: ArrayLike<number>, x: Float32Array, y: Float32Array, o: BatchOptions): void {
  const { mean, std } = o.norm;
  const inv = std.map((s) => 1 / s);
  y.fill(0);
  for (let b = 0; b < indices.length; b++) {
    const img = indices[b]!;
    y[b * 10 + set.labels[img]!] = 1;
    const flip = o.flip && o.rng ? o.rng.next() < 0.5 : false;
    const pad = o.padCrop ?? 0;
    const dy = pad && o.rng ? o.rng.int(2 * pad + 1) - pad : 0;
    const dx = pad && o.rng ? o.rng.int(2 * pad + 1) - pad : 0;
    const src = img * 3072;
    const dst = b * 3072;
    for (let r = 0; r < 32; r++) {
      const sr = r + dy;
      for (let c = 0; c < 32; c++) {
        const sc = (flip ? 31 - c : c) + dx;
        const out = dst + (r * 32 + c) * 3;
        const at = src + (sr * 32 + sc) * 3;
        if (sr >= 0 && sr < 32 && sc >= 0 && sc < 32) {
          for (let ch = 0; ch < 3; ch++) x[out + ch] = (set.images[at + ch]! - mean[ch]!) * inv[ch]!;
        } else {
          // Padding is zero after normalisation: the dataset's mean colour.
          x[out] = x[out + 1] = x[out + 2] = 0;
        }
      }
    }
  }
}
