/**
 * Data-movement kernels for the wasm backend that a training step calls on every activation.
 * The stock Identity and Cast copy with `TypedArray.set` between two views of the same heap, which
 * V8 runs element by element (~14 ms for 2 MB), and the stock Tile indexes every element in C++
 * (~40 ms to broadcast a channel vector over a 32×32×32×16 batch). Batch norm's gradient tiles and
 * Cast/Identity appear in moments and gradient plumbing, so these dominate a ResNet step unless
 * replaced.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { capturedKernel } from './wasm-kernels-calls';

interface Args {
  inputs: tf.NamedTensorInfoMap;
  attrs?: tf.NamedAttrMap;
  backend: object;
}

/** Tensors are immutable, so an identity can share the buffer; the cpu backend does the same. */
function identity({ inputs, backend }: Args): tf.TensorInfo {
  const { x } = inputs as { x: tf.TensorInfo };
  (backend as BackendWasm).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

function cast(args: Args): tf.TensorInfo {
  const { x } = args.inputs as { x: tf.TensorInfo };
  const { dtype } = (args.attrs ?? {}) as unknown as tf.CastAttrs;
  if (dtype === x.dtype) return identity(args);
  return capturedKernel('Cast')(args) as tf.TensorInfo;
}

const bytesPer: Record<string, number> = { float32: 4, int32: 4, bool: 1 };

/**
 * Writes x once per rep with block copies: the innermost axis is copied row by row, then each
 * finished block of an axis is replicated by doubling (`copyWithin` of 1, 2, 4, … blocks).
 */
function tile({ inputs, attrs, backend }: Args): tf.TensorInfo {
  const wasm = backend as BackendWasm;
  const { x } = inputs as { x: tf.TensorInfo };
  const { reps } = (attrs ?? {}) as unknown as tf.TileAttrs;
  const elementBytes = bytesPer[x.dtype];
  if (elementBytes === undefined || x.shape.length === 0) {
    return capturedKernel('Tile')({ inputs, attrs, backend: wasm }) as tf.TensorInfo;
  }
  const rank = x.shape.length;
  const outShape = x.shape.map((d, i) => d * reps[i]!);
  const out = wasm.makeOutput(outShape, x.dtype);
  if (tf.util.sizeFromShape(outShape) === 0) return out;
  // The Emscripten module typings are not installed; HEAPU8 is the module's byte view of the heap.
  const heap = (wasm.wasm as unknown as { HEAPU8: Uint8Array }).HEAPU8;
  const src = wasm.dataIdMap.get(x.dataId)!.memoryOffset;
  const dst = wasm.dataIdMap.get(out.dataId)!.memoryOffset;

  // Byte sizes of one index step along each axis, in the input and in the output.
  const inStep = new Array<number>(rank);
  const outStep = new Array<number>(rank);
  inStep[rank - 1] = elementBytes;
  outStep[rank - 1] = elementBytes;
  for (let d = rank - 2; d >= 0; d--) {
    inStep[d] = inStep[d + 1]! * x.shape[d + 1]!;
    outStep[d] = outStep[d + 1]! * outShape[d + 1]!;
  }
  const replicate = (at: number, blockBytes: number, times: number) => {
    let done = 1;
    while (done < times) {
      const n = Math.min(done, times - done);
      heap.copyWithin(at + done * blockBytes, at, at + n * blockBytes);
      done += n;
    }
  };
  const fill = (axis: number, from: number, to: number) => {
    const rows = x.shape[axis]!;
    const rowBytes = rows * outStep[axis]!;
    if (axis === rank - 1) {
      heap.copyWithin(to, from, from + rows * elementBytes);
    } else {
      for (let i = 0; i < rows; i++) fill(axis + 1, from + i * inStep[axis]!, to + i * outStep[axis]!);
    }
    replicate(to, rowBytes, reps[axis]!);
  };
  fill(0, src, dst);
  return out;
}

/** Identity, Cast and Tile for 'wasm', replacing the stock ones. */
export const memoryKernels: tf.KernelConfig[] = [
  { kernelName: tf.Identity, backendName: 'wasm', kernelFunc: identity },
  { kernelName: tf.Cast, backendName: 'wasm', kernelFunc: cast },
  { kernelName: tf.Tile, backendName: 'wasm', kernelFunc: tile },
];

/** Stock kernels the replacements fall back to. */
export const memoryDependencies = ['Cast', 'Tile'];
