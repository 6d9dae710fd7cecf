/**
 * The fused batch norm against tfjs's stock layer: same output, same gradients for x, γ and β,
 * same moving statistics, same inference, and a saved model that names the stock class.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmTrainingKernels } from '../wasm-kernels/wasm-kernels';
import { FusedBatchNormalization } from './batch-norm-layer';

beforeAll(async () => {
  registerWasmTrainingKernels();
  expect(await tf.setBackend('wasm')).toBe(true);
});

const SHAPE: [number, number, number, number] = [3, 5, 4, 6];

function seededInput(seed: number): tf.Tensor4D {
  // Channels with different offsets and scales, so a wrong axis or a missing centring shows.
  return tf.tidy(() =>
    tf.add(tf.mul(tf.randomNormal(SHAPE, 0, 1, 'float32', seed), tf.linspace(0.5, 3, SHAPE[3])), tf.linspace(-2, 4, SHAPE[3])),
  ) as tf.Tensor4D;
}

/** A built layer with non-trivial γ and β (both layers get the same ones). */
function built(layer: tf.layers.Layer): tf.layers.Layer {
  layer.apply(tf.input({ shape: SHAPE.slice(1) }));
  const c = SHAPE[3];
  layer.setWeights([tf.linspace(0.5, 2, c), tf.linspace(-1, 1, c), tf.linspace(0.1, 0.6, c), tf.linspace(1, 2, c)]);
  return layer;
}

function relErr(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]! / Math.max(1e-6, tf.max(tf.abs(b)).dataSync()[0]!));
}

/** Output and gradients of Σ y·w (w fixed, so every output element weighs differently). */
function forwardBackward(layer: tf.layers.Layer, x: tf.Tensor4D) {
  const w = tf.randomNormal(SHAPE, 0, 1, 'float32', 7);
  const [gamma, beta] = layer.trainableWeights.map((v) => (v as unknown as { val: tf.Variable }).val);
  const f = (xi: tf.Tensor) => tf.sum(tf.mul(layer.apply(xi, { training: true }) as tf.Tensor, w));
  const y = layer.apply(x, { training: true }) as tf.Tensor;
  const { grads } = tf.variableGrads(() => f(x) as tf.Scalar, [gamma!, beta!]);
  const dx = tf.grad(f)(x);
  return { y, dx, dgamma: grads[gamma!.name]!, dbeta: grads[beta!.name]! };
}

describe('FusedBatchNormalization', () => {
  it('matches the stock layer in training: output, dx, dγ, dβ within 1e-4 relative', async () => {
    const x = seededInput(1);
    const fused = forwardBackward(built(new FusedBatchNormalization({ momentum: 0.9, epsilon: 1e-3 })), x);
    const stock = forwardBackward(built(tf.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-3 })), x);
    expect(relErr(fused.y, stock.y)).toBeLessThan(1e-4);
    expect(relErr(fused.dx, stock.dx)).toBeLessThan(1e-4);
    expect(relErr(fused.dgamma, stock.dgamma)).toBeLessThan(1e-4);
    expect(relErr(fused.dbeta, stock.dbeta)).toBeLessThan(1e-4);
    // The fused op ran: the stock path's FusedBatchNorm kernel (after tf.moments) never did.
    const kernels = async (layer: tf.layers.Layer) =>
      (await tf.profile(() => forwardBackward(layer, x).dx)).kernelNames;
    expect(await kernels(built(tf.layers.batchNormalization()))).toContain('FusedBatchNorm');
    expect(await kernels(built(new FusedBatchNormalization()))).not.toContain('FusedBatchNorm');
    // The gradient is not trivially zero (Σ y·w with random w).
    expect(tf.max(tf.abs(fused.dx)).dataSync()[0]).toBeGreaterThan(1e-2);
  });

  it('updates the moving mean and variance as the stock layer does, and infers the same', () => {
    const x = seededInput(2);
    const fused = built(new FusedBatchNormalization({ momentum: 0.8 }));
    const stock = built(tf.layers.batchNormalization({ momentum: 0.8 }));
    const before = fused.getWeights()[2]!.dataSync().slice();
    for (let i = 0; i < 3; i++) {
      tf.dispose([fused.apply(x, { training: true }) as tf.Tensor, stock.apply(x, { training: true }) as tf.Tensor]);
    }
    const [fw, sw] = [fused.getWeights(), stock.getWeights()];
    expect(relErr(fw[2]!, sw[2]!)).toBeLessThan(1e-5);
    expect(relErr(fw[3]!, sw[3]!)).toBeLessThan(1e-5);
    expect(Array.from(fw[2]!.dataSync())).not.toEqual(Array.from(before));
    expect(relErr(fused.apply(x) as tf.Tensor, stock.apply(x) as tf.Tensor)).toBeLessThan(1e-5);
  });

  it('leaves no tensors behind across training calls', () => {
    const x = seededInput(3);
    const layer = built(new FusedBatchNormalization());
    const step = () => {
      const f = (xi: tf.Tensor) => tf.sum(layer.apply(xi, { training: true }) as tf.Tensor);
      tf.dispose(tf.grad(f)(x));
    };
    step();
    const count = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) step();
    expect(tf.memory().numTensors).toBe(count);
  });

  it('saves as the stock BatchNormalization class, with the same weights', async () => {
    const input = tf.input({ shape: SHAPE.slice(1) });
    const model = tf.model({ inputs: input, outputs: new FusedBatchNormalization({ name: 'bn' }).apply(input) as tf.SymbolicTensor });
    const topology = model.toJSON(undefined, false) as unknown as { config: { layers: { class_name: string }[] } };
    expect(topology.config.layers.map((l) => l.class_name)).toEqual(['InputLayer', 'BatchNormalization']);
    let saved: tf.io.ModelArtifacts | undefined;
    await model.save(tf.io.withSaveHandler(async (a) => ((saved = a), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })));
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(saved!));
    expect(loaded.layers[1]!.getClassName()).toBe('BatchNormalization');
    expect(loaded.getWeights().map((w) => w.shape)).toEqual(model.getWeights().map((w) => w.shape));
  });
});
