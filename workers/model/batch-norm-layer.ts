/**
 * Batch normalisation whose training-mode forward and backward are each one fused op on the wasm
 * backend. The stock layer normalises with `tf.moments` and then `tf.batchNorm`, so its gradient is
 * the batch-norm gradient plus the gradients of both moments (a broadcast mean, a squared
 * difference, their broadcasts back over the batch and the adds joining three paths into dx): about
 * a dozen full-size passes per layer. Here the whole normalisation is one `tf.customGrad` op with
 * the closed-form derivative,
 *
 *   x̂ = (x − μ)·r,  r = 1/√(σ² + ε),  y = γ·x̂ + β,
 *   dx = γ·r·(dy − mean(dy) − (x − μ)·r²·mean(dy·(x − μ))),
 *   dγ = r·Σ dy·(x − μ),  dβ = Σ dy,
 *
 * which is six passes (two sums, a product, and three per-channel affine maps that the wasm kernels
 * route to XNNPACK). Other backends, inference, and shapes other than NHWC with the channel axis
 * last run the stock layer's code unchanged. The class serialises as `BatchNormalization`, with the
 * same weights, so saved models stay Keras-readable and load into the stock layer.
 */
import * as tf from '@tensorflow/tfjs';

type BatchNorm = ReturnType<typeof tf.layers.batchNormalization>;
type BatchNormArgs = NonNullable<Parameters<typeof tf.layers.batchNormalization>[0]>;

/** The stock class: tfjs-layers exports a factory for it, not the class itself. */
const StockBatchNorm = Object.getPrototypeOf(tf.layers.batchNormalization({})).constructor as new (
  args?: BatchNormArgs,
) => BatchNorm;

interface WeightVariable {
  read(): tf.Tensor;
  write(value: tf.Tensor): unknown;
}

/** The stock layer's private state this subclass reads (same names as in tfjs-layers 4.x). */
interface Internals {
  axis: number;
  momentum: number;
  epsilon: number;
  gamma: WeightVariable | null;
  beta: WeightVariable | null;
  movingMean: WeightVariable;
  movingVariance: WeightVariable;
}

const REDUCE: [number, number, number] = [0, 1, 2];

/** `x · a + b` per channel as a 1×1 depthwise convolution (XNNPACK's streamed path on wasm). */
function perChannel(x: tf.Tensor4D, a: tf.Tensor1D, b?: tf.Tensor1D): tf.Tensor4D {
  const channels = x.shape[3];
  return tf.fused.depthwiseConv2d({ x, filter: tf.reshape(a, [1, 1, channels, 1]), strides: 1, pad: 'valid', bias: b });
}

export interface TrainingNorm {
  y: tf.Tensor4D;
  /** Batch statistics for the moving averages (kept: the caller disposes them). */
  mean: tf.Tensor1D;
  variance: tf.Tensor1D;
}

/** Normalises an NHWC batch by its own statistics, as one differentiable op. */
export function trainingBatchNorm(x: tf.Tensor4D, gamma: tf.Tensor1D, beta: tf.Tensor1D, epsilon: number): TrainingNorm {
  const stats: { mean?: tf.Tensor1D; variance?: tf.Tensor1D } = {};
  const count = x.shape[0] * x.shape[1] * x.shape[2];
  const op = tf.customGrad((xIn, gammaIn, betaIn, save) => {
    const input = xIn as tf.Tensor4D;
    const g = gammaIn as tf.Tensor1D;
    const mean = tf.mean(input, REDUCE) as tf.Tensor1D;
    const centred = perChannel(input, tf.onesLike(mean), tf.neg(mean));
    const variance = tf.mean(tf.square(centred), REDUCE) as tf.Tensor1D;
    const r = tf.rsqrt(tf.add(variance, epsilon)) as tf.Tensor1D;
    const y = perChannel(centred, tf.mul(g, r) as tf.Tensor1D, betaIn as tf.Tensor1D);
    stats.mean = tf.keep(mean);
    stats.variance = tf.keep(variance);
    (save as (tensors: tf.Tensor[]) => void)([centred, r, g]);
    return {
      value: y,
      gradFunc: (dy, saved) => {
        const grad = dy as tf.Tensor4D;
        const [c, rs, gs] = saved as [tf.Tensor4D, tf.Tensor1D, tf.Tensor1D];
        const sumDy = tf.sum(grad, REDUCE) as tf.Tensor1D;
        const sumDyC = tf.sum(tf.mul(grad, c), REDUCE) as tf.Tensor1D;
        // dx = γr·(dy − (c·r²·ΣdyC + Σdy)/count)
        const along = perChannel(c, tf.mul(tf.square(rs), tf.div(sumDyC, count)) as tf.Tensor1D, tf.div(sumDy, count) as tf.Tensor1D);
        const dx = perChannel(tf.sub(grad, along) as tf.Tensor4D, tf.mul(gs, rs) as tf.Tensor1D);
        return [dx, tf.mul(sumDyC, rs), sumDy];
      },
    };
  });
  const y = op(x, gamma, beta) as tf.Tensor4D;
  return { y, mean: stats.mean!, variance: stats.variance! };
}

/** BatchNormalization with the fused training path on wasm; see the file comment. */
export class FusedBatchNormalization extends StockBatchNorm {
  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor | tf.Tensor[] {
    // A frozen layer (transfer with freeze) normalises with its stored statistics and leaves them be, as in Keras.
    if (kwargs['training'] === true && !this.trainable) kwargs = { ...kwargs, training: false };
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const self = this as unknown as Internals;
    const fused =
      kwargs['training'] === true &&
      tf.getBackend() === 'wasm' &&
      x !== undefined &&
      x.rank === 4 &&
      x.dtype === 'float32' &&
      (self.axis === -1 || self.axis === 3);
    if (!fused) return super.call(inputs, kwargs);
    return tf.tidy(() => {
      const channels = x.shape[3]!;
      const gamma = (self.gamma?.read() ?? tf.ones([channels])) as tf.Tensor1D;
      const beta = (self.beta?.read() ?? tf.zeros([channels])) as tf.Tensor1D;
      const { y, mean, variance } = trainingBatchNorm(x as tf.Tensor4D, gamma, beta, self.epsilon);
      // The stock layer's moving averages: v ← v − (v − batch)·(1 − momentum).
      const decay = 1 - self.momentum;
      for (const [variable, batch] of [
        [self.movingMean, mean],
        [self.movingVariance, variance],
      ] as const) {
        tf.tidy(() => {
          const old = variable.read();
          variable.write(tf.sub(old, tf.mul(tf.sub(old, batch), decay)));
        });
        batch.dispose();
      }
      return y;
    });
  }
}
