/**
 * The Fast CIFAR-10 preset: its training recipe is expressed in nodes (a 10-minute budget, label
 * smoothing, test-time flips), it costs a fraction of ResNet-20's arithmetic per image, and it
 * trains on wasm, where the app trains on a CPU (its strided convolutions and 8×8 maps take the wasm
 * kernels' patch filter gradient). Trained here on synthetic 32×32×3 images.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registry } from '../nodes/registry';
import { compile } from '../src/graph/compile';
import type { GraphDocument } from '../src/graph/document';
import type { SupervisedPlan } from '../src/graph/plan';
import { registerWasmTrainingKernels } from '../workers/wasm-kernels/wasm-kernels';
import { syntheticDataset, toBatch } from '../workers/supervised/data';
import { Trainer } from '../workers/supervised/trainer';
import { presets } from '.';
import { presetDoc } from './test-fixtures';

let previous = '';
beforeAll(async () => {
  previous = tf.getBackend();
  registerWasmTrainingKernels();
  expect(await tf.setBackend('wasm')).toBe(true);
});
afterAll(async () => {
  if (previous) await tf.setBackend(previous);
});

function planOf(doc: GraphDocument): SupervisedPlan {
  const r = compile(doc, registry);
  if (!r.ok || r.plan.mode !== 'supervised') throw new Error(`preset does not compile: ${r.diagnostics.map((x) => x.message).join('; ')}`);
  return r.plan;
}

describe('Fast CIFAR-10 preset', () => {
  it('is listed, and carries its recipe in its nodes: a 10-minute budget, label smoothing and flip averaging', () => {
    expect(presets.map((p) => p.id)).toContain('fast-cifar');
    const plan = planOf(presetDoc('fast-cifar'));
    expect(plan.model.outputShape).toEqual([10]);
    expect(plan.optimizer.params).toMatchObject({ budgetMinutes: 10 });
    expect(plan.loss.params.labelSmoothing).toBeGreaterThan(0);
    expect(plan.evaluator?.params).toMatchObject({ flipAveraging: true });
    // Cheaper per image than the ResNet-20 preset: it is built for a 10-minute budget.
    expect(plan.model.totalFlops).toBeLessThan(planOf(presetDoc('resnet-cifar')).model.totalFlops);
  });

  it('trains on wasm: finite losses that fall on a repeated batch', async () => {
    const doc = presetDoc('fast-cifar');
    for (const n of doc.nodes) {
      if (n.type === 'Dataset') n.params = { ...n.params, source: 'synthetic', imageSize: 32, channels: 3, numClasses: 10, samples: 64 };
      if (n.type === 'Optimizer') n.params = { ...n.params, batchSize: 16, budgetMinutes: 0, epochs: 1, learningRate: 0.05 };
    }
    const set = syntheticDataset({ numClasses: 10, imageSize: 32, channels: 3, samples: 16, seed: 3 });
    const b = toBatch(set, Array.from({ length: 16 }, (_, i) => i), 10);
    const trainer = new Trainer(planOf(doc));
    const losses: number[] = [];
    for (let i = 0; i < 6; i++) losses.push((await trainer.trainStep(b.xs, b.ys)).loss);
    trainer.dispose();
    tf.dispose([b.xs, b.ys]);
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses.at(-1)!).toBeLessThan(losses[0]!);
  });
});
