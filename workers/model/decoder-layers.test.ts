/**
 * The decoder layers as the model builder builds them: the TF.js model's outputs on tiny inputs
 * against values worked out by hand (which also pins TF's padding offsets and TF.js's bilinear
 * sampling), and a small autoencoder whose one training step on wasm lowers a reconstruction loss.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { errorsOf, validateChain, type Step } from '../../nodes/test-helpers';
import type { ModelPlan } from '../../src/graph/plan';
import { registerFastCpuKernels } from '../backend/backend-cpu-kernels';
import { chainPlan } from '../supervised/train-test-plans';
import { Trainer } from '../supervised/trainer';
import { registerWasmTrainingKernels } from '../wasm-kernels/wasm-kernels';
import { buildModel } from './model-builder';

beforeAll(() => {
  registerWasmTrainingKernels();
  registerFastCpuKernels();
});

/** The model part of Input(shape) → steps, as compile would plan it (the reconstruction loss is not ours to test). */
function modelOf(shape: number[], ...steps: Step[]): ModelPlan {
  const { analysis, ids } = validateChain([['Input', { shape }], ...steps]);
  expect(errorsOf(analysis)).toEqual([]);
  const ops = analysis.order.flatMap((id) => analysis.nodes[id]!.ops);
  const last = analysis.nodes[ids[ids.length - 1]!]!.ops.at(-1)!;
  return {
    inputs: [ops[0]!.id],
    ops,
    output: last.id,
    inputShape: ops[0]!.shape,
    outputShape: last.shape,
    totalParams: ops.reduce((s, op) => s + op.params, 0),
    trainableParams: ops.reduce((s, op) => s + op.trainableParams, 0),
    totalFlops: ops.reduce((s, op) => s + op.flops, 0),
  };
}

/** Builds the model, sets its weights, and returns its output on `x` as nested arrays (one image, channel 0). */
function run(plan: ModelPlan, x: number[][], weights: tf.Tensor[] = []): number[][] {
  return tf.tidy(() => {
    const model = buildModel(plan);
    expect(model.countParams()).toBe(plan.totalParams);
    if (weights.length > 0) model.setWeights(weights);
    const input = tf.tensor(x.flat(), [1, x.length, x[0]!.length, 1]);
    const out = model.predict(input) as tf.Tensor4D;
    expect(out.shape.slice(1)).toEqual(plan.outputShape);
    return (tf.squeeze(out, [0, 3]).arraySync() as number[][]).map((row) => row.map((v) => Math.round(v * 1e5) / 1e5));
  });
}

describe.each(['cpu', 'wasm'])('decoder layers built for TF.js, on %s', (backend) => {
  beforeAll(async () => {
    expect(await tf.setBackend(backend)).toBe(true);
  });

  it('Upsample nearest ×2 repeats each pixel into a 2×2 block', () => {
    const plan = modelOf([2, 2, 1], ['Upsample', { factor: 2 }]);
    expect(run(plan, [[1, 2], [3, 4]])).toEqual([
      [1, 1, 2, 2],
      [1, 1, 2, 2],
      [3, 3, 4, 4],
      [3, 3, 4, 4],
    ]);
  });

  it('Upsample bilinear ×2 samples at i/2 without a half-pixel offset, holding the last edge', () => {
    const plan = modelOf([1, 2, 1], ['Upsample', { factor: 2, interpolation: 'bilinear' }]);
    // Columns 0, 0.5, 1, 1.5 of [2, 6]; 1.5 has no right neighbour and keeps 6. Both rows alike.
    expect(run(plan, [[2, 6]])).toEqual([
      [2, 4, 6, 6],
      [2, 4, 6, 6],
    ]);
  });

  it('Conv2DTranspose 2×2 stride 2 valid paints each pixel times the kernel, plus the bias', () => {
    const plan = modelOf([2, 2, 1], ['Conv2DTranspose', { filters: 1, kernelSize: 2, stride: 2, padding: 'valid' }]);
    const kernel = tf.tensor([1, 2, 3, 4], [2, 2, 1, 1]);
    expect(run(plan, [[1, 10], [100, 0]], [kernel, tf.tensor([0.5])])).toEqual([
      [1.5, 2.5, 10.5, 20.5],
      [3.5, 4.5, 30.5, 40.5],
      [100.5, 200.5, 0.5, 0.5],
      [300.5, 400.5, 0.5, 0.5],
    ]);
  });

  it("Conv2DTranspose 3×3 stride 2 same keeps the kernel's top-left 2×2 for a 1×1 input (TF pads after)", () => {
    const plan = modelOf([1, 1, 1], ['Conv2DTranspose', { filters: 1, kernelSize: 3, stride: 2, padding: 'same', useBias: false }]);
    const kernel = tf.tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], [3, 3, 1, 1]);
    expect(run(plan, [[2]], [kernel])).toEqual([
      [2, 4],
      [8, 10],
    ]);
  });
});

