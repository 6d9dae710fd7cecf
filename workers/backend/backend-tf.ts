/**
 * The real backend try-functions for {@link selectBackend}: each loads its backend, activates it
 * and runs a tiny training step, so a backend that starts but cannot train (a missing gradient
 * kernel, a broken driver) is skipped up front instead of failing mid-run.
 */
import * as tf from '@tensorflow/tfjs';
import wasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import pthreadFactorySource from '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js?raw';
import type { Backend } from '../../src/graph/plan';
import type { BackendTry } from './backend';
import { registerFastCpuKernels } from './backend-cpu-kernels';
import { registerWasmTrainingKernels } from '../wasm-kernels/wasm-kernels';
import { onFault } from './liveness';

/**
 * A conv → batch statistics → relu → dense step with gradients, the kernels every conv net
 * needs. Throws when a kernel is missing or a result is not finite.
 */
export async function trainingSmokeTest(): Promise<void> {
  const g = tf.tidy(() => {
    const x = tf.randomUniform([2, 6, 6, 3], -1, 1, 'float32', 7) as tf.Tensor4D;
    const w = tf.variable(tf.randomNormal([3, 3, 3, 4], 0, 0.3, 'float32', 8));
    const d = tf.variable(tf.randomNormal([4, 2], 0, 0.3, 'float32', 9));
    const f = () => {
      const c = tf.conv2d(x, w as tf.Tensor4D, 2, 'same');
      const { mean, variance } = tf.moments(c, [0, 1, 2]);
      const n = tf.div(tf.sub(c, mean), tf.sqrt(tf.add(variance, 1e-3)));
      const pooled = tf.mean(tf.relu(tf.maxPool(n as tf.Tensor4D, 2, 1, 'same')), [1, 2]);
      return tf.losses.softmaxCrossEntropy(tf.oneHot([0, 1], 2), tf.matMul(pooled, d)) as tf.Scalar;
    };
    const { value, grads } = tf.variableGrads(f, [w, d]);
    const out = tf.concat([value.reshape([1]), grads[w.name]!.reshape([-1]), grads[d.name]!.reshape([-1])]);
    w.dispose();
    d.dispose();
    return out;
  });
  const values = await g.data();
  g.dispose();
  if (!values.every(Number.isFinite)) throw new Error('a training smoke test gave non-finite gradients');
}

async function activate(name: Backend): Promise<void> {
  if (!(await tf.setBackend(name))) throw new Error(`tf.setBackend('${name}') failed`);
  await tf.ready();
  await trainingSmokeTest();
}

/** The part of a WebGPU adapter this module reads (the `@webgpu/types` package is not installed). */
interface GpuAdapterLike {
  isFallbackAdapter?: boolean;
  info?: { isFallbackAdapter?: boolean; vendor?: string; architecture?: string; description?: string };
}

interface NavigatorGpu {
  gpu?: { requestAdapter(): Promise<GpuAdapterLike | null> };
}

/** SwiftShader and other CPU emulations of a GPU: correct, and slower than wasm at training. */
export function softwareGpuName(description: string): string | null {
  const match = /swiftshader|llvmpipe|softpipe|software|microsoft basic render/i.exec(description);
  return match ? match[0] : null;
}

const SOFTWARE_REASON = 'is a software (CPU-emulated) GPU, slower than wasm at training; pick it in the menu to use it anyway';

const tryWebgpu: BackendTry = async ({ fallbackAvailable }) => {
  const gpu = (globalThis.navigator as unknown as NavigatorGpu | undefined)?.gpu;
  if (!gpu) throw new Error('WebGPU is not available here (no navigator.gpu)');
  const adapter = await gpu.requestAdapter();
  if (!adapter) throw new Error('WebGPU found no GPU adapter');
  const info = adapter.info ?? {};
  const software = adapter.isFallbackAdapter || info.isFallbackAdapter ? 'fallback adapter' : softwareGpuName(`${info.vendor} ${info.architecture} ${info.description}`);
  if (software && fallbackAvailable) throw new Error(`the WebGPU adapter (${software}) ${SOFTWARE_REASON}`);
  await import('@tensorflow/tfjs-backend-webgpu');
  await activate('webgpu');
  // The e2e specs lose the device mid-run the way a driver reset does (development builds only).
  onFault('gpu-device-lost', () => (tf.backend() as unknown as { device?: { destroy(): void } }).device?.destroy());
};

