/**
 * BatchMatMul with transposed operands for the wasm backend. tfjs-backend-wasm 4.22 sends only
 * plain products to XNNPACK and runs `transposeA`/`transposeB` through a scalar C++ loop; a dense
 * layer's backward pass is made of exactly those (dx = dy·Wᵀ, dW = xᵀ·dy), so a DQN update on a
 * 256-unit MLP spent most of its time there. Transposing explicitly first and then taking the
 * XNNPACK path is 2–3× quicker at these sizes.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { KernelScope } from './wasm-kernels-calls';

function swapLastTwo(rank: number): number[] {
  const perm = Array.from({ length: rank }, (_, i) => i);
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  return perm;
}

function batchMatMul(args: { inputs: tf.NamedTensorInfoMap; attrs?: tf.NamedAttrMap; backend: unknown }): tf.TensorInfo {
  const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
  const { transposeA, transposeB } = (args.attrs ?? {}) as unknown as tf.BatchMatMulAttrs;
  const scope = new KernelScope(args.backend as BackendWasm);
  const plain = (x: tf.TensorInfo, flip: boolean): tf.TensorInfo =>
    flip ? scope.run('Transpose', { x }, { perm: swapLastTwo(x.shape.length) }) : x;
  const product = scope.run('BatchMatMul', { a: plain(a, transposeA), b: plain(b, transposeB) }, { transposeA: false, transposeB: false });
  return scope.finish(product);
}

export const matMulKernels: tf.KernelConfig[] = [{ kernelName: tf.BatchMatMul, backendName: 'wasm', kernelFunc: batchMatMul }];

export const matMulDependencies = ['BatchMatMul', 'Transpose'];
