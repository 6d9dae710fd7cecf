import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerFastCpuKernels } from '../backend/backend-cpu-kernels';
import { captureCheckpoint, loadCheckpoint, restoreWeights } from './checkpoint';
import { syntheticDataset, toBatch } from './data';
import { chainPlan, smallConvNet } from './train-test-plans';
import { Trainer } from './trainer';

beforeAll(async () => {
  await tf.setBackend('cpu');
  registerFastCpuKernels();
});

describe('checkpoints', () => {
  it('round-trip a trained model, BatchNorm statistics included', async () => {
    const synthetic = { source: 'synthetic', numClasses: 3, imageSize: 8, channels: 3 as const, samples: 24, seed: 2 };
    const plan = chainPlan({ dataset: synthetic, layers: smallConvNet(3) });
    const t = new Trainer(plan);
    const b = toBatch(syntheticDataset(synthetic), Array.from({ length: 24 }, (_, i) => i), 3);
    await t.trainStep(b.xs, b.ys);
    const ckpt = await captureCheckpoint(t.model, { epoch: 1, step: t.step });
    expect(ckpt.weightData).toBeInstanceOf(ArrayBuffer);
    expect(ckpt.weightData.byteLength).toBe(4 * plan.model.totalParams);
    expect(ckpt.step).toBe(1);
    // JSON-safe apart from the buffer, as IndexedDB and postMessage need
    expect(JSON.parse(JSON.stringify(ckpt.modelTopology))).toEqual(ckpt.modelTopology);

    const x = tf.tidy(() => t.augmenter.evaluate(b.xs));
    const expected = (t.model.predict(x) as tf.Tensor).arraySync();
    const loaded = await loadCheckpoint(ckpt);
    const got = loaded.predict(x) as tf.Tensor;
    expect(got.arraySync()).toEqual(expected);

    const fresh = new Trainer(plan);
    expect((fresh.model.predict(x) as tf.Tensor).arraySync()).not.toEqual(expected);
    restoreWeights(fresh.model, ckpt);
    expect((fresh.model.predict(x) as tf.Tensor).arraySync()).toEqual(expected);
    await expect(loadCheckpoint({ ...ckpt, version: 2 as 1 })).rejects.toThrow(/version 1/);
    tf.dispose([x, got, b.xs, b.ys]);
    loaded.dispose();
    fresh.dispose();
    t.dispose();
  });
});
