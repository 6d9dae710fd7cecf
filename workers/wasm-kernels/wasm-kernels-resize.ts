/**
 * Up-sampling gradients for the wasm backend. tfjs-backend-wasm 4.22 ships ResizeNearestNeighborGrad
 * and ResizeBilinearGrad, so an Upsample layer trains there as it is; but both are scalar C++ loops.
 * For a ×2 up-sampling of a 32×16×16×32 batch the nearest one took 9.4 ms where the same sum as
 * XNNPACK's average pooling takes 0.6, and the bilinear one at ×2 is a 3×3 depthwise convolution
 * at the stride (1.7× the stock loop's speed). Nearest at whole power-of-two factors and bilinear
 * at ×2, without aligned corners (what `tf.layers.upSampling2d` runs), take these paths; every other
 * case keeps the stock kernel.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { capturedKernel, floatsOf, KernelScope } from './wasm-kernels-calls';

/** Whether `f` is 1, 2, 4, 8, …: then 1/f is exact in float32, and so are TF's source indices ⌊dst/f⌋. */
function isPowerOfTwo(f: number): boolean {
  return Number.isInteger(f) && f >= 1 && (f & (f - 1)) === 0;
}

/**
 * Nearest-neighbour resizing by whole factors fh×fw copies each input pixel into an fh×fw block, so
 * its gradient sums each block of dy: the average pool of dy over those blocks, times fh·fw (exact
 * for powers of two), scaled in place in the pool's own output.
 */
function resizeNearestNeighborGrad(args: { inputs: tf.NamedTensorInfoMap; attrs?: tf.NamedAttrMap; backend: unknown }): tf.TensorInfo {
  const { images, dy } = args.inputs as { images: tf.TensorInfo; dy: tf.TensorInfo };
  const { alignCorners } = (args.attrs ?? {}) as unknown as tf.ResizeNearestNeighborGradAttrs;
  const [, h, w] = images.shape as [number, number, number, number];
  const [, outH, outW] = dy.shape as [number, number, number, number];
  const fh = outH / h;
  const fw = outW / w;
  if (alignCorners || dy.dtype !== 'float32' || !isPowerOfTwo(fh) || !isPowerOfTwo(fw)) {
    return capturedKernel(tf.ResizeNearestNeighborGrad)(args as never) as tf.TensorInfo;
  }
  const backend = args.backend as BackendWasm;
  const scope = new KernelScope(backend);
  const dx = scope.run(tf.AvgPool, { x: dy }, { filterSize: [fh, fw], strides: [fh, fw], pad: 'valid' });
  const { heap, at } = floatsOf(backend, dx);
  const end = at + tf.util.sizeFromShape(dx.shape);
  const blockSize = fh * fw;
  for (let i = at; i < end; i++) heap[i]! *= blockSize;
  return scope.finish(dx);
}

/**
 * Bilinear up-sampling by whole factors fh×fw (no aligned corners; taken here at 1 or 2) reads output row f·i + t at
 * i + t/f: its gradient gives input row i the rows f·i−(f−1) … f·i+(f−1) of dy weighted by the
 * triangle 1 − |d|/f, a depthwise convolution at stride f that XNNPACK runs. The last row also takes
 * what its clamped neighbour would have: the convolution makes one row (and column) more, and it is
 * folded back onto the last in place before the slice that drops it.
 */
function resizeBilinearGrad(args: { inputs: tf.NamedTensorInfoMap; attrs?: tf.NamedAttrMap; backend: unknown }): tf.TensorInfo {
  const { images, dy } = args.inputs as { images: tf.TensorInfo; dy: tf.TensorInfo };
  const { alignCorners } = (args.attrs ?? {}) as unknown as tf.ResizeBilinearGradAttrs;
  const [n, h, w, c] = images.shape as [number, number, number, number];
  const [, outH, outW] = dy.shape as [number, number, number, number];
  const fh = outH / h;
  const fw = outW / w;
  // At ×4 the 7×7 depthwise window ran slower than the stock loop (bench/decoder.ts: 0.61×).
  if (alignCorners || dy.dtype !== 'float32' || !(fh === 1 || fh === 2) || !(fw === 1 || fw === 2) || fh * fw === 1) {
    return capturedKernel(tf.ResizeBilinearGrad)(args as never) as tf.TensorInfo;
  }
  const backend = args.backend as BackendWasm;
  const scope = new KernelScope(backend);
  const kh = 2 * fh - 1;
  const kw = 2 * fw - 1;
  const filter = scope.adopt(backend.makeOutput([kh, kw, c, 1], 'float32'));
  const { heap, at } = floatsOf(backend, filter);
  for (let a = 0; a < kh; a++) {
    for (let b = 0; b < kw; b++) {
      const weight = (1 - Math.abs(a - fh + 1) / fh) * (1 - Math.abs(b - fw + 1) / fw);
      heap.fill(weight, at + (a * kw + b) * c, at + (a * kw + b + 1) * c);
    }
  }
  const grown = scope.run(tf.DepthwiseConv2dNative, { x: dy, filter }, {
    strides: [fh, fw],
    pad: [[0, 0], [fh - 1, fh], [fw - 1, fw], [0, 0]],
    dilations: [1, 1],
    dataFormat: 'NHWC',
  });
  foldLastRowAndColumn(floatsOf(backend, grown), n, h, w, c);
  return scope.finish(scope.run(tf.Slice, { x: grown }, { begin: [0, 0, 0, 0], size: [n, h, w, c] }));
}

/** Adds row h onto row h − 1, then column w onto column w − 1, of an [n, h+1, w+1, c] tensor. */
function foldLastRowAndColumn({ heap, at }: { heap: Float32Array; at: number }, n: number, h: number, w: number, c: number): void {
  const row = (w + 1) * c;
  for (let b = 0; b < n; b++) {
    const image = at + b * (h + 1) * row;
    for (let k = 0; k < row; k++) heap[image + (h - 1) * row + k]! += heap[image + h * row + k]!;
    for (let i = 0; i < h; i++) {
      const last = image + i * row + w * c;
      for (let k = 0; k < c; k++) heap[last - c + k]! += heap[last + k]!;
    }
  }
}

/** Kernel configs for the wasm backend; registering them touches no other backend. */
export const resizeGradKernels: tf.KernelConfig[] = [
  { kernelName: tf.ResizeNearestNeighborGrad, backendName: 'wasm', kernelFunc: resizeNearestNeighborGrad },
  { kernelName: tf.ResizeBilinearGrad, backendName: 'wasm', kernelFunc: resizeBilinearGrad },
];

/** The stock kernels the fast path calls or falls back to; captured before ours replaces one. */
export const resizeGradDependencies = [tf.AvgPool, tf.DepthwiseConv2dNative, tf.Slice, tf.ResizeNearestNeighborGrad, tf.ResizeBilinearGrad];
