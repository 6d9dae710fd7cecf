/**
 * The filter gradient of a stride-1 convolution as one XNNPACK matrix product per filter tap, with
 * no im2col. Both tensors are laid out on the same zero-padded pixel grid (every image Hg × Wg
 * cells, the images one after another, zeros after the last): x at its padded place, dy at the grid's
 * top-left. On that grid, tap (a, b) of the filter pairs dy's cell q with x's cell q + a·Wg + b, so
 *
 *   dW[a, b] = Σ_q x[q + a·Wg + b] ⊗ dy[q]
 *
 * is a product of a window of one grid, shifted by a constant, with the other. The shift lands in
 * zero cells wherever a tap reaches past an image's edge (the grid keeps enough zero rows and
 * columns for the filter), so the window can be a plain view into the grid's buffer.
 *
 * Why: XNNPACK packs the right-hand operand of every product anew when it is a new tensor, and in
 * the convolution formulation of dW (`conv2DBackpropFilter`) that operand is dy as a filter with
 * H·W taps: tfjs transposes it, then XNNPACK's convolution path packs it, which measured 2.1–4.7 ms
 * a call more than with a cached filter at ResNet-20's sizes. Here the packed operand is one grid,
 * packed once for all taps by the fully-connected path (about 2 ms for 560k values), and the left
 * operand, which is never packed, is a view at each tap.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { floatsOf, type KernelScope } from './wasm-kernels-calls';
import type { ConvGeometry } from './wasm-kernels-geometry';

/** A stride-1 convolution's shapes (its strides are not read). */
type GridGeometry = Omit<ConvGeometry, 'strideHeight' | 'strideWidth'>;

/** The pixel grid: cells per image row and column, and where the filter taps reach. */
function gridOf(g: GridGeometry) {
  // Reads reach cell row h + a for h < outHeight, a < filterHeight; a row past the grid wraps into
  // the next image's top padding, which must then be deep enough (the same for columns).
  const width = Math.max(g.padLeft + g.inWidth, g.outWidth + g.filterWidth - 1 - g.padLeft, g.outWidth);
  const height = Math.max(g.padTop + g.inHeight, g.outHeight + g.filterHeight - 1 - g.padTop, g.outHeight);
  const cells = g.batch * height * width;
  // Zero cells after the last image: taps of its last rows read up to a further reach of cells.
  const reach = (g.filterHeight - 1) * width + g.filterWidth - 1;
  const length = cells + g.filterHeight * width + g.filterWidth;
  return { width, height, length, reach, shift: (a: number, b: number) => a * width + b };
}

type Grid = ReturnType<typeof gridOf>;

/**
 * Writes an NHWC tensor onto the grid, channels last ([length, c] floats at `to`): image n's pixel
 * (h, w) goes to cell n·Hg·Wg + (h + top)·Wg + w + left; every other cell is zero.
 */
function placeRows(heap: Float32Array, from: number, to: number, shape: readonly number[], grid: Grid, top: number, left: number): void {
  const [n, h, w, c] = shape as [number, number, number, number];
  heap.fill(0, to, to + grid.length * c);
  const row = w * c;
  for (let image = 0; image < n; image++) {
    for (let y = 0; y < h; y++) {
      const src = from + (image * h + y) * row;
      heap.copyWithin(to + ((image * grid.height + y + top) * grid.width + left) * c, src, src + row);
    }
  }
}

/**
 * Writes an NHWC tensor onto the grid channel by channel ([c, length] floats at `to`), the layout
 * of a left operand whose rows are channels; every other cell is zero. Four channels at a time:
 * four sequential write streams ran faster (0.69 ms for a 32×32×32×16 batch) than one pass per
 * channel (0.94) or per pixel (0.99).
 */
function placeChannels(heap: Float32Array, from: number, to: number, shape: readonly number[], grid: Grid, top: number, left: number): void {
  const [n, h, w, c] = shape as [number, number, number, number];
  const stride = grid.length;
  heap.fill(0, to, to + c * stride);
  for (let k0 = 0; k0 < c; k0 += 4) {
    const block = Math.min(4, c - k0);
    const base = to + k0 * stride;
    let src = from + k0;
    for (let image = 0; image < n; image++) {
      for (let y = 0; y < h; y++) {
        let dst = base + (image * grid.height + y + top) * grid.width + left;
        const end = dst + w;
        if (block === 4) {
          for (; dst < end; dst++, src += c) {
            heap[dst] = heap[src]!;
            heap[dst + stride] = heap[src + 1]!;
            heap[dst + 2 * stride] = heap[src + 2]!;
            heap[dst + 3 * stride] = heap[src + 3]!;
          }
        } else {
          for (; dst < end; dst++, src += c) {
            for (let k = 0; k < block; k++) heap[dst + k * stride] = heap[src + k]!;
          }
        }
      }
    }
  }
}

