/**
 * The cpu backend's up-sampling gradients, corrected, checked without any other kernel as reference:
 * a gradient is the adjoint of the forward resize, so ⟨resize(x), dy⟩ = ⟨x, grad(dy)⟩ for every x
 * and dy, and the forward resize (which tfjs gets right) fixes what the gradient must be.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerCpuResizeGrads } from './cpu-resize-grads';

beforeAll(async () => {
  await tf.setBackend('cpu');
  registerCpuResizeGrads();
});

type Case = [string, [number, number, number, number], [number, number], boolean];
const cases: Case[] = [
  ['×2, two images, odd non-square', [2, 5, 7, 3], [10, 14], false],
  ['×4, three images', [3, 3, 2, 2], [12, 8], false],
  ['not a whole factor', [2, 5, 7, 3], [11, 13], false],
  ['shrinking', [2, 6, 5, 2], [4, 3], false],
  ['aligned corners', [2, 4, 5, 3], [8, 10], true],
];

function dot(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.sum(tf.mul(a, b)).arraySync() as number);
}

describe.each([
  ['nearest', tf.ResizeNearestNeighborGrad, (x: tf.Tensor4D, size: [number, number], ac: boolean) => tf.image.resizeNearestNeighbor(x, size, ac)],
  ['bilinear', tf.ResizeBilinearGrad, (x: tf.Tensor4D, size: [number, number], ac: boolean) => tf.image.resizeBilinear(x, size, ac)],
] as const)('%s gradient on cpu', (_name, kernel, resize) => {
  it.each(cases)('is the adjoint of the forward resize: %s', (_case, shape, size, alignCorners) => {
    tf.tidy(() => {
      const x = tf.randomNormal(shape, 0, 1, 'float32', 1) as tf.Tensor4D;
      const y = resize(x, size, alignCorners);
      const dy = tf.randomNormal(y.shape, 0, 1, 'float32', 2);
      const dx = tf.engine().runKernel(kernel, { images: x, dy }, { alignCorners }) as tf.Tensor;
      expect(dx.shape).toEqual(shape);
      const lhs = dot(y, dy);
      expect(Math.abs(lhs - dot(x, dx))).toBeLessThan(1e-4 * Math.max(1, Math.abs(lhs)));
    });
  });

  it('gives every image its own gradient', () => {
    tf.tidy(() => {
      // Image 1 of dy is zero, so image 1 of dx must be too; image 0's gradient sums to dy's.
      const dy = tf.concat([tf.ones([1, 4, 4, 1]), tf.zeros([1, 4, 4, 1])]);
      const dx = tf.engine().runKernel(kernel, { images: tf.zeros([2, 2, 2, 1]), dy }, { alignCorners: false }) as tf.Tensor;
      const [first, second] = tf.unstack(dx);
      expect(tf.sum(first!).arraySync()).toBeCloseTo(16, 5);
      expect(tf.sum(tf.abs(second!)).arraySync()).toBe(0);
    });
  });
});
