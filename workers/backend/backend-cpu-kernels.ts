/**
 * Faster training kernels for the TF.js `cpu` backend. Its stock Conv2DBackpropFilter reads every
 * element through `TensorBuffer.get(...)` in the innermost loop and takes seconds per small conv
 * layer, so the cpu fallback (and every Node test) could not train a conv net at all.
 */
import * as tf from '@tensorflow/tfjs';
import { registerCpuResizeGrads } from './cpu-resize-grads';

type TypedArray = Float32Array | Int32Array | Uint8Array;

interface CpuBackendLike {
  data: { get(id: object): { values: TypedArray } };
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: TypedArray): tf.TensorInfo;
}

interface BackpropFilterAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

/**
 * dW[wR, wC, d1, d2] = Σ_{b, yR, yC} x[b, yR·sh + wR − top, yC·sw + wC − left, d1] · dy[b, yR, yC, d2],
 * walked so the innermost loop runs over contiguous output channels of both dW and dy.
 */
export function conv2dBackpropFilterNHWC(
  x: ArrayLike<number>,
  dy: ArrayLike<number>,
  info: tf.backend_util.Conv2DInfo,
): Float32Array {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = info;
  const { strideHeight: sh, strideWidth: sw, filterHeight: fh, filterWidth: fw } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const acc = new Float64Array(fh * fw * inChannels * outChannels);
  for (let b = 0; b < batchSize; b++) {
    for (let yR = 0; yR < outHeight; yR++) {
      for (let wR = 0; wR < fh; wR++) {
        const xR = yR * sh + wR - top;
        if (xR < 0 || xR >= inHeight) continue;
        for (let yC = 0; yC < outWidth; yC++) {
          const dyOff = ((b * outHeight + yR) * outWidth + yC) * outChannels;
          for (let wC = 0; wC < fw; wC++) {
            const xC = yC * sw + wC - left;
            if (xC < 0 || xC >= inWidth) continue;
            const xOff = ((b * inHeight + xR) * inWidth + xC) * inChannels;
            const wOff = (wR * fw + wC) * inChannels * outChannels;
            for (let d1 = 0; d1 < inChannels; d1++) {
              const xv = x[xOff + d1]!;
              // After a relu, half the inputs are zero: skipping them halves the work.
              if (xv === 0) continue;
              const o = wOff + d1 * outChannels;
              for (let d2 = 0; d2 < outChannels; d2++) acc[o + d2]! += xv * dy[dyOff + d2]!;
            }
          }
        }
      }
    }
  }
  return Float32Array.from(acc);
}

let registered = false;

/**
 * Replaces the cpu backend's Conv2DBackpropFilter (NHWC) with {@link conv2dBackpropFilterNHWC}, and
 * its wrong up-sampling gradients with `cpu-resize-grads.ts`'s.
 */
export function registerFastCpuKernels(): void {
  if (registered) return;
  registerCpuResizeGrads();
  const stock = tf.getKernel(tf.Conv2DBackpropFilter, 'cpu');
  if (!stock) return;
  tf.unregisterKernel(tf.Conv2DBackpropFilter, 'cpu');
  tf.registerKernel({
    kernelName: tf.Conv2DBackpropFilter,
    backendName: 'cpu',
    kernelFunc: (args) => {
      const attrs = args.attrs as unknown as BackpropFilterAttrs;
      if (attrs.dataFormat === 'NCHW') return stock.kernelFunc(args);
      const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
      const backend = args.backend as unknown as CpuBackendLike;
      const info = tf.backend_util.computeConv2DInfo(
        x.shape as [number, number, number, number],
        attrs.filterShape,
        attrs.strides,
        1,
        attrs.pad,
        attrs.dimRoundingMode,
        false,
        'channelsLast',
      );
      const dW = conv2dBackpropFilterNHWC(backend.data.get(x.dataId).values, backend.data.get(dy.dataId).values, info);
      return backend.makeTensorInfo(info.filterShape, 'float32', dW);
    },
  });
  registered = true;
}
