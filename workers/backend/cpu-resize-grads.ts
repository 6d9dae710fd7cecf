/**
 * Up-sampling gradients for the TF.js `cpu` backend, which trains when nothing faster starts (and is
 * the reference the wasm kernels are tested against). tfjs-backend-cpu 4.22 gets both wrong:
 * - ResizeNearestNeighborGrad reads dy at the *input's* batch stride, so every image after the
 *   first takes its gradient from the wrong place in dy (batch 2, 1×1 → 2×2: 19 where 100 is right);
 * - ResizeBilinearGrad computes the right values but labels them [batch, width, height, channels],
 *   so any non-square input fails backprop with "the gradient … does not match the shape".
 * Both are rewritten here as one scatter over dy: each dy value adds to the pixels that the forward
 * pass read it from, with the forward pass's own index rules (alignCorners, no half-pixel centres:
 * the gradient op carries only alignCorners).
 */
import * as tf from '@tensorflow/tfjs';

interface CpuBackendLike {
  data: { get(id: object): { values: ArrayLike<number> } };
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: Float32Array): tf.TensorInfo;
}

interface Geometry {
  batch: number;
  inH: number;
  inW: number;
  depth: number;
  outH: number;
  outW: number;
  /** Input pixels per output pixel along each axis, as TF.js's resize kernels compute it. */
  scaleH: number;
  scaleW: number;
}

function geometry(images: tf.TensorInfo, dy: tf.TensorInfo, alignCorners: boolean): Geometry {
  const [batch, inH, inW, depth] = images.shape as [number, number, number, number];
  const [, outH, outW] = dy.shape as [number, number, number, number];
  const scale = (inSize: number, outSize: number) =>
    alignCorners && outSize > 1 ? (inSize - 1) / (outSize - 1) : inSize / outSize;
  return { batch, inH, inW, depth, outH, outW, scaleH: scale(inH, outH), scaleW: scale(inW, outW) };
}

type KernelArgs = { inputs: tf.NamedTensorInfoMap; attrs?: tf.NamedAttrMap; backend: unknown };

/** What both gradients start from: the geometry, dy's values and a zeroed dx the size of images. */
function gradInputs(args: KernelArgs) {
  const { images, dy } = args.inputs as { images: tf.TensorInfo; dy: tf.TensorInfo };
  const alignCorners = Boolean((args.attrs as { alignCorners?: boolean } | undefined)?.alignCorners);
  const backend = args.backend as CpuBackendLike;
  const g = geometry(images, dy, alignCorners);
  const dyValues = backend.data.get(dy.dataId).values;
  const dx = new Float32Array(g.batch * g.inH * g.inW * g.depth);
  return { images, alignCorners, backend, g, dyValues, dx };
}

function nearestGrad(args: KernelArgs): tf.TensorInfo {
  const { images, alignCorners, backend, g, dyValues, dx } = gradInputs(args);
  const source = (at: number, scale: number, size: number) => Math.min(size - 1, alignCorners ? Math.round(at * scale) : Math.floor(at * scale));
  const cols = Int32Array.from({ length: g.outW }, (_, c) => source(c, g.scaleW, g.inW));
  let read = 0;
  for (let b = 0; b < g.batch; b++) {
    for (let r = 0; r < g.outH; r++) {
      const rowStart = (b * g.inH + source(r, g.scaleH, g.inH)) * g.inW;
      for (let c = 0; c < g.outW; c++) {
        const to = (rowStart + cols[c]!) * g.depth;
        for (let d = 0; d < g.depth; d++) dx[to + d]! += dyValues[read++]!;
      }
    }
  }
  return backend.makeTensorInfo([...images.shape], 'float32', dx);
}

function bilinearGrad(args: KernelArgs): tf.TensorInfo {
  const { images, backend, g, dyValues, dx } = gradInputs(args);
  const taps = (size: number, outSize: number, scale: number) =>
    Array.from({ length: outSize }, (_, i) => {
      const at = i * scale;
      const lo = Math.floor(at);
      return { lo, hi: Math.min(lo + 1, size - 1), frac: at - lo };
    });
  const rows = taps(g.inH, g.outH, g.scaleH);
  const cols = taps(g.inW, g.outW, g.scaleW);
  const pixel = (b: number, r: number, c: number) => ((b * g.inH + r) * g.inW + c) * g.depth;
  let read = 0;
  for (let b = 0; b < g.batch; b++) {
    for (const row of rows) {
      for (const col of cols) {
        const tl = pixel(b, row.lo, col.lo);
        const tr = pixel(b, row.lo, col.hi);
        const bl = pixel(b, row.hi, col.lo);
        const br = pixel(b, row.hi, col.hi);
        const wTop = 1 - row.frac;
        for (let d = 0; d < g.depth; d++) {
          const v = dyValues[read++]!;
          dx[tl + d]! += v * wTop * (1 - col.frac);
          dx[tr + d]! += v * wTop * col.frac;
          dx[bl + d]! += v * row.frac * (1 - col.frac);
          dx[br + d]! += v * row.frac * col.frac;
        }
      }
    }
  }
  return backend.makeTensorInfo([...images.shape], 'float32', dx);
}

/** The corrected kernels, for the cpu backend only. */
export const cpuResizeGradKernels: tf.KernelConfig[] = [
  { kernelName: tf.ResizeNearestNeighborGrad, backendName: 'cpu', kernelFunc: nearestGrad as tf.KernelFunc },
  { kernelName: tf.ResizeBilinearGrad, backendName: 'cpu', kernelFunc: bilinearGrad as tf.KernelFunc },
];

/** Replaces the cpu backend's two up-sampling gradients with the corrected ones. */
export function registerCpuResizeGrads(): void {
  for (const config of cpuResizeGradKernels) {
    if (tf.getKernel(config.kernelName, 'cpu')?.kernelFunc === config.kernelFunc) continue;
    if (tf.getKernel(config.kernelName, 'cpu')) tf.unregisterKernel(config.kernelName, 'cpu');
    tf.registerKernel(config);
  }
}
