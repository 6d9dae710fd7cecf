import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerFastCpuKernels } from './backend-cpu-kernels';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

type Case = { x: [number, number, number, number]; f: [number, number, number, number]; s: number; pad: 'same' | 'valid' };
const cases: Case[] = [
  { x: [2, 7, 6, 3], f: [3, 3, 3, 4], s: 1, pad: 'same' },
  { x: [3, 8, 8, 2], f: [3, 3, 2, 5], s: 2, pad: 'same' },
  { x: [2, 9, 7, 4], f: [1, 1, 4, 3], s: 2, pad: 'same' },
  { x: [1, 8, 9, 2], f: [4, 2, 2, 3], s: 3, pad: 'valid' },
];

/** (TF.js treats seed 0 as "no seed", hence the + 1 below.) The filter gradient of sum(conv2d(x, w) · dy), through whatever kernel is registered. */
function filterGrad(c: Case, seed: number): Float32Array {
  return tf.tidy(() => {
    const x = tf.randomNormal(c.x, 0, 1, 'float32', seed).relu(); // zeros exercise the skip path
    const w = tf.randomNormal(c.f, 0, 1, 'float32', seed + 1);
    const y = tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, c.s, c.pad);
    const dy = tf.randomNormal(y.shape, 0, 1, 'float32', seed + 2);
    const g = tf.grad((wv: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(x as tf.Tensor4D, wv as tf.Tensor4D, c.s, c.pad), dy)))(w);
    return g.dataSync() as Float32Array;
  });
}

describe('fast cpu Conv2DBackpropFilter', () => {
  it('matches the stock kernel on strided, padded and 1×1 convolutions', () => {
    const reference = cases.map((c, i) => filterGrad(c, 10 * i + 1));
    const stock = tf.getKernel(tf.Conv2DBackpropFilter, 'cpu')!.kernelFunc;
    registerFastCpuKernels();
    expect(tf.getKernel(tf.Conv2DBackpropFilter, 'cpu')!.kernelFunc).not.toBe(stock);
    cases.forEach((c, i) => {
      const fast = filterGrad(c, 10 * i + 1);
      const ref = reference[i]!;
      expect(fast.length).toBe(ref.length);
      let worst = 0;
      for (let j = 0; j < ref.length; j++) worst = Math.max(worst, Math.abs(fast[j]! - ref[j]!) / (1 + Math.abs(ref[j]!)));
      expect(worst).toBeLessThan(1e-5);
      // a check that could not fail would pass on all-zero output too
      expect(ref.some((v) => Math.abs(v) > 0.1)).toBe(true);
    });
  });
});
