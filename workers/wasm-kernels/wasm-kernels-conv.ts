/**
 * Conv2D gradients for the wasm backend, expressed as forward convolutions (or, for 1×1 filters,
 * one matrix product) so XNNPACK's SIMD GEMM does the work. tfjs-backend-wasm 4.22 ships no
 * Conv2DBackpropFilter at all (tfjs#8474) and its Conv2DBackpropInput is a scalar C++ loop; both
 * become a few layout kernels plus one Conv2D (or matrix products) here. What remains costly in dW
 * is XNNPACK packing its right-hand operand, a new tensor on every call.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { floatsOf, KernelScope, type KernelArgs } from './wasm-kernels-calls';
import { gridFilterGrad } from './wasm-kernels-filter-grad';
import { patchFilterGrad, usePatchGrad } from './wasm-kernels-patch-grad';
import type { ConvGeometry } from './wasm-kernels-geometry';

export type { ConvGeometry };

type Pad4 = [[number, number], [number, number], [number, number], [number, number]];

function geometry(
  xShape: readonly number[],
  filterShape: readonly number[],
  attrs: tf.NamedAttrMap,
): ConvGeometry {
  const { strides, pad, dimRoundingMode, dataFormat } = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  if (dataFormat === 'NCHW') throw new Error('wasm conv gradients support only NHWC (channelsLast)');
  const info = tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  return {
    batch: info.batchSize,
    inHeight: info.inHeight,
    inWidth: info.inWidth,
    inChannels: info.inChannels,
    outHeight: info.outHeight,
    outWidth: info.outWidth,
    outChannels: info.outChannels,
    filterHeight: info.filterHeight,
    filterWidth: info.filterWidth,
    strideHeight: info.strideHeight,
    strideWidth: info.strideWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
  };
}

/**
 * Pads (positive amounts) or crops (negative amounts) the two spatial axes of an NHWC tensor, so the
 * following Conv2D can run with padding 0 on both sides of each axis where a crop was needed.
 */
function padOrCrop(
  scope: KernelScope,
  x: tf.TensorInfo,
  top: number,
  bottom: number,
  left: number,
  right: number,
): { x: tf.TensorInfo; pad: Pad4 } {
  const cropTop = Math.max(0, -top);
  const cropBottom = Math.max(0, -bottom);
  const cropLeft = Math.max(0, -left);
  const cropRight = Math.max(0, -right);
  let cropped = x;
  if (cropTop + cropBottom + cropLeft + cropRight > 0) {
    const [n, h, w, c] = x.shape as [number, number, number, number];
    cropped = scope.run(
      'Slice',
      { x },
      { begin: [0, cropTop, cropLeft, 0], size: [n, h - cropTop - cropBottom, w - cropLeft - cropRight, c] },
    );
  }
  const pad: Pad4 = [
    [0, 0],
    [Math.max(0, top), Math.max(0, bottom)],
    [Math.max(0, left), Math.max(0, right)],
    [0, 0],
  ];
  return { x: cropped, pad };
}

/**
 * dW[kh,kw,ci,co] = Σ_{n,oh,ow} x[n, oh·s+kh−pad, ow·s+kw−pad, ci] · dy[n,oh,ow,co]. Stride 1 (all but
 * two of ResNet-20's) goes to `gridFilterGrad`, a matrix product per tap; strides above 1 and small
 * maps to `patchFilterGrad`, one product of x's patches (see `usePatchGrad`); 1×1 filters to one
 * product. Strided filters whose patches would be too large are a convolution of x (channels ci
 * moved to the batch axis, batch n moved to the channel axis) with dy as the filter, dilated by the
 * forward stride.
 */
