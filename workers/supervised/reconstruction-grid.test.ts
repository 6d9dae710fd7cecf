/** The reconstruction grid: fixed held-out images, clean / corrupted / reconstructed, per epoch and in the final evaluation. */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerFastCpuKernels } from '../backend/backend-cpu-kernels';
import type { ReconstructionEvaluation, ReconstructionGrid, TrainEvent } from '../../src/protocol/events';
import type { AugmentationSettings } from '../../nodes/data/augmentation';
import { Augmenter } from './augment';
import { splitDataset, syntheticDataset } from './data';
import { SupervisedRun } from './supervised-run';
import { GRID_IMAGES, thinGrids } from './trainer-reconstruction';
import { autoencoderPlan } from './train-test-plans';

beforeAll(async () => {
  await tf.setBackend('cpu');
  registerFastCpuKernels();
});

const stage = (s: Partial<AugmentationSettings>): AugmentationSettings => ({
  randomFlip: false,
  padCrop: 0,
  normalize: 'unit',
  maskPatches: 0,
  maskSize: 8,
  noiseStd: 0,
  ...s,
});

describe('grid pixels', () => {
  it('undoes the normalization exactly (unit, then per-channel)', () => {
    const stats = { mean: [0.4, 0.5, 0.6], std: [0.2, 0.25, 0.3] };
    const x = tf.tensor4d(Array.from({ length: 2 * 3 * 3 * 3 }, (_, i) => (i * 29) % 256), [2, 3, 3, 3]);
    for (const stages of [[stage({ normalize: 'per-channel' })], [stage({ normalize: 'unit' })], [stage({ normalize: 'none' })]]) {
      const a = new Augmenter(stages, stats, 1);
      const back = tf.tidy(() => a.toPixels(a.evaluate(x)));
      expect(Math.max(...tf.tidy(() => tf.abs(tf.sub(back, x))).dataSync())).toBeLessThan(1e-3);
      back.dispose();
    }
    x.dispose();
  });

  it('corrupts the same way every time, without moving the training source', () => {
    const x = tf.fill([2, 8, 8, 3], 200) as tf.Tensor4D;
    const a = new Augmenter([stage({ maskPatches: 2, maskSize: 3, noiseStd: 0.1 })], { mean: [0.5], std: [0.25] }, 4);
    const state = a.randomState;
    const [p, q] = [a.fixedCorruption(7).trainPair(x), a.fixedCorruption(7).trainPair(x)];
    expect(p.input.arraySync()).toEqual(q.input.arraySync());
    expect(p.input.arraySync()).not.toEqual(p.clean.arraySync());
    expect(a.randomState).toBe(state);
    tf.dispose([x, p.input, p.clean, q.input, q.clean]);
  });
});

describe('grids in a run', () => {
  it('sends one grid per epoch of the first held-out images, and the final evaluation keeps them', async () => {
    const events: TrainEvent[] = [];
    const before = tf.memory().numTensors;
    const plan = autoencoderPlan(3);
    await new SupervisedRun(plan, undefined, { backend: 'cpu', emit: (e) => events.push(e), stepEventIntervalMs: 0 }).run();
    expect(tf.memory().numTensors).toBe(before);
    const grids = events.flatMap((e) => (e.type === 'reconstructions' ? [e.grid] : []));
    expect(grids.map((g) => g.epoch)).toEqual([1, 2, 3]);
    const size = 8 * 8 * 3;
    for (const g of grids) {
      expect(g.shape).toEqual([8, 8, 3]);
      expect(g.inputs).toHaveLength(GRID_IMAGES);
      expect(g.outputs.every((o) => o.length === size)).toBe(true);
      // The plan masks one 2×2 patch: each corrupted image has a black square the clean one has not.
      g.corrupted!.forEach((c, i) => expect([...c].filter((v, j) => v === 0 && g.inputs[i]![j] !== 0).length).toBeGreaterThanOrEqual(4 * 3));
    }
    // The same fixed images every epoch, and the reconstructions change as the model trains.
    expect(grids[2]!.inputs).toEqual(grids[0]!.inputs);
    expect(grids[2]!.corrupted).toEqual(grids[0]!.corrupted);
    expect(grids[2]!.outputs).not.toEqual(grids[0]!.outputs);
    // They are the validation split's first images, as split for training.
    const all = syntheticDataset({ numClasses: 4, imageSize: 8, channels: 3, samples: 96, seed: 3 });
    const { validation } = splitDataset(all, { validationSplit: 0.25, maxTrainImages: 0, seed: 3, labelsPerClass: 0 });
    expect(grids[0]!.inputs[0]).toEqual(validation.images.slice(0, size));
    const evaluation = events.find((e) => e.type === 'evaluation')!.evaluation as ReconstructionEvaluation;
    expect(evaluation.grids.map((g: ReconstructionGrid) => g.epoch)).toEqual([1, 2, 3]);
    expect(evaluation.psnr).toBeCloseTo(-10 * Math.log10(evaluation.mse), 6);
  });

  it('thins a long run to a few grids, first and last kept', () => {
    expect(thinGrids([1, 2, 3])).toEqual([1, 2, 3]);
    const kept = thinGrids(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(kept).toEqual([1, 21, 41, 60, 80, 100]);
    expect(kept[0]).toBe(1);
    expect(kept.at(-1)).toBe(100);
  });
});
