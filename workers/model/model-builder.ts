/**
 * Turns a plan's primitive ops into a `tf.LayersModel` with the functional API, so residual adds
 * and projections become real graph joins and the model saves in Keras-readable TF.js format.
 */
import * as tf from '@tensorflow/tfjs';
import type { ModelPlan } from '../../src/graph/plan';
import type { OpSpec } from '../../src/graph/ops';
import { FusedBatchNormalization } from './batch-norm-layer';
import { DataConv2D } from './data-conv-layer';
import { DataDense } from './data-dense-layer';

/** Keras layer names allow letters, digits and underscores; op ids look like `node-3/conv1`. */
export function layerName(opId: string): string {
  return opId.replace(/[^A-Za-z0-9_]/g, '_');
}

/** `readsData`: the op's inputs are all model inputs (images, observations), whose gradient training never needs. */
function makeLayer(spec: Exclude<OpSpec, { op: 'input' }>, name: string, readsData = false): tf.layers.Layer {
  switch (spec.op) {
    case 'conv2d':
    case 'conv2dTranspose': {
      const args = {
        name,
        filters: spec.filters,
        kernelSize: spec.kernelSize,
        strides: spec.strides,
        padding: spec.padding,
        useBias: spec.useBias,
        kernelInitializer: 'heNormal' as const,
      };
      if (spec.op === 'conv2dTranspose') return tf.layers.conv2dTranspose(args);
      return readsData ? new DataConv2D(args) : tf.layers.conv2d(args);
    }
    case 'upsample':
      return tf.layers.upSampling2d({ name, size: spec.size, interpolation: spec.interpolation });
    case 'dense': {
      const args = { name, units: spec.units, useBias: spec.useBias, kernelInitializer: 'glorotUniform' as const };
      return readsData ? new DataDense(args) : tf.layers.dense(args);
    }
    case 'batchNorm':
      return new FusedBatchNormalization({ name, momentum: spec.momentum, epsilon: spec.epsilon });
    case 'activation':
      return tf.layers.activation({ name, activation: spec.fn });
    case 'maxPool':
      return tf.layers.maxPooling2d({ name, poolSize: spec.poolSize, strides: spec.strides, padding: spec.padding });
    case 'avgPool':
      return tf.layers.averagePooling2d({ name, poolSize: spec.poolSize, strides: spec.strides, padding: spec.padding });
    case 'globalAvgPool':
      return tf.layers.globalAveragePooling2d({ name });
    case 'flatten':
      return tf.layers.flatten({ name });
    case 'dropout':
      return tf.layers.dropout({ name, rate: spec.rate });
    case 'add':
      return tf.layers.add({ name });
    case 'concat':
      return tf.layers.concatenate({ name, axis: -1 });
  }
}

/** Options for {@link buildModel}. */
export interface BuildOptions {
  /** Train convolutions and dense layers that read the model's input without its gradient (`data-conv-layer.ts`, `data-dense-layer.ts`); default true. */
  skipDataGradient?: boolean;
}

/** Builds the model; its `countParams()` equals `model.totalParams` of the plan. */
export function buildModel(model: ModelPlan, name = 'tensorloom', options: BuildOptions = {}): tf.LayersModel {
  const skip = options.skipDataGradient ?? true;
  const values = new Map<string, tf.SymbolicTensor>();
  const inputs: tf.SymbolicTensor[] = [];
  for (const op of model.ops) {
    if (op.spec.op === 'input') {
      const input = tf.input({ shape: [...op.spec.shape], name: layerName(op.id) });
      values.set(op.id, input);
      inputs.push(input);
      continue;
    }
    const args = op.inputs.map((ref) => {
      const v = values.get(ref);
      if (!v) throw new Error(`plan op ${op.id} reads ${ref} before it is built`);
      return v;
    });
    const readsData = skip && op.inputs.every((ref) => inputs.includes(values.get(ref)!));
    const layer = makeLayer(op.spec, layerName(op.id), readsData);
    const out = layer.apply(args.length === 1 ? args[0]! : args) as tf.SymbolicTensor;
    values.set(op.id, out);
  }
  const output = values.get(model.output);
  if (!output) throw new Error(`plan output ${model.output} was not built`);
  return tf.model({ inputs, outputs: output, name });
}
