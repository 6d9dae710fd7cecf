import * as tf from '@tensorflow/tfjs';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerFastCpuKernels } from '../backend/backend-cpu-kernels';
import { registry } from '../../nodes/registry';
import { presets } from '../../presets';
import { compile } from '../../src/graph/compile';
import { parseCifarBatch, type ImageSet } from '../../src/data/cifar';
import { subset, syntheticDataset, toBatch } from './data';
import { chainPlan, smallConvNet } from './train-test-plans';
import { NonFiniteLossError, Trainer } from './trainer';

beforeAll(async () => {
  await tf.setBackend('cpu');
  registerFastCpuKernels();
});

const synthetic = { source: 'synthetic', numClasses: 4, imageSize: 8, channels: 3 as const, samples: 64, seed: 5 };
const plan = (optimizer: Record<string, unknown> = {}, extra: Partial<Parameters<typeof chainPlan>[0]> = {}) =>
  chainPlan({
    dataset: synthetic,
    augmentation: { randomFlip: true, padCrop: 1, normalize: 'per-channel' },
    layers: smallConvNet(4),
    optimizer,
    ...extra,
  });

function allBatch(set: ImageSet, numClasses: number) {
  return toBatch(set, Array.from({ length: set.count }, (_, i) => i), numClasses);
}

describe('Trainer model', () => {
  it('has the parameter count the plan promised', () => {
    const small = plan();
    const t = new Trainer(small);
    expect(t.model.countParams()).toBe(small.model.totalParams);
    t.dispose();
    const resnet = chainPlan({
      dataset: { ...synthetic, imageSize: 16 },
      layers: [
        ['Conv2D', { filters: 8, useBias: false }],
        ['BatchNorm'],
        ['Activation', { fn: 'relu' }],
        ['ResidualBlock', { filters: 8 }],
        ['ResidualBlock', { filters: 16, stride: 2 }],
        ['GlobalAvgPool'],
        ['Dense', { units: 4 }],
      ],
    });
    const r = new Trainer(resnet);
    expect(r.model.countParams()).toBe(resnet.model.totalParams);
    r.dispose();
  });

  it('builds the ResNet-20 preset with its planned parameter count', () => {
    const compiled = compile(presets.find((p) => p.id === 'resnet-cifar')!.doc, registry);
    if (!compiled.ok || compiled.plan.mode !== 'supervised') throw new Error('the ResNet-20 preset does not compile');
    const t = new Trainer(compiled.plan);
    expect(t.model.countParams()).toBe(compiled.plan.model.totalParams);
    // 20 weighted layers: 19 3×3 convolutions and the classifier, plus 2 projection shortcuts
    expect(t.model.layers.filter((l) => l.getClassName() === 'Conv2D')).toHaveLength(21);
    expect(t.settings.optimizer).toMatchObject({ optimizer: 'sgd', nesterov: true, schedule: 'onecycle' });
    t.dispose();
  });
});

describe('trainStep', () => {
  it.each([
    ['sgd', { optimizer: 'sgd', nesterov: true, weightDecay: 5e-4, learningRate: 0.05 }],
    ['adamw', { optimizer: 'adamw', weightDecay: 0.01 }],
  ])('keeps the tensor count constant across steps (%s)', async (_name, opt) => {
    const t = new Trainer(plan(opt));
    const set = syntheticDataset({ ...synthetic, channels: 3 });
    const b = toBatch(set, Array.from({ length: 16 }, (_, i) => i), 4);
    await t.trainStep(b.xs, b.ys); // the first step creates the optimizer's slot variables
    const before = tf.memory().numTensors;
    for (let i = 0; i < 4; i++) await t.trainStep(b.xs, b.ys);
    expect(tf.memory().numTensors).toBe(before);
    expect(t.step).toBe(5);
    tf.dispose([b.xs, b.ys]);
    t.dispose();
  });

  it('follows the learning rate it is given, for SGD and Adam', async () => {
    for (const optimizer of ['sgd', 'adam']) {
      const a = new Trainer(plan({ optimizer }, { augmentation: null }));
      const b = toBatch(syntheticDataset(synthetic), [0, 1, 2, 3], 4);
      const before = a.model.getWeights().map((w) => w.dataSync().slice());
      a.setLearningRate(0);
      await a.trainStep(b.xs, b.ys);
      const frozen = a.model.getWeights().filter((w) => w.size === before[0]!.length)[0]!;
      expect(Array.from(frozen.dataSync())).toEqual(Array.from(before[0]!));
      a.setLearningRate(0.1);
      expect(a.learningRate).toBe(0.1);
      await a.trainStep(b.xs, b.ys);
      const moved = a.model.getWeights()[0]!.dataSync();
      expect(Array.from(moved)).not.toEqual(Array.from(before[0]!));
      tf.dispose([b.xs, b.ys]);
      a.dispose();
    }
  });

  it('updates BatchNorm moving statistics while training', async () => {
    const t = new Trainer(plan());
    const mean = t.model.weights.find((w) => w.originalName.endsWith('moving_mean'))!;
    const initial = Array.from(mean.read().dataSync());
    const b = allBatch(syntheticDataset(synthetic), 4);
    await t.trainStep(b.xs, b.ys);
    expect(Array.from(mean.read().dataSync())).not.toEqual(initial);
    tf.dispose([b.xs, b.ys]);
    t.dispose();
  });

  it('stops with a NonFiniteLossError on a NaN loss', async () => {
    const t = new Trainer(plan({ optimizer: 'adam' }, { augmentation: { randomFlip: false, padCrop: 0, normalize: 'unit' } }));
    const b = toBatch(syntheticDataset(synthetic), [0, 1, 2, 3], 4);
    const poisoned = tf.tidy(() => b.xs.mul(tf.scalar(NaN)) as tf.Tensor4D);
    const err = await t.trainStep(poisoned, b.ys).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NonFiniteLossError);
    expect((err as NonFiniteLossError).step).toBe(1);
    expect((err as Error).message).toMatch(/loss became NaN at step 1 .*Lower the learning rate/);
    tf.dispose([b.xs, b.ys, poisoned]);
    t.dispose();
  });
});

