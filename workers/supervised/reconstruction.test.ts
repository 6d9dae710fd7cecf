/** Reconstruction training: corruption of the input only, the autoencoder's step, and a run's MSE / PSNR epochs. */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerFastCpuKernels } from '../backend/backend-cpu-kernels';
import type { TrainEvent } from '../../src/protocol/train';
import type { AugmentationSettings } from '../../nodes/data/augmentation';
import { Augmenter, maskPatches } from './augment';
import { syntheticDataset, toImages } from './data';
import { SupervisedRun } from './supervised-run';
import { autoencoderPlan } from './train-test-plans';
import { Trainer } from './trainer';

beforeAll(async () => {
  await tf.setBackend('cpu');
  registerFastCpuKernels();
});

const stage = (s: Partial<AugmentationSettings>): AugmentationSettings => ({
  randomFlip: true,
  padCrop: 1,
  normalize: 'unit',
  maskPatches: 0,
  maskSize: 8,
  noiseStd: 0,
  ...s,
});
const stats = { mean: [0.5, 0.5, 0.5], std: [0.25, 0.25, 0.25] };
const batch = () => tf.tensor4d(Array.from({ length: 4 * 6 * 6 * 3 }, (_, i) => 1 + ((i * 37) % 255)), [4, 6, 6, 3]);

describe('corruption', () => {
  it('masks exactly the patches asked, clipped at the border, on every channel', () => {
    const x = tf.ones([2, 4, 4, 2]) as tf.Tensor4D;
    const m = maskPatches(x, 2, [[{ y: 0, x: 0 }], [{ y: 3, x: 3 }, { y: 1, x: 0 }]]);
    const v = m.arraySync();
    const zeros = (i: number) => v[i]!.flatMap((row, r) => row.flatMap((px, c) => (px[0] === 0 && px[1] === 0 ? [`${r}${c}`] : [])));
    expect(zeros(0)).toEqual(['00', '01', '10', '11']);
    expect(zeros(1)).toEqual(['10', '11', '20', '21', '33']);
    tf.dispose([x, m]);
  });

  it('corrupts the input only: the clean target is what an augmenter without corruption gives from the same seed', () => {
    const x = batch();
    const before = tf.memory().numTensors;
    const corrupting = new Augmenter([stage({ maskPatches: 2, maskSize: 2, noiseStd: 0.1 })], stats, 5);
    const plain = new Augmenter([stage({})], stats, 5);
    const { input, clean } = corrupting.trainPair(x);
    const reference = plain.train(x);
    expect(clean.arraySync()).toEqual(reference.arraySync());
    const [zeros, changed] = tf.tidy(() => [
      tf.sum(tf.cast(tf.equal(input, 0), 'int32')).arraySync() as number,
      tf.sum(tf.cast(tf.notEqual(tf.sub(input, clean), 0), 'int32')).arraySync() as number,
    ]);
    // Masked pixels are exactly 0 in the input (at least one 2×2 patch per image, 3 channels), the rest carry the noise.
    expect(zeros).toBeGreaterThanOrEqual(4 * 4 * 3);
    expect(changed).toBeGreaterThan(0.7 * input.size);
    tf.dispose([input, clean, reference]);
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });

  it('continues exactly from a saved random state (masks and noise included)', () => {
    const x = batch();
    const stages = [stage({ maskPatches: 3, maskSize: 2, noiseStd: 0.2 })];
    const a = new Augmenter(stages, stats, 9);
    tf.dispose(a.train(x));
    const state = a.randomState;
    const second = a.train(x);
    const b = new Augmenter(stages, stats, 9);
    b.randomState = state;
    const resumed = b.train(x);
    const fresh = new Augmenter(stages, stats, 9).train(x);
    expect(resumed.arraySync()).toEqual(second.arraySync());
    expect(fresh.arraySync()).not.toEqual(second.arraySync());
    tf.dispose([x, second, resumed, fresh]);
  });

  it('gives the [0, 1] pixel scale of a normalised unit whatever the normalization', () => {
    expect(new Augmenter([stage({ normalize: 'per-channel' })], stats, 1).unitScale(3)).toEqual([0.25, 0.25, 0.25]);
    expect(new Augmenter([stage({ normalize: 'unit' })], stats, 1).unitScale(1)).toEqual([1]);
    expect(new Augmenter([stage({ normalize: 'none' })], stats, 1).unitScale(1)).toEqual([1 / 255]);
  });
});

describe('reconstruction training', () => {
  it('trains an autoencoder without reading a label: the loss falls and the pixel MSE is reported', async () => {
    const t = new Trainer(autoencoderPlan());
    const set = syntheticDataset({ numClasses: 4, imageSize: 8, channels: 3, samples: 24, seed: 3 });
    const xs = toImages(set, Array.from({ length: 24 }, (_, i) => i));
    const results = [];
    for (let i = 0; i < 12; i++) results.push(await t.trainStep(xs));
    expect(results.every((r) => r.acc === undefined && Number.isFinite(r.mse))).toBe(true);
    expect(results.at(-1)!.loss).toBeLessThan(results[0]!.loss * 0.8);
    // With 'unit' normalization the pixel MSE is the MSE loss itself.
    expect(results[0]!.mse).toBeCloseTo(results[0]!.loss, 5);
    const report = await t.evaluateReconstruction(set);
    expect(report.psnr).toBeCloseTo(-10 * Math.log10(report.mse), 6);
    xs.dispose();
    t.dispose();
  });

  it('a run sends MSE and PSNR per epoch, train and validation, instead of accuracy', async () => {
    const events: TrainEvent[] = [];
    const before = tf.memory().numTensors;
    const outcome = await new SupervisedRun(autoencoderPlan(), undefined, { backend: 'cpu', emit: (e) => events.push(e), stepEventIntervalMs: 0 }).run();
    expect(outcome).toBe('completed');
    expect(tf.memory().numTensors).toBe(before);
    const epochs = events.filter((e) => e.type === 'epoch');
    expect(epochs).toHaveLength(2);
    for (const e of epochs) {
      expect(e.epochAccuracy).toBeUndefined();
      expect(e.valAccuracy).toBeUndefined();
      expect(e.epochPsnr).toBeCloseTo(-10 * Math.log10(e.epochMse!), 6);
      expect(e.valPsnr).toBeGreaterThan(5);
    }
    expect(events.some((e) => e.type === 'step' && 'accuracy' in e)).toBe(false);
    const evaluation = events.find((e) => e.type === 'evaluation');
    expect(evaluation?.evaluation).toMatchObject({ kind: 'reconstruction', split: 'validation', count: 24 });
    expect(events.at(-1)).toMatchObject({ type: 'done', reason: 'completed' });
  });
});
