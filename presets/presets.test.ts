/**
 * The self-supervised pair of presets: both load through `admitDocument`, compile, and train; the
 * classifier's encoder nodes carry the autoencoder's ids, so a transfer copies the whole encoder.
 * Trained here on synthetic 32×32×3 images (the presets read CIFAR-10, which Node does not have).
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { registry } from '../nodes/registry';
import { compile } from '../src/graph/compile';
import type { GraphDocument } from '../src/graph/document';
import type { SupervisedPlan } from '../src/graph/plan';
import { registerFastCpuKernels } from '../workers/backend/backend-cpu-kernels';
import { captureCheckpoint } from '../workers/supervised/checkpoint';
import { syntheticDataset, toBatch } from '../workers/supervised/data';
import { Trainer } from '../workers/supervised/trainer';
import { presets } from '.';
import { presetDoc } from './test-fixtures';

beforeAll(async () => {
  await tf.setBackend('cpu');
  registerFastCpuKernels();
});

/** The preset compiled as shipped, or with its Dataset on synthetic images (and, for the classifier, a source run). */
function planOf(doc: GraphDocument, synthetic = false, optimizer: Record<string, unknown> = {}): SupervisedPlan {
  const d = structuredClone(doc);
  for (const n of d.nodes) {
    if (synthetic && n.type === 'Dataset') n.params = { ...n.params, source: 'synthetic', imageSize: 32, channels: 3, numClasses: 10, samples: 64 };
    if (n.type === 'Optimizer') n.params = { ...n.params, batchSize: 8, ...optimizer };
  }
  const r = compile(d, registry);
  if (!r.ok || r.plan.mode !== 'supervised') throw new Error(`preset does not compile: ${r.diagnostics.map((x) => x.message).join('; ')}`);
  return r.plan;
}

const ENCODER = ['stem-conv', 'stem-bn', 'enc1', 'enc2', 'enc3'];

describe('self-supervised presets', () => {
  it('are listed and compile as shipped: reconstruction without labels, and 100 labels per class', () => {
    expect(presets.map((p) => p.id)).toEqual(expect.arrayContaining(['autoencoder-cifar', 'ssl-classifier-cifar']));
    const ae = planOf(presetDoc('autoencoder-cifar'));
    expect(ae.model.outputShape).toEqual([32, 32, 3]);
    expect(ae.loss.params).toMatchObject({ target: 'input', loss: 'mse' });
    expect(ae.dataset.params).toMatchObject({ source: 'cifar10', useLabels: false });
    const cls = planOf(presetDoc('ssl-classifier-cifar'));
    expect(cls.model.outputShape).toEqual([10]);
    expect(cls.dataset.params).toMatchObject({ labelsPerClass: 100 });
    expect(cls.initFrom).toBeUndefined();
    const ids = (plan: SupervisedPlan) => new Set(plan.model.ops.map((o) => o.nodeId));
    for (const id of ENCODER) expect(ids(ae).has(id) && ids(cls).has(id)).toBe(true);
  });

  it('train: the autoencoder a few steps, then the classifier from its encoder', async () => {
    const set = syntheticDataset({ numClasses: 10, imageSize: 32, channels: 3, samples: 8, seed: 1 });
    const b = toBatch(set, Array.from({ length: 8 }, (_, i) => i), 10);
    const ae = new Trainer(planOf(presetDoc('autoencoder-cifar'), true));
    const losses = [];
    for (let i = 0; i < 3; i++) losses.push((await ae.trainStep(b.xs)).loss);
    expect(losses.every(Number.isFinite)).toBe(true);
    const checkpoint = await captureCheckpoint(ae.model, { epoch: 1, step: ae.step });
    ae.dispose();
    const plan = planOf(presetDoc('ssl-classifier-cifar'), true, { initFromRun: 'run-1', initMode: 'freeze' });
    const cls = new Trainer(plan, { init: { from: plan.initFrom!, checkpoint } });
    expect(cls.transfer).toMatchObject({ matched: ENCODER, fresh: ['logits'], mismatched: [] });
    const r = await cls.trainStep(b.xs, b.ys);
    expect(Number.isFinite(r.loss) && r.acc !== undefined).toBe(true);
    cls.dispose();
    tf.dispose([b.xs, b.ys]);
  });
});
