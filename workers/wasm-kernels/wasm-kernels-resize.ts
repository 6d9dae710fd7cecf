/**
 * Up-sampling gradients for the wasm backend. tfjs-backend-wasm 4.22 ships ResizeNearestNeighborGrad
 * and ResizeBilinearGrad, so an Upsample layer trains there as it is; but the stock nearest gradient
 * is a scalar C++ loop that, for a ×2 up-sampling of a 32×16×16×32 batch, took 9.4 ms where the same
 * sum as XNNPACK's average pooling takes 0.6. Whole power-of-two factors without aligned corners
 * (what `tf.layers.upSampling2d` runs) take that path; every other case keeps the stock kernel.
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

/** Kernel configs for the wasm backend; registering them touches no other backend. */
export const resizeGradKernels: tf.KernelConfig[] = [
  { kernelName: tf.ResizeNearestNeighborGrad, backendName: 'wasm', kernelFunc: resizeNearestNeighborGrad },
];

/** The stock kernels the fast path calls or falls back to; captured before ours replaces one. */
export const resizeGradDependencies = [tf.AvgPool, tf.ResizeNearestNeighborGrad];