describe('evaluate', () => {
  it('reports a confusion matrix, per-class accuracy and samples consistent with each other', async () => {
    const t = new Trainer(plan({}, { evaluator: { samplePredictions: 5 } }));
    const set = syntheticDataset(synthetic);
    const before = tf.memory().numTensors;
    const r = await t.evaluate(set, { batchSize: 24 });
    expect(tf.memory().numTensors).toBe(before);
    expect(r.count).toBe(64);
    expect(r.confusion.flat().reduce((a, b) => a + b, 0)).toBe(64);
    r.confusion.forEach((row, c) => {
      expect(row.reduce((a, b) => a + b, 0)).toBe(16);
      expect(r.perClassAccuracy[c]).toBeCloseTo(row[c]! / 16, 12);
    });
    expect(r.accuracy).toBeCloseTo(r.confusion.reduce((s, row, c) => s + row[c]!, 0) / 64, 12);
    expect(r.samples.map((s) => s.index)).toEqual([0, 12, 25, 38, 51]);
    for (const s of r.samples) {
      expect(s.label).toBe(set.labels[s.index]);
      expect(s.pixels.length).toBe(8 * 8 * 3);
      expect(s.confidence).toBeGreaterThanOrEqual(0.25 - 1e-6);
      expect(r.confusion[s.label]![s.predicted]).toBeGreaterThan(0);
    }
    expect(Number.isFinite(r.loss)).toBe(true);
    t.dispose();
  });
});

const real = resolve(__dirname, '../../../shared/data/cifar10/data_batch_1.bin');

describe('overfitting a small batch', () => {
  it('reaches ≥ 95% training accuracy on 64 images', async () => {
    let images: ImageSet;
    let source: Record<string, unknown>;
    if (existsSync(real)) {
      const all = parseCifarBatch(new Uint8Array(readFileSync(real)));
      images = subset(all, Array.from({ length: 64 }, (_, i) => i));
      source = { source: 'cifar10' };
    } else {
      console.warn(`${real} is absent: overfitting synthetic images instead of real CIFAR-10`);
      images = syntheticDataset({ numClasses: 10, imageSize: 32, channels: 3, samples: 64, seed: 2 });
      source = { source: 'synthetic', numClasses: 10, imageSize: 32, channels: 3 };
    }
    const p = chainPlan({
      dataset: source,
      augmentation: { randomFlip: false, padCrop: 0, normalize: 'per-channel' },
      layers: [
        // No BatchNorm: its broadcasting gradients dominate a cpu step, and this net needs none.
        ['Conv2D', { filters: 16, kernelSize: 3, stride: 2, activation: 'relu' }],
        ['Conv2D', { filters: 32, kernelSize: 3, stride: 2, activation: 'relu' }],
        ['Flatten'],
        ['Dense', { units: 10 }],
      ],
      optimizer: { optimizer: 'adam', learningRate: 0.003 },
    });
    const t = new Trainer(p);
    const b = allBatch(images, 10);
    let last = { loss: Infinity, acc: 0 };
    let steps = 0;
    while (steps < 80 && last.acc < 1) {
      const r = await t.trainStep(b.xs, b.ys);
      last = { loss: r.loss, acc: r.acc ?? NaN };
      steps++;
    }
    console.log(`overfit: ${steps} steps, loss ${last.loss.toFixed(4)}, accuracy ${last.acc}`);
    expect(last.acc).toBeGreaterThanOrEqual(0.95);
    const report = await t.evaluate(images);
    expect(report.accuracy).toBeGreaterThanOrEqual(0.95);
    tf.dispose([b.xs, b.ys]);
    t.dispose();
  });
});
