/**
 * Turns a plan's primitive ops into a `tf.LayersModel` with the functional API, so residual adds
 * and projections become real graph joins and the model saves in Keras-readable TF.js format.
 */
import * as tf from '@tensorflow/tfjs';
import type { ModelPlan } from '../../src/graph/plan';
import type { OpSpec } from '../../src/graph/ops';
import { FusedBatchNormalization } from './batch-norm-layer';

/** Keras layer names allow letters, digits and underscores; op ids look like `node-3/conv1`. */
export function layerName(opId: string): string {
  return opId.replace(/[^A-Za-z0-9_]/g, '_');
}

function makeLayer(spec: Exclude<OpSpec, { op: 'input' }>, name: string): tf.layers.Layer {
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
      return spec.op === 'conv2d' ? tf.layers.conv2d(args) : tf.layers.conv2dTranspose(args);
    }
    case 'upsample':
      return tf.layers.upSampling2d({ name, size: spec.size, interpolation: spec.interpolation });
    case 'dense':
      return tf.layers.dense({ name, units: spec.units, useBias: spec.useBias, kernelInitializer: 'glorotUniform' });
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

/** Builds the model; its `countParams()` equals `model.totalParams` of the plan. */
export function buildModel(model: ModelPlan, name = 'tensorloom'): tf.LayersModel {
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
    const layer = makeLayer(op.spec, layerName(op.id));
    const out = layer.apply(args.length === 1 ? args[0]! : args) as tf.SymbolicTensor;
    values.set(op.id, out);
  }
  const output = values.get(model.output);
  if (!output) throw new Error(`plan output ${model.output} was not built`);
  return tf.model({ inputs, outputs: output, name });
}