function conv2DBackpropFilter(args: KernelArgs): tf.TensorInfo {
  const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const attrs = args.attrs ?? {};
  const { filterShape } = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  const g = geometry(x.shape, filterShape, attrs);
  const scope = new KernelScope(args.backend as BackendWasm);
  if (g.filterHeight === 1 && g.filterWidth === 1 && g.padTop === 0 && g.padLeft === 0) {
    return scope.finish(pointwiseFilterGrad(scope, x, dy, g));
  }
  // Strided filters, and small maps where the grid's padding would be most of its arithmetic.
  if (usePatchGrad(g)) return scope.finish(patchFilterGrad(scope, x, dy, g));
  if (g.strideHeight === 1 && g.strideWidth === 1) {
    return scope.finish(gridFilterGrad(scope, x, dy, g));
  }

  const xT = scope.run('Transpose', { x }, { perm: [3, 1, 2, 0] });
  const dyT = scope.run('Transpose', { x: dy }, { perm: [1, 2, 0, 3] });
  const reach = (size: number, stride: number) => (size - 1) * stride + 1;
  const bottom = g.filterHeight - 1 + reach(g.outHeight, g.strideHeight) - g.inHeight - g.padTop;
  const right = g.filterWidth - 1 + reach(g.outWidth, g.strideWidth) - g.inWidth - g.padLeft;
  const src = padOrCrop(scope, xT, g.padTop, bottom, g.padLeft, right);
  const dwT = scope.run(
    'Conv2D',
    { x: src.x, filter: dyT },
    { strides: [1, 1], pad: src.pad, dilations: [g.strideHeight, g.strideWidth], dataFormat: 'NHWC' },
  );
  const dw = scope.run('Transpose', { x: dwT }, { perm: [1, 2, 0, 3] });
  return scope.finish(dw);
}

/**
 * A 1×1 filter's gradient is one matrix product, xₛᵀ·dy over all output pixels (xₛ = x sampled at
 * the stride). XNNPACK's fully-connected path packs dy far more cheaply than the convolution path
 * packs a 16×16-tap filter: 2.6 ms instead of 11.9 ms for ResNet-20's first projection shortcut.
 */
function pointwiseFilterGrad(scope: KernelScope, x: tf.TensorInfo, dy: tf.TensorInfo, g: ConvGeometry): tf.TensorInfo {
  let sampled = x;
  if (g.strideHeight > 1 || g.strideWidth > 1) {
    // A depthwise 1×1 convolution with unit weights is an exact strided copy, run by XNNPACK.
    const ones = scope.adopt(scope.backend.makeOutput([1, 1, g.inChannels, 1], 'float32', undefined, new Float32Array(g.inChannels).fill(1)));
    sampled = scope.run('DepthwiseConv2dNative', { x, filter: ones }, {
      strides: [g.strideHeight, g.strideWidth],
      pad: 'valid',
      dilations: [1, 1],
      dataFormat: 'NHWC',
    });
  }
  const pixels = g.batch * g.outHeight * g.outWidth;
  const rows = scope.run('Reshape', { x: sampled }, { shape: [pixels, g.inChannels] });
  const xT = scope.run('Transpose', { x: rows }, { perm: [1, 0] });
  const a = scope.run('Reshape', { x: xT }, { shape: [1, g.inChannels, pixels] });
  const b = scope.run('Reshape', { x: dy }, { shape: [1, pixels, g.outChannels] });
  const product = scope.run('BatchMatMul', { a, b }, { transposeA: false, transposeB: false });
  return scope.run('Reshape', { x: product }, { shape: [1, 1, g.inChannels, g.outChannels] });
}

/**
 * Copies one filter tap's [ci][co] weights from `from` to `to` with the channel axes swapped:
 * output channel o's ci weights start at `to + o·rowStride`.
 */
function copyTapSwapped(heap: Float32Array, from: number, to: number, ci: number, co: number, rowStride: number): void {
  for (let o = 0; o < co; o++) {
    for (let i = 0; i < ci; i++) heap[to + o * rowStride + i] = heap[from + i * co + o]!;
  }
}

/**
 * The filter rotated by 180° with its channel axes swapped, [kh,kw,ci,co] → [KH−1−kh, KW−1−kw, co, ci],
 * in one JS pass over the heap. Filters are small (ResNet-20's largest has 36,864 weights), and the
 * stock Reverse alone took 1.8 ms a call for that one.
 */
