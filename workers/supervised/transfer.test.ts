/**
 * Transfer in Node with the Trainer: a tiny autoencoder pretrained a few steps hands its encoder to
 * a classifier whose encoder nodes have the same ids; copied layers start equal to the source's,
 * frozen ones stay unchanged over training steps, and a missing or mismatched source is a message.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerFastCpuKernels } from '../backend/backend-cpu-kernels';
import type { SupervisedPlan } from '../../src/graph/plan';
import type { TrainEvent } from '../../src/protocol/train';
import { PlanError } from '../../nodes/stage-settings';
import { captureCheckpoint, type Checkpoint } from './checkpoint';
import { syntheticDataset, toBatch, toImages } from './data';
import type { ImageSet } from '../../src/data/cifar';
import { SupervisedRun } from './supervised-run';
import { chainPlan, type ChainSpec } from './train-test-plans';
import { Trainer } from './trainer';

beforeAll(async () => {
  await tf.setBackend('cpu');
  registerFastCpuKernels();
});

const data = { source: 'synthetic', numClasses: 4, imageSize: 8, channels: 3, samples: 64, seed: 4, validationSplit: 0.25 };
// Nodes n0 Dataset, n1 Augmentation, n2 Input, then the layers from n3: the encoder is n3–n6 in both graphs.
const encoder = (filters = 8): ChainSpec['layers'] => [
  ['Conv2D', { filters: 8 }],
  ['BatchNorm'],
  ['Activation', { fn: 'relu' }],
  ['Conv2D', { filters, stride: 2, activation: 'relu' }],
];
const autoencoder = chainPlan({
  dataset: { ...data, useLabels: false },
  augmentation: { randomFlip: false, padCrop: 0, normalize: 'unit' },
  layers: [...encoder(), ['Conv2DTranspose', { filters: 8, stride: 2, activation: 'relu' }], ['Conv2D', { filters: 3, kernelSize: 1 }]],
  loss: { target: 'input', loss: 'mse' },
  optimizer: { optimizer: 'adam', learningRate: 0.01, epochs: 1, batchSize: 16 },
});
const classifier = (initMode: 'fine-tune' | 'freeze', filters = 8, initFromRun = 'run-ae'): SupervisedPlan =>
  chainPlan({
    dataset: data,
    augmentation: { randomFlip: false, padCrop: 0, normalize: 'unit' },
    layers: [...encoder(filters), ['GlobalAvgPool'], ['Dense', { units: 4 }]],
    optimizer: { optimizer: 'adamw', weightDecay: 0.05, learningRate: 0.01, epochs: 1, batchSize: 16, initFromRun, initMode },
  });

const allBatchOf = (set: ImageSet, k: number) => toBatch(set, Array.from({ length: set.count }, (_, i) => i), k);

/** Every weight of a model by its layer-given name, as plain arrays. */
const weightsOf = (m: tf.LayersModel) => Object.fromEntries(m.weights.map((w) => [w.originalName, Array.from(w.read().dataSync())]));

let source: Checkpoint;
let sourceWeights: Record<string, number[]>;

beforeAll(async () => {
  const t = new Trainer(autoencoder);
  const set = syntheticDataset({ numClasses: 4, imageSize: 8, channels: 3, samples: 16, seed: 4 });
  const xs = toImages(set, Array.from({ length: 16 }, (_, i) => i));
  for (let i = 0; i < 3; i++) await t.trainStep(xs);
  xs.dispose();
  source = await captureCheckpoint(t.model, { epoch: 1, step: t.step });
  sourceWeights = weightsOf(t.model);
  t.dispose();
});

