/**
 * The plan's model as a Keras functional topology (the `modelTopology` of a TF.js model.json), so
 * weights trained in PyTorch go back to TF.js as a model `tf.loadLayersModel` reads. One layer
 * config per primitive op; the names are the model builder's, so weights load by name either way.
 */
import type { OpName, OpSpec } from '../../graph/ops';
import type { SpecOf } from './layers';
import type { ModelPlan } from '../../graph/plan';
import { ExportError } from './model-py';
import { tfjsLayerName } from './names';

interface KerasLayer {
  class_name: string;
  config: Record<string, unknown>;
}

type LayerOf<K extends OpName> = (spec: SpecOf<K>) => KerasLayer;

const POOL = (cls: string) => (s: Extract<OpSpec, { op: 'maxPool' | 'avgPool' }>): KerasLayer => ({
  class_name: cls,
  config: { pool_size: s.poolSize, strides: s.strides, padding: s.padding, data_format: 'channels_last' },
});

/** Keras layer per op; an op missing here fails the export by name, as in `layers.ts`. */
const KERAS: { [K in Exclude<OpName, 'input'>]?: LayerOf<K> } = {
  conv2d: (s) => ({
    class_name: 'Conv2D',
    config: {
      filters: s.filters, kernel_size: s.kernelSize, strides: s.strides, padding: s.padding, data_format: 'channels_last',
      dilation_rate: [1, 1], activation: 'linear', use_bias: s.useBias,
    },
  }),
  conv2dTranspose: (s) => ({
    class_name: 'Conv2DTranspose',
    config: {
      filters: s.filters, kernel_size: s.kernelSize, strides: s.strides, padding: s.padding, data_format: 'channels_last',
      dilation_rate: [1, 1], activation: 'linear', use_bias: s.useBias,
    },
  }),
  upsample: (s) => ({ class_name: 'UpSampling2D', config: { size: s.size, interpolation: s.interpolation, data_format: 'channels_last' } }),
  dense: (s) => ({ class_name: 'Dense', config: { units: s.units, activation: 'linear', use_bias: s.useBias } }),
  batchNorm: (s) => ({ class_name: 'BatchNormalization', config: { axis: -1, momentum: s.momentum, epsilon: s.epsilon, center: true, scale: true } }),
  activation: (s) => ({ class_name: 'Activation', config: { activation: s.fn } }),
  maxPool: POOL('MaxPooling2D'),
  avgPool: POOL('AveragePooling2D'),
  globalAvgPool: () => ({ class_name: 'GlobalAveragePooling2D', config: { data_format: 'channels_last' } }),
  flatten: () => ({ class_name: 'Flatten', config: {} }),
  dropout: (s) => ({ class_name: 'Dropout', config: { rate: s.rate } }),
  add: () => ({ class_name: 'Add', config: {} }),
  concat: () => ({ class_name: 'Concatenate', config: { axis: -1 } }),
};

/** The `modelTopology` object of a model.json for this model. */
export function kerasTopology(model: ModelPlan, name = 'tensorloom'): object {
  const layers = model.ops.map((op) => {
    const layerName = tfjsLayerName(op.id);
    if (op.spec.op === 'input') {
      return {
        name: layerName,
        class_name: 'InputLayer',
        config: { batch_input_shape: [null, ...op.spec.shape], dtype: 'float32', sparse: false, name: layerName },
        inbound_nodes: [],
      };
    }
    const make = KERAS[op.spec.op as Exclude<OpName, 'input'>] as LayerOf<typeof op.spec.op> | undefined;
    if (!make) throw new ExportError(`the PyTorch export does not know the "${op.spec.op}" op yet (node "${op.nodeId}", op "${op.id}")`);
    const layer = make(op.spec as never);
    return {
      name: layerName,
      class_name: layer.class_name,
      config: { ...layer.config, name: layerName, trainable: true },
      inbound_nodes: [op.inputs.map((ref) => [tfjsLayerName(ref), 0, 0, {}])],
    };
  });
  return {
    class_name: 'Model',
    config: {
      name,
      layers,
      input_layers: model.inputs.map((id) => [tfjsLayerName(id), 0, 0]),
      output_layers: [[tfjsLayerName(model.output), 0, 0]],
    },
    keras_version: 'tfjs-layers 4.22.0',
    backend: 'tensor_flow.js',
  };
}
