/**
 * A faster BatchMatMul for the wasm backend when an operand is transposed. tfjs-backend-wasm 4.22
 * sends only plain products to XNNPACK and runs `transposeA`/`transposeB` through a scalar C++
 * loop; a dense layer's backward pass is made of exactly those (dx = dy·Wᵀ, dW = xᵀ·dy), so a DQN
 * update on a 256-unit MLP spent most of its time there. Transposing explicitly (the backend's own
 * Transpose kernel) and then taking the XNNPACK path is 2–3× quicker at these sizes.
 *
 * Belongs with the other wasm training kernels (workers/wasm-kernels.ts); it lives here until it
 * moves there, and is written so registering it twice, or after those, is harmless.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

type KernelFunc = tf.KernelConfig['kernelFunc'];

let registered = false;

function swapLastTwo(rank: number): number[] {
  const perm = Array.from({ length: rank }, (_, i) => i);
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  return perm;
}

/**
 * Replaces the wasm BatchMatMul with one that transposes operands up front. Requires
 * `@tensorflow/tfjs-backend-wasm` to be imported; call it before or after `setBackend('wasm')`.
 */
export function registerWasmMatMulTransposes(): void {
  if (registered) return;
  const stock = tf.getKernel('BatchMatMul', 'wasm');
  const transpose = tf.getKernel('Transpose', 'wasm');
  if (!stock || !transpose) throw new Error('the wasm backend is not loaded: import @tensorflow/tfjs-backend-wasm first');
  const matMul: KernelFunc = stock.kernelFunc;
  const transposeFunc: KernelFunc = transpose.kernelFunc;
  const kernelFunc: KernelFunc = ({ inputs, attrs, backend }) => {
    const { a, b } = inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const { transposeA, transposeB } = (attrs ?? {}) as unknown as tf.BatchMatMulAttrs;
    if (!transposeA && !transposeB) return matMul({ inputs, attrs, backend });
    const made: tf.TensorInfo[] = [];
    const plain = (x: tf.TensorInfo, flip: boolean): tf.TensorInfo => {
      if (!flip) return x;
      const t = transposeFunc({ inputs: { x }, attrs: { perm: swapLastTwo(x.shape.length) }, backend }) as tf.TensorInfo;
      made.push(t);
      return t;
    };
    const out = matMul({
      inputs: { a: plain(a, transposeA), b: plain(b, transposeB) },
      attrs: { transposeA: false, transposeB: false },
      backend,
    }) as tf.TensorInfo;
    for (const t of made) (backend as BackendWasm).disposeData(t.dataId);
    return out;
  };
  tf.unregisterKernel('BatchMatMul', 'wasm');
  tf.registerKernel({ kernelName: 'BatchMatMul', backendName: 'wasm', kernelFunc, ...(stock.setupFunc ? { setupFunc: stock.setupFunc } : {}) });
  registered = true;
}