describe('a small autoencoder on wasm', () => {
  it.each([
    ['Conv2DTranspose', [['Conv2D', { filters: 8, stride: 2, activation: 'relu' }], ['Conv2DTranspose', { filters: 8, stride: 2, activation: 'relu' }], ['Conv2D', { filters: 3 }]]],
    ['Upsample', [['Conv2D', { filters: 8, stride: 2, activation: 'relu' }], ['Upsample', { interpolation: 'bilinear' }], ['Conv2D', { filters: 3 }]]],
  ] as [string, Step[]][])('with %s: one Adam step on a batch lowers its reconstruction MSE', async (_name, steps) => {
    expect(await tf.setBackend('wasm')).toBe(true);
    const plan = modelOf([32, 32, 3], ...steps);
    expect(plan.outputShape).toEqual([32, 32, 3]);
    const model = buildModel(plan);
    const images = tf.randomUniform([8, 32, 32, 3], 0, 1, 'float32', 11);
    const optimizer = tf.train.adam(1e-2);
    const mse = () => tf.losses.meanSquaredError(images, model.apply(images, { training: true }) as tf.Tensor) as tf.Scalar;
    const before = tf.tidy(() => mse().dataSync()[0]!);
    tf.tidy(() => {
      optimizer.minimize(mse);
    });
    const after = tf.tidy(() => mse().dataSync()[0]!);
    expect(Number.isFinite(after)).toBe(true);
    expect(after).toBeLessThan(before);
    tf.dispose([images, model, optimizer] as never);
  });
});

describe('a classifier with decoder layers, compiled and trained by the supervised trainer', () => {
  it.each(['wasm', 'cpu'])('on %s: the loss on a fixed batch falls over eight steps', async (backend) => {
    expect(await tf.setBackend(backend)).toBe(true);
    const plan = chainPlan({
      dataset: { source: 'synthetic', numClasses: 4, imageSize: 8, channels: 3, samples: 16 },
      augmentation: null,
      layers: [
        ['Conv2D', { filters: 8, stride: 2, activation: 'relu' }],
        ['Conv2DTranspose', { filters: 8, kernelSize: 2, stride: 4, padding: 'same', activation: 'relu' }],
        ['Upsample', { factor: 2, interpolation: 'bilinear' }],
        ['Conv2D', { filters: 8, kernelSize: 3, stride: 4 }],
        ['Upsample', { factor: 2 }],
        ['GlobalAvgPool'],
        ['Dense', { units: 4 }],
      ],
      optimizer: { optimizer: 'adam', learningRate: 0.01, batchSize: 8 },
    });
    expect(plan.model.outputShape).toEqual([4]);
    const trainer = new Trainer(plan);
    const xs = tf.randomUniform([8, 8, 8, 3], 0, 1, 'float32', 5) as tf.Tensor4D;
    const ys = tf.oneHot(tf.tensor1d([0, 1, 2, 3, 0, 1, 2, 3], 'int32'), 4) as tf.Tensor2D;
    const losses: number[] = [];
    for (let i = 0; i < 8; i++) losses.push((await trainer.trainStep(xs, ys)).loss);
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses[7]!).toBeLessThan(losses[0]!);
    trainer.dispose();
    tf.dispose([xs, ys]);
  });
});
