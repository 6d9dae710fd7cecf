/**
 * Starts TF.js's wasm backend in Node with Tensorloom's training kernels, on the threaded SIMD
 * build with one thread per CPU (see wasm-node-threads.ts: tfjs itself never threads in Node), or
 * single-threaded when that cannot start or `TENSORLOOM_WASM_THREADS=1` asks for it. In Node the
 * package's CommonJS entry finds its .wasm files next to itself (no setWasmPaths needed).
 */
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { registerWasmTrainingKernels } from '../../workers/wasm-kernels/wasm-kernels';
import { setWasmBackendThreaded } from './wasm-node-threads';

export interface WasmInfo {
  simd: boolean;
  multithread: boolean;
  threads: number;
  /** The binary tfjs picks for these flags (tfjs-backend-wasm's own selection rule). */
  binary: string;
}

/**
 * Activates 'wasm' with the training kernels registered and reports which build runs. `threads`
 * is what the app's worker would use (the RL worker: 1); `TENSORLOOM_WASM_THREADS` overrides it.
 */
export async function startWasm(o: { threads?: number } = {}): Promise<WasmInfo> {
  registerWasmTrainingKernels();
  const threads = Number(process.env.TENSORLOOM_WASM_THREADS ?? 0) || o.threads;
  const threaded = threads !== 1 && (await setWasmBackendThreaded(threads));
  if (!threaded && !(await tf.setBackend('wasm'))) throw new Error("tf.setBackend('wasm') failed");
  await tf.ready();
  const simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
  const multithread = Boolean(await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'));
  const binary = simd && multithread ? 'tfjs-backend-wasm-threaded-simd.wasm' : simd ? 'tfjs-backend-wasm-simd.wasm' : 'tfjs-backend-wasm.wasm';
  return { simd, multithread, threads: getThreadsCount(), binary };
}

/** Production mode: no debug checks, and no "install tfjs-node" banner in benchmark output. */
export function quietTfjs(): void {
  tf.enableProdMode();
}
