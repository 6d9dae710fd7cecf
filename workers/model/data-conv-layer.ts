/**
 * The Conv2D layer for a convolution that reads the model's input (the images). A stock Conv2D
 * trains through `tf.fused.conv2d`, whose gradient is one custom function returning the input,
 * filter and bias gradients together, so TF.js cannot prune the input gradient even when the input
 * is data: for the first convolution of a CIFAR net that is a full backward convolution per step
 * spent on a gradient nobody reads (≈2.8 ms of a wasm ResNet-20 step). This layer trains through
 * the plain `tf.conv2d` (+ bias add), whose gradient has one function per input, and the tape skips
 * the input's. Inference runs the stock code. It serialises as `Conv2D`, with the same weights.
 */
import * as tf from '@tensorflow/tfjs';

type Conv2D = ReturnType<typeof tf.layers.conv2d>;
type Conv2DArgs = Parameters<typeof tf.layers.conv2d>[0];

/** The stock class: tfjs-layers exports a factory for it, not the class itself. */
const StockConv2D = Object.getPrototypeOf(tf.layers.conv2d({ filters: 1, kernelSize: 1 })).constructor as new (args: Conv2DArgs) => Conv2D;

/** The stock layer's state this subclass reads (same names as in tfjs-layers 4.x). */
interface Internals {
  kernel: { read(): tf.Tensor };
  bias: { read(): tf.Tensor } | null;
  strides: [number, number];
  padding: 'same' | 'valid';
  dataFormat: string;
  dilationRate: [number, number];
  activation: { apply(t: tf.Tensor): tf.Tensor; getClassName(): string } | null;
}

/** Conv2D whose training step computes no gradient for its input; see the file comment. */
export class DataConv2D extends StockConv2D {
  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor | tf.Tensor[] {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const self = this as unknown as Internals;
    if (kwargs['training'] !== true || x?.rank !== 4 || self.dataFormat !== 'channelsLast') return super.call(inputs, kwargs);
    return tf.tidy(() => {
      let y: tf.Tensor = tf.conv2d(x as tf.Tensor4D, self.kernel.read() as tf.Tensor4D, self.strides, self.padding, 'NHWC', self.dilationRate);
      if (self.bias) y = tf.add(y, self.bias.read());
      return self.activation ? self.activation.apply(y) : y;
    });
  }
}
