/**
 * Test helpers that check a wasm kernel against the cpu backend, the reference implementation: the
 * same function runs on both backends from the same Float32Array inputs.
 */
import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';

/** max|a−b| / max(1e-6, max|b|): error relative to the reference's scale, robust to zeros. */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return diff / Math.max(1e-6, scale);
}

/** Deterministic values in [lo, hi) (a small LCG, so cases are reproducible). */
export function values(size: number, seed: number, lo = -1, hi = 1): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: size }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return lo + ((s >>> 8) / 2 ** 24) * (hi - lo);
  });
}

export type Inputs = { shape: number[]; data: Float32Array }[];

export const input = (shape: number[], seed: number, lo = -1, hi = 1) => ({
  shape,
  data: values(shape.reduce((a, b) => a * b, 1), seed, lo, hi),
});

/** Runs `f` on `backend`, returning each output's values (gradients or forward results). */
export async function runOn(backend: string, inputs: Inputs, f: (...t: tf.Tensor[]) => tf.Tensor[]): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  return tf.tidy(() => f(...inputs.map((i) => tf.tensor(i.data, i.shape))).map((t) => t.dataSync() as Float32Array));
}

/** Gradients of Σ f(...)·R (R a fixed random cotangent) on wasm and cpu; returns the worst error. */
export async function gradError(inputs: Inputs, f: (...t: tf.Tensor[]) => tf.Tensor, seed = 7): Promise<number> {
  const withCotangent = (...t: tf.Tensor[]) =>
    tf.grads((...u: tf.Tensor[]) => {
      const y = f(...u);
      return tf.sum(tf.mul(y, tf.tensor(values(y.size, seed), y.shape)));
    })(t);
  const onWasm = await runOn('wasm', inputs, withCotangent);
  const onCpu = await runOn('cpu', inputs, withCotangent);
  return Math.max(...onWasm.map((g, i) => relativeError(g, onCpu[i]!)));
}

/** The forward result of `f` on wasm against cpu. */
export async function forwardError(inputs: Inputs, f: (...t: tf.Tensor[]) => tf.Tensor): Promise<number> {
  const onWasm = await runOn('wasm', inputs, (...t) => [f(...t)]);
  const onCpu = await runOn('cpu', inputs, (...t) => [f(...t)]);
  return relativeError(onWasm[0]!, onCpu[0]!);
}

/**
 * One training step's gradients of every trainable weight of `model` (on the current backend), and
 * the names of the kernels the step ran, for tests that check which products a layer leaves out.
 * `model` and the tensors `loss` makes are disposed of here.
 */
export async function layerStep(model: tf.LayersModel, loss: (output: tf.Tensor) => tf.Scalar, x: tf.Tensor): Promise<{ grads: Float32Array[]; kernels: string[] }> {
  let grads: Float32Array[] = [];
  const profile = await tf.profile(() => {
    const g = tf.variableGrads(() => loss(model.apply(x, { training: true }) as tf.Tensor));
    grads = model.trainableWeights.map((w) => g.grads[(w.read() as tf.Variable).name]!.dataSync() as Float32Array);
    tf.dispose([g.value, ...Object.values(g.grads)]);
  });
  tf.dispose(x);
  model.dispose();
  return { grads, kernels: profile.kernels.map((k) => k.name) };
}
