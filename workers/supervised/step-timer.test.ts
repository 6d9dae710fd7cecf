import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerFastCpuKernels } from '../backend/backend-cpu-kernels';
import { timeTrainingStep } from './step-timer';
import { chainPlan, smallConvNet } from './train-test-plans';

beforeAll(async () => {
  await tf.setBackend('cpu');
  registerFastCpuKernels();
});

describe('timeTrainingStep', () => {
  it('times the second of two real steps of the plan and leaves no tensors behind', async () => {
    const plan = chainPlan({
      dataset: { source: 'synthetic', numClasses: 4, imageSize: 8, channels: 3, samples: 32, seed: 3 },
      layers: smallConvNet(4),
      optimizer: { batchSize: 8 },
    });
    const before = tf.memory().numTensors;
    const reads: number[] = [];
    let clock = 100;
    const ms = await timeTrainingStep(plan, () => {
      reads.push(tf.memory().numTensors);
      return (clock += 7);
    });
    expect(ms).toBe(7);
    expect(reads).toHaveLength(2);
    expect(tf.memory().numTensors).toBe(before);
    expect(await timeTrainingStep(plan)).toBeGreaterThan(0);
  });
});
