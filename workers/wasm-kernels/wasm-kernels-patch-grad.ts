/**
 * The filter gradient of a strided convolution, or one on a small feature map, as one matrix product of x's patches
 * (im2col, channel-major) with dy:
 *
 *   dW[(a, b, i), o] = Σ_p patches[(a, b, i), p] · dy[p, o],   patches[(a, b, i), p] = x[n, oh·s + a − pad, ow·s + b − pad, i]
 *
 * over the output pixels p = (n, oh, ow), zero where a tap reaches past the image. The product's
 * rows come out in dW's own [kh, kw, ci, co] order, so nothing is transposed afterwards.
 *
 * Why: the grid formulation (`gridFilterGrad`) computes every tap over a grid padded by the
 * filter's reach on each side; on a 4×4 map that grid has 36 cells for 16 pixels, on 2×2 16 for 4,
 * so most of its arithmetic multiplies zeros. The patches cost taps × the size of x to write,
 * which on small maps is less than the product itself.
 */
import * as tf from '@tensorflow/tfjs';
import { floatsOf, type KernelScope } from './wasm-kernels-calls';
import type { ConvGeometry } from './wasm-kernels-geometry';

/**
 * Output pixels per image up to which the patch product replaces the stride-1 grid. Per call on
 * one wasm thread, CPU ms at batch 64 (grid → patches): 8×8 64→64 26 → 28, 64→128 60 → 39; 4×4
 * 128→256 44 → 30; 2×2 256→256 33 → 18. Strided filters gained (their other path transposes x and
 * dy around a dilated convolution): 3×3 stride 2 16→32 on 32×32 36 → 25, 2×2 stride 2 3→32 11.0 →
 * 2.2. In whole training steps (`.scratch/fast/ab-patch.ts`, interleaved, 2 threads) patches on
 * 8×8 maps too made ResNet-14 and ResNet-20 3–5 % slower; patches for strided filters only made
 * them 3.9 % and 6.1 % faster. So 8×8 maps keep the grid.
 */
export const PATCH_GRAD_MAX_PIXELS = 16;

/** Largest patch matrix, in floats (64 MB), beyond which the other formulations are used. */
let patchLimit = 16 * 1024 * 1024;

/** Sets the patch matrix limit (tests lower it to exercise the other paths); returns the previous one. */
export function setPatchGradLimit(floats: number): number {
  const previous = patchLimit;
  patchLimit = floats;
  return previous;
}

/** Whether `patchFilterGrad` should take this convolution: strided, or a small map, and patches that fit the limit. */
export function usePatchGrad(g: ConvGeometry): boolean {
  const strided = g.strideHeight > 1 || g.strideWidth > 1;
  if (!strided && g.outHeight * g.outWidth > PATCH_GRAD_MAX_PIXELS) return false;
  return g.filterHeight * g.filterWidth * g.inChannels * g.batch * g.outHeight * g.outWidth <= patchLimit;
}

/**
 * Writes x's patches channel-major ([kh·kw·ci, P] floats at `to`, P = n·oh·ow). Four channels at a
 * time, so four write streams run sequentially (as in the grid kernel's channel placement).
 */
function placePatches(heap: Float32Array, from: number, to: number, g: ConvGeometry): void {
  const { batch: n, inHeight: h, inWidth: w, inChannels: c, outHeight: oh, outWidth: ow } = g;
  const pixels = n * oh * ow;
  for (let a = 0; a < g.filterHeight; a++) {
    for (let b = 0; b < g.filterWidth; b++) {
      const tapRow = (a * g.filterWidth + b) * c;
      for (let k0 = 0; k0 < c; k0 += 4) {
        const block = Math.min(4, c - k0);
        let dst = to + (tapRow + k0) * pixels;
        for (let image = 0; image < n; image++) {
          for (let y = 0; y < oh; y++) {
            const sy = y * g.strideHeight + a - g.padTop;
            const rowInside = sy >= 0 && sy < h;
            for (let x = 0; x < ow; x++, dst++) {
              const sx = x * g.strideWidth + b - g.padLeft;
              if (!rowInside || sx < 0 || sx >= w) {
                for (let k = 0; k < block; k++) heap[dst + k * pixels] = 0;
                continue;
              }
              const src = from + ((image * h + sy) * w + sx) * c + k0;
              for (let k = 0; k < block; k++) heap[dst + k * pixels] = heap[src + k]!;
            }
          }
        }
      }
    }
  }
}

/** dW of an NHWC convolution (any stride, dilation 1) as one product of x's patches with dy. */
export function patchFilterGrad(scope: KernelScope, x: tf.TensorInfo, dy: tf.TensorInfo, g: ConvGeometry): tf.TensorInfo {
  const backend = scope.backend;
  const pixels = g.batch * g.outHeight * g.outWidth;
  const rows = g.filterHeight * g.filterWidth * g.inChannels;
  const patches = scope.adopt(backend.makeOutput([1, rows, pixels], 'float32'));
  // Allocation may grow the heap, so its view is taken after the last one.
  const { heap, at: patchesAt } = floatsOf(backend, patches);
  placePatches(heap, floatsOf(backend, x).at, patchesAt, g);
  const dyRows = scope.run('Reshape', { x: dy }, { shape: [1, pixels, g.outChannels] });
  const product = scope.run('BatchMatMul', { a: patches, b: dyRows }, { transposeA: false, transposeB: false });
  return scope.run('Reshape', { x: product }, { shape: [g.filterHeight, g.filterWidth, g.inChannels, g.outChannels] });
}
