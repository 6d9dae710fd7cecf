import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { selectBackend } from './backend';
import { browserBackendTries, trainingSmokeTest } from './backend-tf';

describe('browserBackendTries in Node', () => {
  it('skips the GPU backends with their reasons and trains on cpu', async () => {
    const choice = await selectBackend(['webgpu', 'webgl', 'cpu'], browserBackendTries);
    expect(choice.backend).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(choice.attempts.map((a) => a.reason)).toEqual([
      'WebGPU is not available here (no navigator.gpu)',
      'WebGL needs OffscreenCanvas in a worker, which this browser lacks',
      undefined,
    ]);
  });

  it('fails the smoke test when a training kernel is missing', async () => {
    await tf.setBackend('cpu');
    const config = tf.getKernel(tf.Conv2DBackpropFilter, 'cpu')!;
    tf.unregisterKernel(tf.Conv2DBackpropFilter, 'cpu');
    try {
      await expect(trainingSmokeTest()).rejects.toThrow(/Conv2DBackpropFilter/);
    } finally {
      tf.registerKernel(config);
    }
    await expect(trainingSmokeTest()).resolves.toBeUndefined();
  });
});
