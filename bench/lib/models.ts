/**
 * The benchmark networks: ConvNetJS's CIFAR-10 demo net (in ConvNetJS itself and as tf.layers),
 * and ResNet-20, compiled from the app's preset the way a user's run builds it.
 */
import * as tf from '@tensorflow/tfjs';
import { createRequire } from 'node:module';
import { compile } from '../../src/graph/compile';
import { registry } from '../../nodes/registry';
import { presetById } from '../../presets/index';
import { buildModel, type BuildOptions } from '../../workers/model/model-builder';

/** conv5×5×16 relu – pool2 – conv5×5×20 relu – pool2 – conv5×5×20 relu – pool2 – dense10 (logits). */
export function convnetjsDemoLayers(): tf.LayersModel {
  const m = tf.sequential();
  const conv = (filters: number, first: boolean) =>
    tf.layers.conv2d({ ...(first ? { inputShape: [32, 32, 3] } : {}), filters, kernelSize: 5, padding: 'same', activation: 'relu' });
  for (const [filters, first] of [[16, true], [20, false], [20, false]] as const) {
    m.add(conv(filters, first));
    m.add(tf.layers.maxPooling2d({ poolSize: 2, strides: 2 }));
  }
  m.add(tf.layers.flatten());
  m.add(tf.layers.dense({ units: 10 }));
  return m;
}

/** Minimal typing of the parts of ConvNetJS 0.3 the benchmark drives. */
export interface ConvNetJs {
  Net: new () => { makeLayers(defs: object[]): void; forward(v: ConvNetVol): { w: Float64Array } };
  Vol: new (sx: number, sy: number, depth: number, fill: number) => ConvNetVol;
  SGDTrainer: new (net: object, options: object) => { train(x: ConvNetVol, label: number): { loss: number } };
}
export interface ConvNetVol {
  w: Float64Array;
}

/** The demo net in ConvNetJS (CommonJS, loaded with createRequire), with its demo trainer settings. */
export function convnetjsDemoNet(batchSize: number) {
  const convnetjs = createRequire(import.meta.url)('convnetjs') as ConvNetJs;
  const net = new convnetjs.Net();
  net.makeLayers([
    { type: 'input', out_sx: 32, out_sy: 32, out_depth: 3 },
    { type: 'conv', sx: 5, filters: 16, stride: 1, pad: 2, activation: 'relu' },
    { type: 'pool', sx: 2, stride: 2 },
    { type: 'conv', sx: 5, filters: 20, stride: 1, pad: 2, activation: 'relu' },
    { type: 'pool', sx: 2, stride: 2 },
    { type: 'conv', sx: 5, filters: 20, stride: 1, pad: 2, activation: 'relu' },
    { type: 'pool', sx: 2, stride: 2 },
    { type: 'softmax', num_classes: 10 },
  ]);
  const trainer = new convnetjs.SGDTrainer(net, { method: 'adadelta', batch_size: batchSize, l2_decay: 0.0001 });
  return { convnetjs, net, trainer };
}

export interface ResNetModel {
  model: tf.LayersModel;
  /** How the model was built, for the benchmark's report. */
  origin: string;
}

/** ResNet-20 from presets/resnet-cifar.json through compile + model-builder. */
export function resnet20FromPreset(options: BuildOptions = {}): ResNetModel {
  const preset = presetById('resnet-cifar');
  if (!preset) throw new Error('presets/resnet-cifar.json is missing');
  const result = compile(preset.doc, registry);
  if (!result.ok) throw new Error(`resnet-cifar preset does not compile: ${result.diagnostics.map((d) => d.message).join('; ')}`);
  const model = buildModel(result.plan.model, 'resnet20', options);
  return { model, origin: `presets/resnet-cifar.json via compile + model-builder (${model.countParams()} params)` };
}

type S = tf.SymbolicTensor;

/** ResNet-20 (He et al. 2016, CIFAR variant with 1×1 projections) built directly with tf.layers. */
export function resnet20Layers(): ResNetModel {
  const conv = (x: S, filters: number, kernelSize: number, strides: number) =>
    tf.layers.conv2d({ filters, kernelSize, strides, padding: 'same', useBias: false, kernelInitializer: 'heNormal' }).apply(x) as S;
  const bn = (x: S) => tf.layers.batchNormalization({ momentum: 0.9 }).apply(x) as S;
  const relu = (x: S) => tf.layers.reLU().apply(x) as S;
  const input = tf.input({ shape: [32, 32, 3] });
  let x = relu(bn(conv(input, 16, 3, 1)));
  for (const filters of [16, 32, 64]) {
    for (let block = 0; block < 3; block++) {
      const strides = block === 0 && filters !== 16 ? 2 : 1;
      const branch = bn(conv(relu(bn(conv(x, filters, 3, strides))), filters, 3, 1));
      const shortcut = strides === 1 ? x : bn(conv(x, filters, 1, strides));
      x = relu(tf.layers.add().apply([branch, shortcut]) as S);
    }
  }
  const logits = tf.layers.dense({ units: 10 }).apply(tf.layers.globalAveragePooling2d({}).apply(x) as S) as S;
  const model = tf.model({ inputs: input, outputs: logits });
  return { model, origin: `tf.layers directly (preset unavailable) (${model.countParams()} params)` };
}

/** The preset's ResNet-20 when it compiles, else the same network built directly. */
export function resnet20(options: BuildOptions = {}): ResNetModel {
  try {
    return resnet20FromPreset(options);
  } catch (e) {
    console.log(`note: ${(e as Error).message}; building ResNet-20 with tf.layers instead`);
    return resnet20Layers();
  }
}