function rotateFilter(backend: BackendWasm, filter: tf.TensorInfo): tf.TensorInfo {
  const [kh, kw, ci, co] = filter.shape as [number, number, number, number];
  const out = backend.makeOutput([kh, kw, co, ci], 'float32');
  const { heap, at: src } = floatsOf(backend, filter);
  const dst = floatsOf(backend, out).at;
  const taps = kh * kw;
  const block = ci * co;
  for (let t = 0; t < taps; t++) copyTapSwapped(heap, src + (taps - 1 - t) * block, dst + t * block, ci, co, ci);
  return out;
}

/**
 * dx is the full correlation of dy (zero-stuffed by the stride) with the filter rotated by 180°
 * and its channel axes swapped.
 */
function conv2DBackpropInput(args: KernelArgs): tf.TensorInfo {
  const { dy, filter } = args.inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const attrs = args.attrs ?? {};
  const { inputShape } = attrs as unknown as tf.Conv2DBackpropInputAttrs;
  const g = geometry(inputShape, filter.shape, attrs);
  const scope = new KernelScope(args.backend as BackendWasm);
  const strided = g.strideHeight > 1 || g.strideWidth > 1;
  // Filters smaller than the stride leave phases without taps; their zero channels cost more than stuffing.
  const polyphase =
    strided &&
    g.strideHeight === g.strideWidth &&
    g.filterHeight >= g.strideHeight &&
    g.filterWidth >= g.strideWidth &&
    g.inHeight % g.strideHeight === 0 &&
    g.inWidth % g.strideWidth === 0;
  if (polyphase) {
    return scope.finish(polyphaseInputGrad(scope, dy, filter, g));
  }

  let stuffed = dy;
  if (strided) {
    const spread = scope.run('Reshape', { x: dy }, {
      shape: [g.batch, g.outHeight, 1, g.outWidth, 1, g.outChannels],
    });
    const padded = scope.run('PadV2', { x: spread }, {
      paddings: [[0, 0], [0, 0], [0, g.strideHeight - 1], [0, 0], [0, g.strideWidth - 1], [0, 0]],
      constantValue: 0,
    });
    stuffed = scope.run('Reshape', { x: padded }, {
      shape: [g.batch, g.outHeight * g.strideHeight, g.outWidth * g.strideWidth, g.outChannels],
    });
  }
  const rotated = scope.adopt(rotateFilter(scope.backend, filter));

  const top = g.filterHeight - 1 - g.padTop;
  const left = g.filterWidth - 1 - g.padLeft;
  const bottom = g.inHeight + g.padTop - g.outHeight * g.strideHeight;
  const right = g.inWidth + g.padLeft - g.outWidth * g.strideWidth;
  const src = padOrCrop(scope, stuffed, top, bottom, left, right);
  const dx = scope.run(
    'Conv2D',
    { x: src.x, filter: rotated },
    { strides: [1, 1], pad: src.pad, dilations: [1, 1], dataFormat: 'NHWC' },
  );
  return scope.finish(dx);
}

/**
 * Along one axis of a strided convolution's input gradient: input index i = s·a + b (phase b, cell
 * a) receives dy[a + d − m]·w[r + s·m] for m = 0…taps−1, with d = ⌊(b + pad)/s⌋ and r = (b + pad) mod s.
 * All phases together read a window of dy rows a + lo … a + lo + span − 1; `tap(b, t)` is the filter
 * index that phase b applies to window row t, or −1 where it applies none.
 */
function phases(kernel: number, stride: number, pad: number) {
  const d = (b: number) => Math.floor((b + pad) / stride);
  const r = (b: number) => (b + pad) % stride;
  const taps = (b: number) => (r(b) < kernel ? Math.ceil((kernel - r(b)) / stride) : 0);
  let lo = Infinity;
  let hi = -Infinity;
  for (let b = 0; b < stride; b++) {
    if (taps(b) === 0) continue;
    lo = Math.min(lo, d(b) - taps(b) + 1);
    hi = Math.max(hi, d(b));
  }
  const tap = (b: number, t: number) => {
    const m = d(b) - lo - t;
    return m >= 0 && m < taps(b) ? r(b) + stride * m : -1;
  };
  return { lo, span: hi - lo + 1, tap };
}

