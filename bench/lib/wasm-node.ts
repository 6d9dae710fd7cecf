/**
 * Starts TF.js's wasm backend in Node with Tensorloom's training kernels. In Node the package's
 * CommonJS entry finds its .wasm files next to itself (no setWasmPaths needed); the threaded build
 * is never chosen there, because tfjs reports WASM_HAS_MULTITHREAD_SUPPORT = false under Node and
 * its thread pool would need `blob:` worker URLs, which Node's Worker rejects.
 */
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { registerWasmTrainingKernels } from '../../workers/wasm-kernels';

export interface WasmInfo {
  simd: boolean;
  multithread: boolean;
  threads: number;
  /** The binary tfjs picks for these flags (tfjs-backend-wasm's own selection rule). */
  binary: string;
}

/** Activates 'wasm' with the training kernels registered and reports which build runs. */
export async function startWasm(): Promise<WasmInfo> {
  registerWasmTrainingKernels();
  if (!(await tf.setBackend('wasm'))) throw new Error("tf.setBackend('wasm') failed");
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
