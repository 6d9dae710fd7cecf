/**
 * Gradient configs that give the wasm backend a cheaper formula for the same derivative.
 * Gradients are registered per kernel name for all backends at once, so each config captures the
 * stock one and delegates to it whenever the active backend is not 'wasm' or the shapes are not
 * the NHWC case handled here; other backends keep computing exactly what they computed before.
 */
import * as tf from '@tensorflow/tfjs';

type GradFunc = tf.GradConfig['gradFunc'];
type Thunks = ReturnType<GradFunc>;

/**
 * Batch-norm gradient with two streamed products instead of the stock ~10 full-size ops (which
 * also tile 1/σ over the whole batch). With r = 1/√(var+ε), g = scale·r, S = Σ dy·(x−mean):
 * dx = dy·g, dmean = −g·Σdy, dvar = −½·scale·r³·S, dscale = r·S, doffset = Σdy.
 */
function batchNormGrad(dy: tf.Tensor, saved: tf.Tensor[], attrs: tf.NamedAttrMap): Thunks | null {
  const [x, mean, variance, scale] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor | undefined];
  const channels = x.shape[3];
  if (x.rank !== 4 || channels === undefined || mean.size !== channels || variance.size !== channels) return null;
  if (scale && scale.size !== channels) return null;
  const { varianceEpsilon } = attrs as unknown as tf.FusedBatchNormAttrs;
  const axes = [0, 1, 2];

  const meanC = tf.reshape(mean, [channels]);
  const r = tf.rsqrt(tf.add(tf.reshape(variance, [channels]), varianceEpsilon));
  const scaleC = scale ? tf.reshape(scale, [channels]) : tf.onesLike(r);
  const gain = tf.mul(r, scaleC);
  const sumDy = tf.sum(dy, axes);
  // A 1×1 depthwise convolution is the fast per-channel multiply on wasm (XNNPACK).
  const centred = tf.fused.depthwiseConv2d({
    x: x as tf.Tensor4D,
    filter: tf.onesLike(meanC).reshape([1, 1, channels, 1]) as tf.Tensor4D,
    strides: 1,
    pad: 'valid',
    bias: tf.neg(meanC),
  });
  const s = tf.sum(tf.mul(dy, centred), axes);
  const asSaved = (t: tf.Tensor, like: tf.Tensor) => tf.reshape(t, like.shape);
  return {
    x: () => tf.depthwiseConv2d(dy as tf.Tensor4D, tf.reshape(gain, [1, 1, channels, 1]) as tf.Tensor4D, 1, 'valid'),
    mean: () => asSaved(tf.neg(tf.mul(gain, sumDy)), mean),
    variance: () => asSaved(tf.mul(tf.mul(s, scaleC), tf.mul(tf.mul(r, tf.square(r)), -0.5)), variance),
    scale: () => asSaved(tf.mul(s, r), scale ?? mean),
    offset: () => asSaved(sumDy, mean),
  };
}

/** Mean's gradient as one broadcast copy (a Tile) instead of ones·dy/n over the full shape. */
function meanGrad(dy: tf.Tensor, saved: tf.Tensor[], attrs: tf.NamedAttrMap): Thunks | null {
  const [x] = saved as [tf.Tensor];
  const { axis } = attrs as unknown as tf.MeanAttrs;
  const axes = tf.util.parseAxisParam(axis, x.shape);
  const kept = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const reps = x.shape.map((d, i) => (axes.includes(i) ? d : 1));
  const count = axes.reduce((n, a) => n * x.shape[a]!, 1);
  return { x: () => tf.tile(tf.mul(tf.reshape(dy, kept), 1 / count), reps) };
}

const fastGrads: Record<string, (dy: tf.Tensor, saved: tf.Tensor[], attrs: tf.NamedAttrMap) => Thunks | null> = {
  [tf.FusedBatchNorm]: batchNormGrad,
  [tf.Mean]: meanGrad,
};

/** Re-registers the gradients above, each falling back to the stock config it replaces. */
export function registerWasmGradients(): void {
  for (const [kernelName, fast] of Object.entries(fastGrads)) {
    const stock = tf.getGradient(kernelName);
    if (!stock) throw new Error(`tfjs has no stock gradient for ${kernelName}`);
    tf.registerGradient({
      ...stock,
      gradFunc: (dy, saved, attrs) => {
        const useFast = tf.getBackend() === 'wasm' && !Array.isArray(dy) && dy.dtype === 'float32';
        return (useFast && fast(dy as tf.Tensor, saved, attrs)) || stock.gradFunc(dy, saved, attrs);
      },
    });
  }
}