/**
 * The input gradient of a stride-s convolution without zero-stuffing: one stride-1 convolution of
 * dy computes all s² phases of dx as s²·ci output channels (each phase's sub-filter of the rotated
 * filter, zero where a phase has fewer taps), and one transpose interleaves them. For ResNet's 3×3
 * stride-2 convolutions that is 16 filter taps per 2×2 block of dx instead of 36 on the stuffed dy.
 * Needs equal strides, no larger than the filter, dividing the input size; other cases zero-stuff.
 */
function polyphaseInputGrad(scope: KernelScope, dy: tf.TensorInfo, filter: tf.TensorInfo, g: ConvGeometry): tf.TensorInfo {
  const s = g.strideHeight;
  const rows = phases(g.filterHeight, s, g.padTop);
  const cols = phases(g.filterWidth, s, g.padLeft);
  const [ci, co] = [g.inChannels, g.outChannels];
  const outChannels = s * s * ci;
  const backend = scope.backend;
  const sub = scope.adopt(backend.makeOutput([rows.span, cols.span, co, outChannels], 'float32'));
  const { heap, at: src } = floatsOf(backend, filter);
  const dst = floatsOf(backend, sub).at;
  heap.fill(0, dst, dst + rows.span * cols.span * co * outChannels);
  for (let th = 0; th < rows.span; th++) {
    for (let tw = 0; tw < cols.span; tw++) {
      for (let bh = 0; bh < s; bh++) {
        const kh = rows.tap(bh, th);
        if (kh < 0) continue;
        for (let bw = 0; bw < s; bw++) {
          const kw = cols.tap(bw, tw);
          if (kw < 0) continue;
          const from = src + (kh * g.filterWidth + kw) * ci * co;
          const to = dst + (th * cols.span + tw) * co * outChannels + (bh * s + bw) * ci;
          copyTapSwapped(heap, from, to, ci, co, outChannels);
        }
      }
    }
  }
  const cellsH = g.inHeight / s;
  const cellsW = g.inWidth / s;
  const top = -rows.lo;
  const left = -cols.lo;
  const src4 = padOrCrop(scope, dy, top, cellsH + rows.span - 1 - g.outHeight - top, left, cellsW + cols.span - 1 - g.outWidth - left);
  const blocks = scope.run(
    'Conv2D',
    { x: src4.x, filter: sub },
    { strides: [1, 1], pad: src4.pad, dilations: [1, 1], dataFormat: 'NHWC' },
  );
  // The interleave as a transpose: the stock DepthToSpace took 31 ms for a 32×16×16×64 batch, this 0.6.
  const split = scope.run('Reshape', { x: blocks }, { shape: [g.batch, cellsH, cellsW, s, s, ci] });
  const woven = scope.run('Transpose', { x: split }, { perm: [0, 1, 3, 2, 4, 5] });
  return scope.run('Reshape', { x: woven }, { shape: [g.batch, g.inHeight, g.inWidth, ci] });
}

/** Kernel configs for the wasm backend; registering them touches no other backend. */
export const convBackpropKernels: tf.KernelConfig[] = [
  { kernelName: tf.Conv2DBackpropFilter, backendName: 'wasm', kernelFunc: conv2DBackpropFilter },
  { kernelName: tf.Conv2DBackpropInput, backendName: 'wasm', kernelFunc: conv2DBackpropInput },
];

/** Kernels the compositions above call; captured before Conv2DBackpropInput is replaced. */
export const convBackpropDependencies = [
  'Conv2D',
  'Transpose',
  'Slice',
  'Reshape',
  'PadV2',
  'DepthwiseConv2dNative',
  'BatchMatMul',
];
