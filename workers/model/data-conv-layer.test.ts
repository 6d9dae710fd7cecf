/** The first convolution trains without its input gradient: same gradients, one backward convolution fewer, on cpu and wasm. */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmTrainingKernels } from '../wasm-kernels/wasm-kernels';
import { layerStep, relativeError, values } from '../wasm-kernels/test-grad-check';
import { DataConv2D } from './data-conv-layer';

beforeAll(async () => {
  expect(await tf.setBackend('wasm')).toBe(true);
  registerWasmTrainingKernels();
});

type S = tf.SymbolicTensor;
/** image → conv (the one under test) → conv → flatten → dense, weights from a fixed sequence. */
function net(first: 'stock' | 'data', useBias: boolean): tf.LayersModel {
  const input = tf.input({ shape: [6, 6, 3] });
  const args = { filters: 4, kernelSize: 3, strides: 2, padding: 'same' as const, useBias };
  const c1 = (first === 'data' ? new DataConv2D(args) : tf.layers.conv2d(args)).apply(input) as S;
  const c2 = tf.layers.conv2d({ filters: 2, kernelSize: 3, padding: 'same' }).apply(tf.layers.reLU().apply(c1) as S) as S;
  const out = tf.layers.dense({ units: 3 }).apply(tf.layers.flatten().apply(c2) as S) as S;
  const model = tf.model({ inputs: input, outputs: out });
  model.setWeights(model.getWeights().map((w, i) => tf.tensor(values(w.size, 7 + i, -0.5, 0.5), w.shape)));
  return model;
}

/** The gradients of a cross-entropy step for every trainable weight, and the Conv2DBackpropInput kernels it ran. */
async function step(backend: string, first: 'stock' | 'data', useBias: boolean): Promise<{ grads: Float32Array[]; backpropInputs: number }> {
  await tf.setBackend(backend);
  const y = tf.oneHot(tf.tensor1d([0, 2], 'int32'), 3);
  const x = tf.tensor4d(values(2 * 6 * 6 * 3, 3, 0, 1), [2, 6, 6, 3]);
  const { grads, kernels } = await layerStep(net(first, useBias), (out) => tf.losses.softmaxCrossEntropy(y, out) as tf.Scalar, x);
  y.dispose();
  return { grads, backpropInputs: kernels.filter((k) => k === 'Conv2DBackpropInput').length };
}

describe('DataConv2D', () => {
  it.each([true, false])('gives the stock gradients without the input gradient (bias %s), wasm against cpu', async (useBias) => {
    const reference = await step('cpu', 'stock', useBias);
    expect(reference.backpropInputs).toBe(2); // the stock first conv computes its unneeded input gradient
    for (const backend of ['cpu', 'wasm']) {
      const got = await step(backend, 'data', useBias);
      expect(got.backpropInputs).toBe(1); // only the second conv's, which the first one's gradient needs
      expect(got.grads).toHaveLength(reference.grads.length);
      got.grads.forEach((g, i) => expect(relativeError(g, reference.grads[i]!)).toBeLessThan(1e-4));
    }
  });

  it('infers as the stock layer and saves as Conv2D', async () => {
    await tf.setBackend('cpu');
    const model = net('data', true);
    const x = tf.tensor4d(values(6 * 6 * 3, 5, 0, 1), [1, 6, 6, 3]);
    const stock = net('stock', true);
    expect(relativeError((model.predict(x) as tf.Tensor).dataSync(), (stock.predict(x) as tf.Tensor).dataSync())).toBeLessThan(1e-6);
    const topology = JSON.stringify(model.toJSON(null, false));
    expect(topology).toContain('"class_name":"Conv2D"');
    tf.dispose(x);
    model.dispose();
    stock.dispose();
  });
});
