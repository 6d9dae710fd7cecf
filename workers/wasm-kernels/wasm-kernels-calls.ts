/**
 * Lets a wasm kernel be written as a composition of other wasm kernels, so the heavy arithmetic runs
 * in XNNPACK (or the backend's C++ loops) instead of JS loops over the heap.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

type KernelFunc = tf.KernelConfig['kernelFunc'];

/** What TF.js passes a kernel function: its named inputs, its attributes and the backend. */
export interface KernelArgs {
  inputs: tf.NamedTensorInfoMap;
  attrs?: tf.NamedAttrMap;
  backend: unknown;
}

/**
 * Kernel implementations captured when training kernels are registered, so a composite kernel keeps
 * calling the backend's own version even after a name is re-registered (Conv2DBackpropInput is).
 */
const captured = new Map<string, KernelFunc>();

/** Remembers the wasm backend's current implementation of `name`; throws when the backend lacks it. */
export function captureKernel(name: string): void {
  if (captured.has(name)) return;
  const config = tf.getKernel(name, 'wasm');
  if (!config) throw new Error(`wasm backend has no '${name}' kernel to build training kernels from`);
  captured.set(name, config.kernelFunc);
}

/** The captured stock implementation of `name`; throws when it was not captured. */
export function capturedKernel(name: string): KernelFunc {
  const kernel = captured.get(name);
  if (!kernel) throw new Error(`kernel '${name}' was not captured`);
  return kernel;
}

/**
 * Runs captured kernels against one backend and, in `finish`, frees every intermediate it produced
 * except the result. Reference counts make this safe when the result shares a buffer with an
 * intermediate (a Reshape of it): freeing the intermediate only drops its own reference.
 */
export class KernelScope {
  private readonly made: tf.TensorInfo[] = [];

  constructor(readonly backend: BackendWasm) {}

  run(name: string, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap = {}): tf.TensorInfo {
    const out = capturedKernel(name)({ inputs, attrs, backend: this.backend });
    const info = Array.isArray(out) ? out[0] : out;
    if (!info) throw new Error(`kernel '${name}' returned no tensor`);
    this.made.push(info);
    return info;
  }

  /** Tracks a tensor made outside `run` (a constant, a directly called kernel) for freeing. */
  adopt(info: tf.TensorInfo): tf.TensorInfo {
    this.made.push(info);
    return info;
  }

  /** Frees the intermediates; `result` survives because its reference is dropped from the list. */
  finish(result: tf.TensorInfo): tf.TensorInfo {
    for (const info of this.made) {
      if (info !== result) this.backend.disposeData(info.dataId);
    }
    this.made.length = 0;
    return result;
  }
}

/** A tensor's float32 data as the heap's float view and the index of its first element. */
export function floatsOf(backend: BackendWasm, info: tf.TensorInfo): { heap: Float32Array; at: number } {
  // The Emscripten module typings are not installed; HEAPF32 is the module's float view of the heap,
  // replaced when an allocation grows the heap: take it anew after allocating.
  const heap = (backend.wasm as unknown as { HEAPF32: Float32Array }).HEAPF32;
  return { heap, at: backend.dataIdMap.get(info.dataId)!.memoryOffset / 4 };
}