describe('transfer', () => {
  it('the plan carries the Optimizer\'s choice', () => {
    expect(classifier('freeze').initFrom).toEqual({ runId: 'run-ae', mode: 'freeze' });
    expect(classifier('fine-tune', 8, '').initFrom).toBeUndefined();
  });

  it('copies exactly the layers with the same node id and shapes, and says which were left fresh', () => {
    const plan = classifier('fine-tune');
    const t = new Trainer(plan, { init: { from: plan.initFrom!, checkpoint: source } });
    expect(t.transfer).toMatchObject({ matched: ['n3', 'n4', 'n6'], fresh: ['n8'], mismatched: [] });
    const mine = weightsOf(t.model);
    const copied = Object.keys(mine).filter((k) => /^n[346]_/.test(k));
    // Conv kernel and bias twice, batch norm's gamma, beta, moving mean and variance.
    expect(copied).toHaveLength(8);
    for (const k of copied) expect(mine[k]).toEqual(sourceWeights[k]);
    expect(Object.keys(mine).filter((k) => k.startsWith('n8_'))).toEqual(['n8_dense/kernel', 'n8_dense/bias']);
    t.dispose();
  });

  it('freeze keeps the copied layers (batch norm statistics included) unchanged while the head learns', async () => {
    const plan = classifier('freeze');
    const t = new Trainer(plan, { init: { from: plan.initFrom!, checkpoint: source } });
    expect(t.model.trainableWeights.map((w) => w.originalName)).toEqual(['n8_dense/kernel', 'n8_dense/bias']);
    const before = weightsOf(t.model);
    const set = syntheticDataset({ numClasses: 4, imageSize: 8, channels: 3, samples: 16, seed: 5 });
    const b = allBatchOf(set, 4);
    for (let i = 0; i < 3; i++) await t.trainStep(b.xs, b.ys);
    const after = weightsOf(t.model);
    for (const k of Object.keys(before).filter((k) => !k.startsWith('n8_'))) expect(after[k]).toEqual(before[k]);
    expect(after['n8_dense/kernel']).not.toEqual(before['n8_dense/kernel']);
    tf.dispose([b.xs, b.ys]);
    t.dispose();
  });

  it('fine-tune trains the copied layers on', async () => {
    const plan = classifier('fine-tune');
    const t = new Trainer(plan, { init: { from: plan.initFrom!, checkpoint: source } });
    const b = allBatchOf(syntheticDataset({ numClasses: 4, imageSize: 8, channels: 3, samples: 16, seed: 5 }), 4);
    await t.trainStep(b.xs, b.ys);
    expect(weightsOf(t.model)['n3_conv/kernel']).not.toEqual(sourceWeights['n3_conv/kernel']);
    tf.dispose([b.xs, b.ys]);
    t.dispose();
  });

  it('names the layers whose shapes differ and leaves them fresh; refuses a source that gives nothing', () => {
    const plan = classifier('fine-tune', 16);
    const t = new Trainer(plan, { init: { from: plan.initFrom!, checkpoint: source } });
    expect(t.transfer!.matched).toEqual(['n3', 'n4']);
    expect(t.transfer!.fresh).toEqual(['n6', 'n8']);
    expect(t.transfer!.mismatched[0]).toBe('n6: n6_conv/kernel [3,3,8,8] ≠ [3,3,8,16]');
    t.dispose();
    const unrelated = chainPlan({ dataset: data, layers: [['Flatten'], ['Dense', { units: 4 }]], optimizer: { initFromRun: 'run-ae' } });
    expect(() => new Trainer(unrelated, { init: { from: unrelated.initFrom!, checkpoint: source } })).toThrow(PlanError);
    expect(() => new Trainer(unrelated, { init: { from: unrelated.initFrom!, checkpoint: source } })).toThrow(/none of run run-ae's layers fit/);
  });

  it('a run reports the transfer, and fails as a plan error in the user\'s words when the source run is not stored', async () => {
    const events: TrainEvent[] = [];
    const ok = await new SupervisedRun(classifier('freeze'), undefined, { backend: 'cpu', emit: (e) => events.push(e), initWeights: source }).run();
    expect(ok).toBe('completed');
    const text = events.flatMap((e) => (e.type === 'status' ? [e.text] : [])).find((s) => s.startsWith('started from run'));
    expect(text).toBe('started from run run-ae: 3 layers copied and frozen (n3, n4, n6); left fresh: n8');
    const failed: TrainEvent[] = [];
    const outcome = await new SupervisedRun(classifier('freeze'), undefined, { backend: 'cpu', emit: (e) => failed.push(e) }).run();
    expect(outcome).toBe('failed');
    const last = failed.at(-1);
    expect(last).toMatchObject({ type: 'failed', kind: 'plan' });
    expect(last?.type === 'failed' ? last.message : '').toContain('run run-ae, which has no stored checkpoint in this browser');
  });

  it('a resumed run whose source is gone continues from its own checkpoint; a frozen one with epochs left says why it cannot', async () => {
    const first: TrainEvent[] = [];
    await new SupervisedRun(classifier('fine-tune'), undefined, { backend: 'cpu', emit: (e) => first.push(e), initWeights: source }).run();
    const own = first.flatMap((e) => (e.type === 'checkpoint' ? [e.payload as Checkpoint] : [])).at(-1)!;
    // Evaluate: every epoch done, so only the evaluation runs, without the source.
    const evaluated: TrainEvent[] = [];
    expect(await new SupervisedRun(classifier('freeze'), undefined, { backend: 'cpu', emit: (e) => evaluated.push(e), resumeFrom: own }).run()).toBe('completed');
    expect(evaluated.some((e) => e.type === 'evaluation')).toBe(true);
    expect(evaluated.some((e) => e.type === 'status' && e.text.includes('continuing from this run\'s own checkpoint'))).toBe(true);
    // Epochs left: fine-tune trains on; freeze cannot know which layers to hold.
    const early = { ...own, epoch: 0, step: 0 };
    expect(await new SupervisedRun(classifier('fine-tune'), undefined, { backend: 'cpu', emit: () => undefined, resumeFrom: early }).run()).toBe('completed');
    const frozen: TrainEvent[] = [];
    expect(await new SupervisedRun(classifier('freeze'), undefined, { backend: 'cpu', emit: (e) => frozen.push(e), resumeFrom: early }).run()).toBe('failed');
    expect(frozen.at(-1)).toMatchObject({ type: 'failed', kind: 'plan', message: expect.stringMatching(/no longer in this browser.*Evaluate still works/) });
  });
});
