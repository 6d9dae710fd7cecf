/**
 * Pooling gradients for the wasm backend. These kernels only move data (no multiply-accumulate to
 * vectorise), so a single linear pass over heap views is the cheapest formulation: the stock C++
 * MaxPoolGrad allocates, runs a generic 3-D pooling template and starts its maximum at
 * `numeric_limits<float>::min()` (the smallest positive float), which routes the gradient of an
 * all-non-positive window to the wrong pixel. Both kernels here follow the cpu backend's
 * definitions: the first maximum in row-major window order wins, and the average-pool gradient
 * divides by the full window size.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { KernelArgs } from './wasm-kernels-calls';

function poolGeometry(input: tf.TensorInfo, attrs: tf.NamedAttrMap | undefined) {
  const { filterSize, strides, pad, dimRoundingMode } = (attrs ?? {}) as unknown as tf.MaxPoolGradAttrs;
  const info = tf.backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    filterSize,
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  if (info.dataFormat !== 'channelsLast') throw new Error('wasm pooling gradients support only NHWC');
  return info;
}

type Pool2DInfo = ReturnType<typeof poolGeometry>;

/**
 * Calls `visit` once per output pixel with its batch index, the input rows [rFrom, rTo) and
 * columns [cFrom, cTo) its window covers (clipped to the image) and the offset of its channels in dy.
 */
function forEachWindow(
  g: Pool2DInfo,
  visit: (n: number, rFrom: number, rTo: number, cFrom: number, cTo: number, gBase: number) => void,
): void {
  const [H, W, OH, OW] = [g.inHeight, g.inWidth, g.outHeight, g.outWidth];
  const [sh, sw, fh, fw] = [g.strideHeight, g.strideWidth, g.filterHeight, g.filterWidth];
  const [padTop, padLeft] = [g.padInfo.top, g.padInfo.left];
  let gBase = 0;
  for (let n = 0; n < g.batchSize; n++) {
    for (let oh = 0; oh < OH; oh++) {
      const r0 = oh * sh - padTop;
      const rFrom = Math.max(0, r0);
      const rTo = Math.min(H, r0 + fh);
      for (let ow = 0; ow < OW; ow++, gBase += g.inChannels) {
        const c0 = ow * sw - padLeft;
        visit(n, rFrom, rTo, Math.max(0, c0), Math.min(W, c0 + fw), gBase);
      }
    }
  }
}

function maxPoolGrad({ inputs, attrs, backend }: KernelArgs): tf.TensorInfo {
  const wasm = backend as BackendWasm;
  const { dy, input } = inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
  const g = poolGeometry(input, attrs);
  const out = wasm.makeOutput(input.shape, 'float32');
  // Views are taken after makeOutput: allocating may grow (and detach) the wasm heap.
  const x = wasm.typedArrayFromHeap(input) as Float32Array;
  const grad = wasm.typedArrayFromHeap(dy) as Float32Array;
  const dx = wasm.typedArrayFromHeap(out) as Float32Array;
  dx.fill(0);

  const [C, H, W] = [g.inChannels, g.inHeight, g.inWidth];
  const best = new Float32Array(C);
  const at = new Int32Array(C);
  forEachWindow(g, (n, rFrom, rTo, cFrom, cTo, gBase) => {
    for (let c = 0; c < C; c++) {
      best[c] = -Infinity;
      at[c] = -1;
    }
    for (let r = rFrom; r < rTo; r++) {
      for (let col = cFrom; col < cTo; col++) {
        const base = ((n * H + r) * W + col) * C;
        for (let c = 0; c < C; c++) {
          const v = x[base + c]!;
          if (v > best[c]!) {
            best[c] = v;
            at[c] = base + c;
          }
        }
      }
    }
    for (let c = 0; c < C; c++) {
      const target = at[c]!;
      if (target >= 0) dx[target] = dx[target]! + grad[gBase + c]!;
    }
  });
  return out;
}

function avgPoolGrad({ inputs, attrs, backend }: KernelArgs): tf.TensorInfo {
  const wasm = backend as BackendWasm;
  const { dy, input } = inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
  const g = poolGeometry(input, attrs);
  const out = wasm.makeOutput(input.shape, 'float32');
  const grad = wasm.typedArrayFromHeap(dy) as Float32Array;
  const dx = wasm.typedArrayFromHeap(out) as Float32Array;
  dx.fill(0);

  const [C, H, W] = [g.inChannels, g.inHeight, g.inWidth];
  const scale = 1 / (g.filterHeight * g.filterWidth);
  forEachWindow(g, (n, rFrom, rTo, cFrom, cTo, gBase) => {
    for (let r = rFrom; r < rTo; r++) {
      for (let col = cFrom; col < cTo; col++) {
        const base = ((n * H + r) * W + col) * C;
        for (let c = 0; c < C; c++) dx[base + c] = dx[base + c]! + grad[gBase + c]! * scale;
      }
    }
  });
  return out;
}

/** MaxPoolGrad and AvgPoolGrad for 'wasm', replacing the stock ones. */
export const poolGradKernels: tf.KernelConfig[] = [
  { kernelName: tf.MaxPoolGrad, backendName: 'wasm', kernelFunc: maxPoolGrad },
  { kernelName: tf.AvgPoolGrad, backendName: 'wasm', kernelFunc: avgPoolGrad },
];
