/**
 * The Dense layer for a fully connected layer that reads the model's input (an RL observation, a
 * flat feature vector). The stock Dense trains through `tf.fused.matMul`, whose custom gradient
 * returns the input, kernel and bias gradients together, so the input's is computed though nobody
 * reads it: for the DQN driver's first layer (97 → 256, batch 128) a 3.2 M multiply-add product and
 * a transpose on every gradient step. This layer trains through plain `tf.matMul` (+ bias add),
 * whose gradient has one function per input, and the tape skips the input's, as DataConv2D does for
 * the first convolution. Inference runs the stock code. It serialises as `Dense`, with the same weights.
 */
import * as tf from '@tensorflow/tfjs';

type Dense = ReturnType<typeof tf.layers.dense>;
type DenseArgs = Parameters<typeof tf.layers.dense>[0];

/** The stock class: tfjs-layers exports a factory for it, not the class itself. */
const StockDense = Object.getPrototypeOf(tf.layers.dense({ units: 1 })).constructor as new (args: DenseArgs) => Dense;

/** The stock layer's state this subclass reads (same names as in tfjs-layers 4.x). */
interface Internals {
  kernel: { read(): tf.Tensor };
  bias: { read(): tf.Tensor } | null;
  activation: { apply(t: tf.Tensor): tf.Tensor } | null;
}

/** Dense whose training step computes no gradient for its input; see the file comment. */
export class DataDense extends StockDense {
  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor | tf.Tensor[] {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const self = this as unknown as Internals;
    if (kwargs['training'] !== true || x?.rank !== 2) return super.call(inputs, kwargs);
    return tf.tidy(() => {
      let y: tf.Tensor = tf.matMul(x as tf.Tensor2D, self.kernel.read() as tf.Tensor2D);
      if (self.bias) y = tf.add(y, self.bias.read());
      return self.activation ? self.activation.apply(y) : y;
    });
  }
}
