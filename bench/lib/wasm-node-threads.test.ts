import * as tf from '@tensorflow/tfjs';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmTrainingKernels } from '../../workers/wasm-kernels/wasm-kernels';
import { setWasmBackendThreaded } from './wasm-node-threads';

describe('threaded wasm in Node', () => {
  let started = false;
  beforeAll(async () => {
    registerWasmTrainingKernels();
    started = await setWasmBackendThreaded(2);
  });

  it('starts the threaded SIMD build with the threads asked for', () => {
    expect(started).toBe(true);
    expect(tf.getBackend()).toBe('wasm');
    expect(getThreadsCount()).toBe(2);
  });

  it('computes a convolution and its gradients as the cpu backend does', async () => {
    const f = (x: tf.Tensor, w: tf.Tensor) => tf.sum(tf.square(tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 2, 'same')));
    const run = () =>
      tf.tidy(() => {
        const x = tf.tensor4d(Float32Array.from({ length: 8 * 16 * 16 * 8 }, (_, i) => Math.sin(i)), [8, 16, 16, 8]);
        const w = tf.tensor4d(Float32Array.from({ length: 3 * 3 * 8 * 16 }, (_, i) => Math.cos(i) / 8), [3, 3, 8, 16]);
        const [dx, dw] = tf.grads(f)([x, w]);
        return [f(x, w), dx!, dw!].map((t) => Array.from(t.dataSync()));
      });
    const onWasm = run();
    await tf.setBackend('cpu');
    const onCpu = run();
    await tf.setBackend('wasm');
    onWasm.forEach((values, k) => {
      const scale = Math.max(...onCpu[k]!.map(Math.abs));
      const error = Math.max(...values.map((v, i) => Math.abs(v - onCpu[k]![i]!)));
      expect(error / scale).toBeLessThan(1e-4);
    });
  });
});
