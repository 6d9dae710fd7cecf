/** Weight averaging and test-time flips, on a model small enough to score by hand. */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerFastCpuKernels } from '../backend/backend-cpu-kernels';
import type { ImageSet } from '../../src/data/cifar';
import { syntheticDataset, toBatch } from './data';
import { emaDecayAt, WeightAverage } from './trainer-ema';
import { SupervisedRun } from './supervised-run';
import type { TrainEvent } from '../../src/protocol/train';
import { evaluateModel } from './trainer-evaluate';
import { chainPlan, smallConvNet } from './train-test-plans';
import { Trainer } from './trainer';

beforeAll(async () => {
  await tf.setBackend('cpu');
  registerFastCpuKernels();
});

/** One 1×2 grey image, pixels [1, 3], of class 0; a linear model with no bias: logit j = Σᵢ xᵢ·W[i][j]. */
const image: ImageSet = { images: new Uint8Array([1, 3]), labels: new Uint8Array([0]), count: 1, shape: [1, 2, 1] };
function linear(w: number[][]): tf.LayersModel {
  const model = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [1, 2, 1] }), tf.layers.dense({ units: 2, useBias: false })] });
  setKernel(model, w);
  return model;
}
function setKernel(model: tf.LayersModel, w: number[][]): void {
  const t = tf.tensor2d(w);
  model.setWeights([t]);
  t.dispose();
}
const evaluate = (model: tf.LayersModel, flip = false) =>
  evaluateModel(model, image, {
    numClasses: 2,
    batchSize: 8,
    samples: 1,
    prepare: (x) => x,
    loss: (y, out) => tf.losses.softmaxCrossEntropy(y, out) as tf.Scalar,
    probabilities: false,
    flip,
  });
/** Cross-entropy of class 0 for logits [a, b]: log(1 + e^(b − a)). */
const ce0 = (a: number, b: number) => Math.log(1 + Math.exp(b - a));

describe('test-time flip averaging', () => {
  it('averages the logits of the image and its mirror image', async () => {
    const model = linear([[2, 0], [0, 1]]);
    // [1, 3] → logits [2, 3] (class 1, wrong); mirrored [3, 1] → [6, 1]; mean [4, 2] → class 0.
    const plain = await evaluate(model);
    expect(plain).toMatchObject({ accuracy: 0, confusion: [[0, 1], [0, 0]] });
    expect(plain.loss).toBeCloseTo(ce0(2, 3), 6);
    const flipped = await evaluate(model, true);
    expect(flipped).toMatchObject({ accuracy: 1, confusion: [[1, 0], [0, 0]] });
    expect(flipped.loss).toBeCloseTo(ce0(4, 2), 6);
    expect(flipped.samples[0]!.confidence).toBeCloseTo(1 / (1 + Math.exp(-2)), 6);
    model.dispose();
  });
});

describe('WeightAverage', () => {
  it('lowers the decay early on, as TensorFlow’s EMA does', () => {
    expect(emaDecayAt(0.999, 0)).toBeCloseTo(0.1, 12);
    expect(emaDecayAt(0.999, 1)).toBeCloseTo(2 / 11, 12);
    expect(emaDecayAt(0.5, 20)).toBe(0.5);
  });

  it('evaluates the average and puts the training weights back', async () => {
    const model = linear([[0, 0], [0, 2]]);
    const before = tf.memory().numTensors;
    const ema = new WeightAverage(model, 0.5);
    setKernel(model, [[4, 0], [0, 0]]); // a "step": the training weights move
    ema.update(20); // decay 0.5: average [[2, 0], [0, 1]]
    // training weights: logits [4, 0], class 0; the average: logits [2, 3], class 1
    const averaged = await ema.within(() => evaluate(model));
    expect(averaged.accuracy).toBe(0);
    expect(averaged.loss).toBeCloseTo(ce0(2, 3), 6);
    const trained = await evaluate(model);
    expect(trained.accuracy).toBe(1);
    expect(trained.loss).toBeCloseTo(ce0(4, 0), 6);
    ema.update(21); // folds [[4,0],[0,0]] in again: [[3, 0], [0, 0.5]] → logits [3, 1.5]
    expect((await ema.within(() => evaluate(model))).loss).toBeCloseTo(ce0(3, 1.5), 6);
    ema.dispose();
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});

describe('Trainer with an EMA', () => {
  const set = syntheticDataset({ numClasses: 4, imageSize: 8, channels: 3, samples: 32, seed: 5 });
  const plan = chainPlan({
    dataset: { source: 'synthetic', numClasses: 4, imageSize: 8, channels: 3, samples: 32, seed: 5 },
    augmentation: { randomFlip: false, padCrop: 0, normalize: 'per-channel' },
    layers: smallConvNet(4),
    optimizer: { optimizer: 'adam', learningRate: 0.05, emaDecay: 0.9, batchSize: 32 },
    evaluator: { flipAveraging: true },
  });

  it('validates on the average, and a checkpoint restores both the average and the training weights', async () => {
    const t = new Trainer(plan);
    const batch = toBatch(set, Array.from({ length: 32 }, (_, i) => i), 4);
    for (let i = 0; i < 3; i++) await t.trainStep(batch.xs, batch.ys);
    tf.dispose([batch.xs, batch.ys]);
    const evalAverage = await t.evaluate(set);
    const raw = await evaluateModel(t.model, set, { numClasses: 4, batchSize: 64, samples: 0, prepare: (x) => t.augmenter.evaluate(x), loss: (y, o) => tf.losses.softmaxCrossEntropy(y, o) as tf.Scalar, probabilities: false, flip: true });
    expect(evalAverage.loss).not.toBeCloseTo(raw.loss, 3);
    const ckpt = await t.capture({ epoch: 1, step: 3 });
    expect(ckpt.trainingWeightData?.byteLength).toBe(ckpt.weightData.byteLength);
    const resumed = new Trainer(plan);
    resumed.restore(ckpt);
    expect((await resumed.evaluate(set)).loss).toBeCloseTo(evalAverage.loss, 5);
    const trainWeights = t.model.getWeights().map((w) => Array.from(w.dataSync()));
    expect(resumed.model.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(trainWeights);
    t.dispose();
    resumed.dispose();
  });

  it("a run's evaluation says it scored the average with flips", async () => {
    const events: TrainEvent[] = [];
    await new SupervisedRun(plan, undefined, { backend: 'cpu', emit: (e) => events.push(e), stepEventIntervalMs: 0 }).run();
    const evaluation = events.find((e) => e.type === 'evaluation');
    expect(evaluation?.type === 'evaluation' && evaluation.evaluation).toMatchObject({ kind: 'classification', flipAveraged: true, weightAverageDecay: 0.9 });
  });
});
