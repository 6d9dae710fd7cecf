import * as tf from '@tensorflow/tfjs';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseCifarBatch } from '../../src/data/cifar';
import { Augmenter, CIFAR10_STATS, channelStats, flipHorizontal, normalize, padCrop } from './augment';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Batch of 2 images 3×4×2 whose pixel value encodes (n, y, x, c). */
function batch(): tf.Tensor4D {
  const values: number[] = [];
  for (let n = 0; n < 2; n++) for (let y = 0; y < 3; y++) for (let x = 0; x < 4; x++) for (let c = 0; c < 2; c++) {
    values.push(100 * n + 10 * y + x + c / 2 + 1);
  }
  return tf.tensor4d(values, [2, 3, 4, 2]);
}

describe('flipHorizontal', () => {
  it('mirrors only flagged images, and twice is the identity', () => {
    const x = batch();
    const f = flipHorizontal(x, [true, false]);
    expect(f.shape).toEqual([2, 3, 4, 2]);
    const a = f.arraySync();
    const orig = x.arraySync();
    expect(a[0]![1]![0]).toEqual(orig[0]![1]![3]);
    expect(a[0]![2]![3]).toEqual(orig[0]![2]![0]);
    expect(a[1]).toEqual(orig[1]);
    const back = flipHorizontal(f, [true, false]);
    expect(back.arraySync()).toEqual(orig);
    tf.dispose([x, f, back]);
  });
});

describe('padCrop', () => {
  it('is the identity at offset (pad, pad) and shifts with zero fill elsewhere', () => {
    const x = batch();
    const same = padCrop(x, 2, [{ dy: 2, dx: 2 }, { dy: 2, dx: 2 }]);
    expect(same.arraySync()).toEqual(x.arraySync());
    const shifted = padCrop(x, 1, [{ dy: 0, dx: 0 }, { dy: 2, dx: 1 }]);
    expect(shifted.shape).toEqual([2, 3, 4, 2]);
    const s = shifted.arraySync();
    const o = x.arraySync();
    // image 0 moves down-right by 1: first row and column are padding
    expect(s[0]![0]![2]).toEqual([0, 0]);
    expect(s[0]![1]![0]).toEqual([0, 0]);
    expect(s[0]![1]![1]).toEqual(o[0]![0]![0]);
    expect(s[0]![2]![3]).toEqual(o[0]![1]![2]);
    // image 1 moves up by 1, no horizontal shift: last row is padding
    expect(s[1]![0]).toEqual(o[1]![1]);
    expect(s[1]![2]![0]).toEqual([0, 0]);
    const zero = padCrop(x, 0, [{ dy: 0, dx: 0 }, { dy: 0, dx: 0 }]);
    expect(zero.arraySync()).toEqual(o);
    expect(() => padCrop(x, 1, [{ dy: 3, dx: 0 }, { dy: 0, dx: 0 }])).toThrow(/outside \[0, 2\]/);
    tf.dispose([x, same, shifted, zero]);
  });

  it.each(['cpu', 'wasm'])('crops a batch of 64 at random offsets exactly as slicing each image would, on %s', async (backend) => {
    await tf.setBackend(backend);
    try {
      const n = 64;
      const x = tf.tensor4d(Float32Array.from({ length: n * 8 * 8 * 3 }, (_, i) => i % 997), [n, 8, 8, 3]);
      const offsets = Array.from({ length: n }, (_, i) => ({ dy: (i * 7) % 5, dx: (i * 3) % 5 }));
      const got = padCrop(x, 2, offsets);
      const padded = tf.pad(x, [[0, 0], [2, 2], [2, 2], [0, 0]]);
      const want = tf.concat(offsets.map((o, i) => tf.slice(padded, [i, o.dy, o.dx, 0], [1, 8, 8, 3])));
      expect(got.dataSync()).toEqual(want.dataSync());
      tf.dispose([x, got, padded, want]);
    } finally {
      await tf.setBackend('cpu');
    }
  });
});

describe('normalize', () => {
  it('scales to unit range and standardizes per channel', () => {
    const x = tf.tensor4d([0, 255, 255, 51], [1, 1, 2, 2]);
    const unit = normalize(x, 'unit', CIFAR10_STATS);
    const u = Array.from(unit.dataSync());
    [0, 1, 1, 0.2].forEach((e, i) => expect(u[i]).toBeCloseTo(e, 6));
    const pc = normalize(x, 'per-channel', { mean: [0.5, 0.2], std: [0.5, 0.4] });
    const v = Array.from(pc.dataSync());
    [-1, 2, 1, 0].forEach((e, i) => expect(v[i]).toBeCloseTo(e, 6));
    expect(() => normalize(x, 'per-channel', CIFAR10_STATS)).toThrow(/stats for 3 channels, images have 2/);
    tf.dispose([x, unit, pc]);
  });
});

describe('Augmenter', () => {
  const stages = [{ randomFlip: true, padCrop: 2, normalize: 'unit' as const, maskPatches: 0, maskSize: 8, noiseStd: 0 }];

  it('replays from its seed, changes pixels in training and leaves evaluation alone', () => {
    const x = tf.tensor4d(Array.from({ length: 8 * 6 * 6 * 1 }, (_, i) => (i * 37) % 256), [8, 6, 6, 1]);
    const before = tf.memory().numTensors;
    const a = new Augmenter(stages, { mean: [0], std: [1] }, 7).train(x);
    const b = new Augmenter(stages, { mean: [0], std: [1] }, 7).train(x);
    const c = new Augmenter(stages, { mean: [0], std: [1] }, 8).train(x);
    expect(a.shape).toEqual([8, 6, 6, 1]);
    expect(a.arraySync()).toEqual(b.arraySync());
    expect(a.arraySync()).not.toEqual(c.arraySync());
    const unit = x.div(255);
    expect(a.arraySync()).not.toEqual(unit.arraySync());
    const e = new Augmenter(stages, { mean: [0], std: [1] }, 7).evaluate(x);
    expect(e.arraySync()).toEqual(unit.arraySync());
    tf.dispose([a, b, c, unit, e]);
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});

const real = resolve(__dirname, '../../../shared/data/cifar10/data_batch_1.bin');
describe('channelStats', () => {
  it('computes mean and std per channel', () => {
    const s = channelStats(Uint8Array.from([0, 255, 255, 255]), 2);
    expect(s.mean).toEqual([0.5, 1]);
    expect(s.std[0]).toBeCloseTo(0.5, 12);
    expect(s.std[1]).toBeCloseTo(0, 12);
  });
  it.skipIf(!existsSync(real))('matches the published CIFAR-10 statistics on data_batch_1', () => {
    const set = parseCifarBatch(new Uint8Array(readFileSync(real)));
    const s = channelStats(set.images, 3);
    s.mean.forEach((m, c) => expect(Math.abs(m - CIFAR10_STATS.mean[c]!)).toBeLessThan(0.01));
    s.std.forEach((d, c) => expect(Math.abs(d - CIFAR10_STATS.std[c]!)).toBeLessThan(0.01));
  });
  if (!existsSync(real)) console.warn(`skipping real CIFAR-10 statistics: ${real} is absent`);
});
