/**
 * The decoder layers' kernels on wasm, as ratios within one run (`npx tsx bench/decoder.ts`):
 * - the nearest up-sampling gradient, Tensorloom's (XNNPACK average pool × f²) against the stock
 *   C++ loop it replaces for power-of-two factors;
 * - a transposed convolution's training step (forward, input and filter gradients) against the
 *   convolution it mirrors (same multiply-adds), same and valid padding;
 * - the bilinear up-sampling gradient, Tensorloom's (a depthwise convolution) against the stock one.
 * Prints one JSON line; ratios > 1 mean the first is slower.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { capturedKernel } from '../workers/wasm-kernels/wasm-kernels-calls';
import { measure, oneMinuteLoad, round3 } from './lib/throughput';
import { quietTfjs, startWasm } from './lib/wasm-node';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);
const BATCH = 32;

quietTfjs();
const wasm = await startWasm();

/** Milliseconds per call of `f`, tensors freed after each. */
function msPerCall(f: () => void): number {
  f();
  const t = measure(SECONDS, 1, () => tf.tidy(f), 5);
  return t.wallSeconds * 1000 / t.images;
}

const read = (t: tf.Tensor | tf.Tensor[]) => void (Array.isArray(t) ? t : [t]).forEach((x) => x.dataSync());

function resizeGrads(side: number, factor: number) {
  const images = tf.zeros([BATCH, side, side, 32]);
  const dy = tf.randomNormal([BATCH, side * factor, side * factor, 32]);
  const backend = tf.backend() as BackendWasm;
  const attrs = { alignCorners: false };
  const compare = (kernel: string) => {
    const ours = msPerCall(() => read(tf.engine().runKernel(kernel, { images, dy }, attrs) as tf.Tensor));
    const stock = msPerCall(() => {
      const info = capturedKernel(kernel)({ inputs: { images, dy }, attrs, backend }) as tf.TensorInfo;
      backend.readSync(info.dataId);
      backend.disposeData(info.dataId);
    });
    return { oursMs: round3(ours), stockMs: round3(stock), stockOverOurs: round3(stock / ours) };
  };
  const result = { nearest: compare(tf.ResizeNearestNeighborGrad), bilinear: compare(tf.ResizeBilinearGrad) };
  tf.dispose([images, dy]);
  return result;
}

/** A training step's gradients of Σ f(x, w) with respect to both. */
function stepMs(xShape: number[], wShape: number[], f: (x: tf.Tensor4D, w: tf.Tensor4D) => tf.Tensor): number {
  const x = tf.randomNormal(xShape);
  const w = tf.randomNormal(wShape);
  const grads = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(f(a as tf.Tensor4D, b as tf.Tensor4D)));
  const ms = msPerCall(() => read(grads([x, w])));
  tf.dispose([x, w]);
  return ms;
}

function transposeVsConv(padding: 'same' | 'valid', kernel: number) {
  const small = 8;
  const big = padding === 'same' ? 2 * small : 2 * small + Math.max(kernel - 2, 0);
  const w = [kernel, kernel, 32, 64];
  const transpose = stepMs([BATCH, small, small, 64], w, (x, k) => tf.conv2dTranspose(x, k, [BATCH, big, big, 32], 2, padding));
  const conv = stepMs([BATCH, big, big, 32], w, (x, k) => tf.conv2d(x, k, 2, padding));
  return { transposeMs: round3(transpose), convMs: round3(conv), transposeOverConv: round3(transpose / conv) };
}

console.log(
  JSON.stringify({
    backend: 'wasm',
    threads: wasm.threads,
    load: oneMinuteLoad(),
    upsampleGradX2_32x16x16x32: resizeGrads(16, 2),
    upsampleGradX4_32x8x8x32: resizeGrads(8, 4),
    conv2dTranspose3x3Stride2Same_8to16_64to32: transposeVsConv('same', 3),
    conv2dTranspose3x3Stride2Valid_8to17_64to32: transposeVsConv('valid', 3),
    conv2dTranspose4x4Stride2Same_8to16_64to32: transposeVsConv('same', 4),
  }),
);
