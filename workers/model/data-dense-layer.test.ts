/** A dense layer that reads the observations trains without their gradient: same gradients, one product fewer, on cpu and wasm. */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmTrainingKernels } from '../wasm-kernels/wasm-kernels';
import { layerStep, relativeError, values } from '../wasm-kernels/test-grad-check';
import { DataDense } from './data-dense-layer';

beforeAll(async () => {
  expect(await tf.setBackend('wasm')).toBe(true);
  registerWasmTrainingKernels();
});

type S = tf.SymbolicTensor;
/** observation → dense (the one under test) → relu → dense, weights from a fixed sequence. */
function net(first: 'stock' | 'data', useBias: boolean, activation?: 'relu'): tf.LayersModel {
  const input = tf.input({ shape: [7] });
  const args = { units: 6, useBias, ...(activation ? { activation } : {}) };
  const d1 = (first === 'data' ? new DataDense(args) : tf.layers.dense(args)).apply(input) as S;
  const out = tf.layers.dense({ units: 3 }).apply(tf.layers.reLU().apply(d1) as S) as S;
  const model = tf.model({ inputs: input, outputs: out });
  model.setWeights(model.getWeights().map((w, i) => tf.tensor(values(w.size, 11 + i, -0.6, 0.6), w.shape)));
  return model;
}

/** The gradients of a Huber step for every trainable weight, and the products (matmul kernels) it ran. */
async function step(backend: string, first: 'stock' | 'data', useBias: boolean, activation?: 'relu'): Promise<{ grads: Float32Array[]; products: number }> {
  await tf.setBackend(backend);
  const y = tf.tensor2d(values(5 * 3, 4, -1, 1), [5, 3]);
  const x = tf.tensor2d(values(5 * 7, 3, -1, 1), [5, 7]);
  const { grads, kernels } = await layerStep(net(first, useBias, activation), (out) => tf.losses.huberLoss(y, out) as tf.Scalar, x);
  y.dispose();
  return { grads, products: kernels.filter((k) => k === 'BatchMatMul' || k === '_FusedMatMul').length };
}

describe('DataDense', () => {
  it.each([
    [true, undefined],
    [false, undefined],
    [true, 'relu' as const],
  ])('gives the stock gradients without the input gradient (bias %s, activation %s), wasm against cpu', async (useBias, activation) => {
    const reference = await step('cpu', 'stock', useBias, activation);
    // Forward 2, backward: the second layer's input and kernel gradients, the first's kernel and its unneeded input
    // gradient. The stock layer fuses only a linear dense (the model builder's: activations are layers of their own);
    // with an activation it runs plain products and already skips the input gradient.
    expect(reference.products).toBe(activation ? 5 : 6);
    for (const backend of ['cpu', 'wasm']) {
      const got = await step(backend, 'data', useBias, activation);
      expect(got.products).toBe(5);
      expect(got.grads).toHaveLength(reference.grads.length);
      got.grads.forEach((g, i) => expect(relativeError(g, reference.grads[i]!)).toBeLessThan(1e-4));
    }
  });

  it('infers as the stock layer and saves as Dense', async () => {
    await tf.setBackend('cpu');
    const model = net('data', true);
    const stock = net('stock', true);
    const x = tf.tensor2d(values(2 * 7, 5, -1, 1), [2, 7]);
    expect(relativeError((model.predict(x) as tf.Tensor).dataSync(), (stock.predict(x) as tf.Tensor).dataSync())).toBeLessThan(1e-6);
    expect(JSON.stringify(model.toJSON(null, false))).toContain('"class_name":"Dense"');
    tf.dispose(x);
    model.dispose();
    stock.dispose();
  });
});
