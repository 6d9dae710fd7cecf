/**
 * Makes the TF.js wasm backend able to train, and fast at it: registers the kernels a training
 * step needs that tfjs-backend-wasm 4.22 lacks (Conv2DBackpropFilter, tfjs#8474) or runs slowly or
 * wrongly (Conv2DBackpropInput, MaxPoolGrad, AvgPoolGrad, Tile, Identity, Cast, BatchMatMul
 * with transposed operands, FusedBatchNorm, Mean, Sum, ResizeNearestNeighborGrad, ResizeBilinearGrad; Conv2D, FusedConv2D and
 * DepthwiseConv2dNative with `same` padding at a stride wider than the filter). Every kernel is registered under backendName 'wasm' only, so webgpu, webgl and cpu
 * keep their own kernels; the two gradient configs replaced (FusedBatchNorm, Mean) delegate to the
 * stock ones on every other backend.
 */
import * as tf from '@tensorflow/tfjs';
import { captureKernel } from './wasm-kernels-calls';
import { convBackpropDependencies, convBackpropKernels } from './wasm-kernels-conv';
import { memoryDependencies, memoryKernels } from './wasm-kernels-memory';
import { registerWasmGradients } from './wasm-kernels-grads';
import { normDependencies, normKernels } from './wasm-kernels-norm';
import { matMulDependencies, matMulKernels } from './wasm-kernels-matmul';
import { poolGradKernels } from './wasm-kernels-pool';
import { resizeGradDependencies, resizeGradKernels } from './wasm-kernels-resize';
import { samePadDependencies, samePadKernels } from './wasm-kernels-same-pad';

const kernels: readonly tf.KernelConfig[] = [
  ...convBackpropKernels,
  ...poolGradKernels,
  ...memoryKernels,
  ...normKernels,
  ...matMulKernels,
  ...resizeGradKernels,
  ...samePadKernels,
];
const dependencies = [
  ...convBackpropDependencies,
  ...memoryDependencies,
  ...normDependencies,
  ...matMulDependencies,
  ...resizeGradDependencies,
  ...samePadDependencies,
];

let registered = false;

/**
 * Registers the wasm training kernels. Idempotent, and valid before or after
 * `tf.setBackend('wasm')`; `@tensorflow/tfjs-backend-wasm` must be imported first, because several
 * kernels are compositions of (or fall back to) the backend's stock kernels.
 */
export function registerWasmTrainingKernels(): void {
  if (registered) return;
  // Capture every stock kernel before any replacement, so compositions keep calling the originals.
  for (const name of dependencies) captureKernel(name);
  for (const config of kernels) {
    const stock = tf.getKernel(config.kernelName, 'wasm');
    // Unregistering first replaces the stock kernel without tfjs' duplicate-registration warning.
    if (stock) tf.unregisterKernel(config.kernelName, 'wasm');
    // The backend runs setupFuncs of the kernels registered when it initialises; keeping the stock
    // one binds the C++ entry point that a fallback to the captured stock kernel calls.
    tf.registerKernel(stock?.setupFunc ? { ...config, setupFunc: stock.setupFunc } : config);
  }
  registerWasmGradients();
  registered = true;
}

/** Names of the kernels `registerWasmTrainingKernels` installs for 'wasm'. */
export const wasmTrainingKernelNames: readonly string[] = kernels.map((k) => k.kernelName);
