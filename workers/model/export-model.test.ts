import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { registry } from '../../nodes/registry';
import { presetById } from '../../presets';
import { buildModel } from './model-builder';
import { compile } from '../../src/graph';
import { fileStem, fromExportedModel, toExportedModel } from '../../src/data/model-files';
import { exportFromWeights } from './export-model-tensors';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('export-model', () => {
  it('exports a trained model that loads back with the same outputs', async () => {
    const input = tf.input({ shape: [4] });
    const hidden = tf.layers.dense({ units: 6, activation: 'relu' }).apply(input) as tf.SymbolicTensor;
    const out = tf.layers.dense({ units: 3 }).apply(hidden) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: out });
    let artifacts: tf.io.ModelArtifacts | undefined;
    await model.save(
      tf.io.withSaveHandler(async (a) => {
        artifacts = a;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    const exported = toExportedModel(artifacts!, fileStem('ResNet-20 on CIFAR-10'));
    expect(exported.weightsName).toBe('resnet-20-on-cifar-10.weights.bin');
    expect(exported.weights.byteLength).toBe((4 * 6 + 6 + 6 * 3 + 3) * 4);
    const manifest = JSON.parse(exported.modelJson).weightsManifest;
    expect(manifest[0].paths).toEqual(['./resnet-20-on-cifar-10.weights.bin']);

    const loaded = await tf.loadLayersModel(tf.io.fromMemory(fromExportedModel(exported)));
    const x = tf.tensor2d([[0.5, -1, 2, 0.25]]);
    const a = (model.predict(x) as tf.Tensor).arraySync();
    const b = (loaded.predict(x) as tf.Tensor).arraySync();
    expect(b).toEqual(a);
    tf.dispose([x]);
    model.dispose();
    loaded.dispose();
  });

  it('rebuilds the DQN preset’s Q-network from checkpoint-style weights', async () => {
    const r = compile(presetById('dqn-driver')!.doc, registry);
    if (!r.ok || r.plan.mode !== 'rl') throw new Error('preset does not compile');
    const trained = buildModel(r.plan.model, 'dqn_online');
    const weights = await Promise.all(
      trained.weights.map(async (w) => ({ name: w.originalName, shape: [...w.shape] as number[], values: Float32Array.from(await w.read().data()) })),
    );
    const exported = await exportFromWeights(r.plan.model, weights, 'dqn-driver');
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(fromExportedModel(exported)));
    const x = tf.randomUniform([3, ...r.plan.model.inputShape], -1, 1, 'float32', 3);
    expect((loaded.predict(x) as tf.Tensor).arraySync()).toEqual((trained.predict(x) as tf.Tensor).arraySync());
    await expect(exportFromWeights(r.plan.model, weights.slice(1), 'x')).rejects.toThrow(/has 5 weight tensors, the model built from the plan has 6/);
    tf.dispose([x]);
    trained.dispose();
    loaded.dispose();
  });

  it('joins split weight buffers in order', () => {
    const exported = toExportedModel({ modelTopology: {}, weightSpecs: [], weightData: [new Uint8Array([1, 2]).buffer, new Uint8Array([3]).buffer] });
    expect([...new Uint8Array(exported.weights)]).toEqual([1, 2, 3]);
  });

  it('makes file stems from project names', () => {
    expect(fileStem('DQN driver')).toBe('dqn-driver');
    expect(fileStem('  ***  ')).toBe('model');
    expect(fileStem('Café Übung')).toBe('cafe-ubung');
  });
});