/** The unmasked WebGL renderer string, or '' where the browser hides it. */
function webglRenderer(): string {
  const canvas = typeof OffscreenCanvas !== 'undefined' ? new OffscreenCanvas(1, 1) : document.createElement('canvas');
  const gl = canvas.getContext('webgl2') as WebGL2RenderingContext | null;
  if (!gl) return '';
  const debug = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = String(gl.getParameter(debug ? debug.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? '');
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return renderer;
}

const tryWebgl: BackendTry = async ({ fallbackAvailable }) => {
  if (typeof OffscreenCanvas === 'undefined' && typeof document === 'undefined') {
    throw new Error('WebGL needs OffscreenCanvas in a worker, which this browser lacks');
  }
  const software = softwareGpuName(webglRenderer());
  if (software && fallbackAvailable) throw new Error(`the WebGL renderer (${software}) ${SOFTWARE_REASON}`);
  await activate('webgl');
};

/**
 * Runs `start` with the threaded wasm build's pthread workers given Emscripten's own factory
 * source. tfjs hands its workers `factory.toString()` in a Blob, but in a minified bundle that
 * source refers to names the minifier moved outside it (the worker then dies with "e is not
 * defined" and training never starts), so while the backend starts, that one Blob's content is
 * swapped for the package's unminified file.
 */
async function withIntactPthreadFactory<T>(start: () => Promise<T>): Promise<T> {
  const NativeBlob = globalThis.Blob;
  class FactoryBlob extends NativeBlob {
    constructor(parts?: BlobPart[], options?: BlobPropertyBag) {
      const first = parts?.[0];
      super(typeof first === 'string' && first.startsWith('var WasmBackendModuleThreadedSimd = ') ? [pthreadFactorySource] : parts, options);
    }
  }
  globalThis.Blob = FactoryBlob;
  try {
    return await start();
  } finally {
    globalThis.Blob = NativeBlob;
  }
}

/**
 * XNNPACK threads for the threaded wasm build. tfjs's default is half the logical cores (it assumes
 * two hardware threads per core), which leaves a 2-core laptop on one thread: 1.4× slower at
 * ResNet-20 training than two (58.7 against 80.3 img/s on bench/train.html in Chromium here). Up to 2 cores,
 * use them all; beyond, keep tfjs's half (at least 2). Emscripten's pool holds 8 workers.
 */
export function wasmThreads(logicalCores: number | undefined): number {
  const cores = Math.max(1, Math.floor(logicalCores ?? 1));
  return Math.min(8, cores <= 2 ? cores : Math.max(2, Math.floor(cores / 2)));
}

/**
 * Runs `start` while `navigator.hardwareConcurrency` reads `cores`. The wasm module caps its thread
 * pool at half of that value, read once when the module is instantiated, whatever
 * `setThreadsCount` asks for; the real value is back as soon as `start` settles.
 */
export async function withReportedCores<T>(cores: number, start: () => Promise<T>): Promise<T> {
  const nav = globalThis.navigator as Navigator | undefined;
  if (!nav) return start();
  Object.defineProperty(nav, 'hardwareConcurrency', { get: () => cores, configurable: true });
  try {
    return await start();
  } finally {
    delete (nav as { hardwareConcurrency?: number }).hardwareConcurrency;
  }
}

/** The wasm try-function, with XNNPACK on `threads` threads (each worker has its own module). */
const wasmTry = (threads: number): BackendTry => async () => {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  wasm.setThreadsCount(threads);
  wasm.setWasmPaths({
    'tfjs-backend-wasm.wasm': wasmUrl,
    'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
    'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedUrl,
  });
  registerWasmTrainingKernels();
  await withIntactPthreadFactory(() => withReportedCores(2 * threads, () => activate('wasm')));
};

const tryCpu: BackendTry = async () => {
  registerFastCpuKernels();
  await activate('cpu');
};

/** Try-functions for every backend this build ships, for convolutional training (wasm threaded). */
export const browserBackendTries: Record<Backend, BackendTry> = {
  webgpu: tryWebgpu,
  webgl: tryWebgl,
  wasm: wasmTry(wasmThreads(globalThis.navigator?.hardwareConcurrency)),
  cpu: tryCpu,
};

/**
 * The same for the DQN worker, whose Q-network is a small MLP trained on batches of 32: there each
 * product is too small to split, and two threads' hand-offs made 20,000 driver steps take 240 s
 * in Chromium here instead of 129 s on one.
 */
export const rlBackendTries: Record<Backend, BackendTry> = { ...browserBackendTries, wasm: wasmTry(1) };
