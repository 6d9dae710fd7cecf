import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ImageSet } from '../../src/data/cifar';
import { EpochSampler, balancedPick, batchRanges, splitDataset, syntheticDataset, toBatch } from './data';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const params = { numClasses: 4, imageSize: 8, channels: 3 as const, samples: 64, seed: 3 };

describe('syntheticDataset', () => {
  it('is deterministic from its seed, balanced, and shaped as asked', () => {
    const a = syntheticDataset(params);
    const b = syntheticDataset(params);
    const c = syntheticDataset({ ...params, seed: 4 });
    expect(a.count).toBe(64);
    expect(a.shape).toEqual([8, 8, 3]);
    expect(a.images.length).toBe(64 * 8 * 8 * 3);
    expect(a.images).toEqual(b.images);
    expect(a.labels).toEqual(b.labels);
    expect(a.images).not.toEqual(c.images);
    const counts = [0, 0, 0, 0];
    for (const l of a.labels) counts[l]!++;
    expect(counts).toEqual([16, 16, 16, 16]);
    expect(syntheticDataset({ ...params, channels: 1 }).shape).toEqual([8, 8, 1]);
  });

  it('gives each class its own colour', () => {
    const set = syntheticDataset({ ...params, samples: 400, imageSize: 16 });
    const mean = Array.from({ length: 4 }, () => [0, 0, 0]);
    const n = [0, 0, 0, 0];
    const size = 16 * 16 * 3;
    for (let i = 0; i < set.count; i++) {
      const l = set.labels[i]!;
      n[l]!++;
      for (let p = 0; p < size; p++) mean[l]![p % 3]! += Math.abs(set.images[i * size + p]! - 128);
    }
    const profile = mean.map((m, l) => m.map((v) => v / n[l]! / 256));
    // every pair of classes differs in how strongly some channel varies
    for (let x = 0; x < 4; x++) for (let y = x + 1; y < 4; y++) {
      const gap = Math.max(...[0, 1, 2].map((ch) => Math.abs(profile[x]![ch]! - profile[y]![ch]!)));
      expect(gap).toBeGreaterThan(0.02);
    }
  });
});

/** n images of one pixel whose value is its index. */
const indexed = (n: number): ImageSet => ({
  images: Uint8Array.from({ length: n }, (_, i) => i),
  labels: Uint8Array.from({ length: n }, (_, i) => i % 10),
  count: n,
  shape: [1, 1, 1],
});

describe('splitDataset', () => {
  it('holds out a disjoint validation share', () => {
    const { train, validation } = splitDataset(indexed(200), { validationSplit: 0.1, maxTrainImages: 0, seed: 1 });
    expect(validation.count).toBe(20);
    expect(train.count).toBe(180);
    const all = new Set([...train.images, ...validation.images]);
    expect(all.size).toBe(200);
    expect([...train.labels]).toEqual([...train.images].map((v) => v % 10));
  });

  it('caps training images and keeps the ratio', () => {
    const { train, validation } = splitDataset(indexed(200), { validationSplit: 0.2, maxTrainImages: 40, seed: 1 });
    expect(train.count).toBe(40);
    expect(validation.count).toBe(10);
    const none = splitDataset(indexed(50), { validationSplit: 0, maxTrainImages: 0, seed: 1 });
    expect(none.validation.count).toBe(0);
    expect(none.train.count).toBe(50);
  });
});

describe('batches', () => {
  it('covers every item once per epoch and drops a short tail', () => {
    expect(batchRanges(10, 4, false)).toEqual([[0, 4], [4, 8], [8, 10]]);
    expect(batchRanges(10, 4, true)).toEqual([[0, 4], [4, 8]]);
    expect(batchRanges(3, 4, true)).toEqual([[0, 3]]);
    const s = new EpochSampler(10, 4, 9);
    expect(s.stepsPerEpoch).toBe(2);
    const e1 = s.nextEpoch();
    const e2 = s.nextEpoch();
    expect(e1.map((b) => b.length)).toEqual([4, 4]);
    expect(new Set([...e1[0]!, ...e1[1]!]).size).toBe(8);
    expect([...e1[0]!]).not.toEqual([...e2[0]!]);
  });

  it('makes float pixels and one-hot labels', () => {
    const set = indexed(12);
    const b = toBatch(set, [11, 3], 10);
    expect(b.xs.shape).toEqual([2, 1, 1, 1]);
    expect(Array.from(b.xs.dataSync())).toEqual([11, 3]);
    expect(b.ys.arraySync()[0]![1]).toBe(1);
    expect(b.ys.arraySync()[1]![3]).toBe(1);
    expect(b.ys.sum().arraySync()).toBe(2);
    tf.dispose([b.xs, b.ys]);
  });
});

describe('class-balanced subset', () => {
  it('keeps the first images of each class in the shuffled order, the validation split untouched', () => {
    const set = syntheticDataset({ numClasses: 4, imageSize: 4, channels: 1, samples: 200, seed: 2 });
    const full = splitDataset(set, { validationSplit: 0.2, maxTrainImages: 0, seed: 5 });
    const few = splitDataset(set, { validationSplit: 0.2, maxTrainImages: 0, seed: 5, labelsPerClass: 3 });
    expect(few.validation.labels).toEqual(full.validation.labels);
    expect(Array.from(few.train.labels).sort()).toEqual([0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3]);
    const expected = Int32Array.from(full.train.labels.keys()).filter((i, _, __) => {
      const label = full.train.labels[i]!;
      return full.train.labels.subarray(0, i).filter((l) => l === label).length < 3;
    });
    expect(Array.from(few.train.labels)).toEqual(Array.from(expected, (i) => full.train.labels[i]!));
    expect(balancedPick(full.train.labels, [0, 1, 2], 0)).toEqual(new Int32Array(0));
  });
});
