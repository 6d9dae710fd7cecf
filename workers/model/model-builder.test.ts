/**
 * What the plan promises about the built model holds in TF.js: the memory estimate against
 * `tf.memory()` while training on wasm, and the depth limit against a real build and step.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { registry } from '../../nodes/registry';
import { compile } from '../../src/graph/compile';
import { MAX_MODEL_DEPTH, modelDepth } from '../../src/graph/depth';
import type { SupervisedPlan } from '../../src/graph/plan';
import { registerFastCpuKernels } from '../backend/backend-cpu-kernels';
import { buildModel } from './model-builder';
import { chainDocument, chainPlan, smallConvNet, type ChainSpec } from '../supervised/train-test-plans';
import { Trainer } from '../supervised/trainer';
import { registerWasmTrainingKernels } from '../wasm-kernels/wasm-kernels';

beforeAll(() => {
  registerWasmTrainingKernels();
  registerFastCpuKernels();
});

/** Peak bytes of live tensors over one training step, after a first step made the optimizer's slots. */
async function measuredPeak(plan: SupervisedPlan): Promise<number> {
  const { batchSize, imageShape } = { batchSize: plan.memory.batchSize, imageShape: plan.model.inputShape };
  const trainer = new Trainer(plan);
  const xs = tf.randomUniform([batchSize, imageShape[0]!, imageShape[1]!, imageShape[2]!], 0, 255) as tf.Tensor4D;
  const ys = tf.oneHot(tf.tensor1d(Array.from({ length: batchSize }, (_, i) => i % 4), 'int32'), 4) as tf.Tensor2D;
  try {
    await trainer.trainStep(xs, ys);
    const profile = await tf.profile(async () => {
      await trainer.trainStep(xs, ys);
      return [];
    });
    return profile.peakBytes;
  } finally {
    trainer.dispose();
    tf.dispose([xs, ys]);
  }
}

/** The estimate may be this much above what TF.js holds, or this much below (its factors are rounded up from wasm). */
const WITHIN = { above: 1.5, below: 0.85 };

describe('memory estimate against tf.memory() on wasm', () => {
  it.each([
    ['a small conv net (batch norm, SGD)', smallConvNet(4), { optimizer: 'sgd', batchSize: 16 }],
    ['a residual net with dropout (Adam)', [['Conv2D', { filters: 8, useBias: false }], ['ResidualBlock', { filters: 8 }], ['ResidualBlock', { filters: 16, stride: 2 }], ['Dropout', { rate: 0.3 }], ['GlobalAvgPool'], ['Dense', { units: 4 }]], { optimizer: 'adam', batchSize: 8 }],
  ] as [string, ChainSpec['layers'], Record<string, unknown>][])('%s', async (_name, layers, optimizer) => {
    expect(await tf.setBackend('wasm')).toBe(true);
    const plan = chainPlan({ dataset: { source: 'synthetic', numClasses: 4, imageSize: 16, channels: 3, samples: 16 }, augmentation: null, layers, optimizer });
    const peak = await measuredPeak(plan);
    const ratio = plan.memory.totalBytes / peak;
    expect(ratio, `estimate ${plan.memory.totalBytes} B, measured peak ${peak} B`).toBeLessThan(WITHIN.above);
    expect(ratio, `estimate ${plan.memory.totalBytes} B, measured peak ${peak} B`).toBeGreaterThan(WITHIN.below);
  });
});

describe('model depth', () => {
  /** Input → Flatten → `dense` Dense layers: `dense + 2` layers deep. */
  const denseChain = (dense: number) =>
    chainDocument({
      dataset: { source: 'synthetic', numClasses: 4, imageSize: 4, channels: 1, samples: 16 },
      augmentation: null,
      layers: [['Flatten'], ...Array.from({ length: dense }, () => ['Dense', { units: 4 }] as ChainSpec['layers'][number])],
      optimizer: { batchSize: 2 },
    });

  it('builds and steps a model exactly at the limit', async () => {
    await tf.setBackend('cpu');
    const r = compile(denseChain(MAX_MODEL_DEPTH - 2), registry);
    if (!r.ok || r.plan.mode !== 'supervised') throw new Error(r.diagnostics.map((d) => d.message).join('; '));
    expect(modelDepth(r.plan.model)).toBe(MAX_MODEL_DEPTH);
    const trainer = new Trainer(r.plan);
    const xs = tf.zeros([2, 4, 4, 1]) as tf.Tensor4D;
    const ys = tf.oneHot(tf.tensor1d([0, 1], 'int32'), 4) as tf.Tensor2D;
    const { loss } = await trainer.trainStep(xs, ys);
    expect(Number.isFinite(loss)).toBe(true);
    trainer.dispose();
    tf.dispose([xs, ys]);
  }, 60_000);

  it('refuses one layer more at compile time, on the layer past the limit', () => {
    const doc = denseChain(MAX_MODEL_DEPTH - 1);
    const r = compile(doc, registry);
    expect(r.ok).toBe(false);
    const error = r.diagnostics.find((d) => d.code === 'too-deep')!;
    // n0 Dataset, n1 Input, n2 Flatten, then the Dense layers: the last one is layer 2,001.
    expect(error).toMatchObject({ severity: 'error', nodeId: `n${MAX_MODEL_DEPTH + 1}` });
    expect(error.message).toMatch(/2,001 layers deep .* past 2,000.*remove 1 layers or more/);
  });

  it('overflows TF.js far enough past the limit, which is why the limit exists', async () => {
    await tf.setBackend('cpu');
    // The node's stack is about twice a browser worker's; 6,000 layers overflow it too.
    const r = compile(denseChain(6000), registry);
    expect(r.ok).toBe(false);
    const unchecked = compile(denseChain(10), registry);
    if (!unchecked.ok) throw new Error('a short chain does not compile');
    const deep = { ...unchecked.plan.model, ops: [...unchecked.plan.model.ops] };
    const last = deep.ops[deep.ops.length - 1]!;
    for (let i = 0; i < 6000; i++) deep.ops.push({ ...last, id: `deep/${i}`, inputs: [deep.ops[deep.ops.length - 1]!.id] });
    deep.output = deep.ops[deep.ops.length - 1]!.id;
    expect(() => buildModel(deep)).toThrow(/Maximum call stack size exceeded/);
  }, 60_000);
});
