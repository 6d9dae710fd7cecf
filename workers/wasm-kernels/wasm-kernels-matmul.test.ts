import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmTrainingKernels } from './wasm-kernels';

beforeAll(async () => {
  setWasmPaths(`${path.resolve('node_modules/@tensorflow/tfjs-backend-wasm/dist')}/`);
  registerWasmTrainingKernels();
  registerWasmTrainingKernels();
  await tf.setBackend('wasm');
});

/** Plain triple loop over rank-3 arrays, the reference. */
function reference(a: number[][][], b: number[][][], ta: boolean, tb: boolean): number[][][] {
  const at = (m: number[][], t: boolean): number[][] => (t ? m[0]!.map((_, j) => m.map((row) => row[j]!)) : m);
  return a.map((am, k) => {
    const x = at(am, ta);
    const y = at(b[b.length === 1 ? 0 : k]!, tb);
    return x.map((row) => y[0]!.map((_, j) => row.reduce((s, v, i) => s + v * y[i]![j]!, 0)));
  });
}

describe('wasm BatchMatMul with transposed operands', () => {
  it.each([
    { a: [1, 5, 3], b: [1, 5, 4], ta: true, tb: false },
    { a: [1, 3, 5], b: [1, 4, 5], ta: false, tb: true },
    { a: [2, 5, 3], b: [2, 4, 5], ta: true, tb: true },
    { a: [2, 3, 5], b: [1, 5, 4], ta: false, tb: false },
  ] as { a: [number, number, number]; b: [number, number, number]; ta: boolean; tb: boolean }[])('matches the definition: %o', ({ a, b, ta, tb }) => {
    const x = tf.randomUniform(a, -1, 1, 'float32', 1) as tf.Tensor3D;
    const y = tf.randomUniform(b, -1, 1, 'float32', 2) as tf.Tensor3D;
    const got = tf.matMul(x, y, ta, tb).arraySync() as number[][][];
    const want = reference(x.arraySync(), y.arraySync(), ta, tb);
    expect(got.length).toBe(want.length);
    got.forEach((m, k) => m.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(want[k]![i]![j]!, 4))));
  });

  it('gives a dense layer the same gradients as the definition', () => {
    const x = tf.randomUniform([6, 4], -1, 1, 'float32', 3) as tf.Tensor2D;
    const w = tf.variable(tf.randomUniform([4, 3], -1, 1, 'float32', 4));
    const { grads } = tf.variableGrads(() => tf.sum(tf.square(tf.matMul(x, w as tf.Tensor2D))) as tf.Scalar, [w]);
    // d/dW Σ (xW)² = 2 xᵀ (xW)
    const expected = tf.mul(2, tf.matMul(tf.transpose(x), tf.matMul(x, w as tf.Tensor2D))).arraySync() as number[][];
    (grads[w.name]!.arraySync() as number[][]).forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(expected[i]![j]!, 4)));
  });
});