/**
 * A tensor over floats that belong to another tensor's buffer, for one kernel call. It must be
 * released with `releaseView` (never disposed: that would free memory the view does not own).
 */
function viewAt(backend: BackendWasm, floatOffset: number, shape: number[]): tf.TensorInfo {
  return backend.makeOutput(shape, 'float32', floatOffset * 4);
}

function releaseView(backend: BackendWasm, view: tf.TensorInfo): void {
  const data = backend.dataIdMap.get(view.dataId);
  if (!data) return;
  // The module typings are not installed; tfjs.disposeData drops the C++ side's record of the id.
  (backend.wasm as unknown as { tfjs: { disposeData(id: number): void } }).tfjs.disposeData(data.id);
  backend.dataIdMap.delete(view.dataId);
}

/**
 * dW of a stride-1, dilation-1 NHWC convolution. The packed operand is whichever of x and dy has
 * fewer channels (its grid is [length, c]); the other one's channel-major grid gives each tap's view.
 */
export function gridFilterGrad(scope: KernelScope, x: tf.TensorInfo, dy: tf.TensorInfo, g: GridGeometry): tf.TensorInfo {
  const backend = scope.backend;
  const grid = gridOf(g);
  const [ci, co] = [g.inChannels, g.outChannels];
  const taps = g.filterHeight * g.filterWidth;
  // Packing dy (b = dy) puts x's channels in the rows and gives [ci, co] per tap; packing x gives [co, ci].
  const packDy = co <= ci;
  const rows = packDy ? ci : co;
  const cols = packDy ? co : ci;
  const packed = scope.adopt(backend.makeOutput([1, grid.length, cols], 'float32'));
  // The row-major grid needs `reach` spare floats: after its end when the views shift forward (they
  // read x's grid at +shift), before its start when they shift back (they read dy's at −shift).
  const lhs = scope.adopt(backend.makeOutput([rows * grid.length + grid.reach], 'float32'));
  const dw = backend.makeOutput([g.filterHeight, g.filterWidth, ci, co], 'float32');

  // Every buffer is allocated by now, so this heap view stays valid until the first product.
  const at = (info: tf.TensorInfo) => floatsOf(backend, info).at;
  let heap = floatsOf(backend, lhs).heap;
  const lhsAt = at(lhs);
  if (packDy) {
    placeRows(heap, at(dy), at(packed), dy.shape, grid, 0, 0);
    placeChannels(heap, at(x), lhsAt, x.shape, grid, g.padTop, g.padLeft);
    heap.fill(0, lhsAt + rows * grid.length, lhsAt + rows * grid.length + grid.reach);
  } else {
    placeRows(heap, at(x), at(packed), x.shape, grid, g.padTop, g.padLeft);
    heap.fill(0, lhsAt, lhsAt + grid.reach);
    placeChannels(heap, at(dy), lhsAt + grid.reach, dy.shape, grid, 0, 0);
  }

  for (let t = 0; t < taps; t++) {
    const shift = grid.shift(Math.floor(t / g.filterWidth), t % g.filterWidth);
    const view = viewAt(backend, packDy ? lhsAt + shift : lhsAt + grid.reach - shift, [1, rows, grid.length]);
    let product: tf.TensorInfo;
    try {
      product = scope.run('BatchMatMul', { a: view, b: packed }, { transposeA: false, transposeB: false });
    } finally {
      releaseView(backend, view);
    }
    heap = floatsOf(backend, product).heap;
    const from = at(product);
    const to = at(dw) + t * ci * co;
    if (packDy) {
      heap.copyWithin(to, from, from + ci * co);
    } else {
      for (let o = 0; o < co; o++) for (let i = 0; i < ci; i++) heap[to + i * co + o] = heap[from + o * ci + i]!;
    }
  }
  return dw;
}
