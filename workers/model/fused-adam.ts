/**
 * Adam with one kernel per variable on the wasm and cpu backends. TF.js's AdamOptimizer runs ~14
 * element-wise kernels per variable each step (scale and add both moments, square, two bias
 * corrections, sqrt, add ε, divide, scale, add); for the RL agents' small MLPs the dispatch of
 * those ~84 kernels, not the arithmetic, was a third of a DQN update. Here one loop over each
 * variable's elements writes the new value and both moments into fresh outputs (never in place:
 * a target network's weights can share the buffers after `setWeights`).
 *
 * The math and the state are AdamOptimizer's: same moments (named `<var>/m`, `<var>/v`), same
 * running powers β₁ᵗ, β₂ᵗ (`accBeta1`, `accBeta2`), same class name, so `getWeights`,
 * `setWeights` and the checkpoint code (optimizer-state.ts) treat it as the stock Adam. The loop
 * computes in float64 and rounds once, so values differ from the stock kernels' in the last bits.
 * On other backends (webgl, webgpu) it is the stock AdamOptimizer.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

export const FUSED_ADAM_KERNEL = 'TensorloomAdamUpdate';

interface AdamAttrs {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  /** 1 − β₁ᵗ and 1 − β₂ᵗ: the bias corrections. */
  correction1: number;
  correction2: number;
}

/** Writes one variable's new value, first and second moments into `out` (x, m, v). */
function adamLoop(n: number, x: Float32Array, m: Float32Array, v: Float32Array, g: Float32Array, out: [Float32Array, Float32Array, Float32Array], a: AdamAttrs): void {
  const [ox, om, ov] = out;
  const { learningRate: lr, beta1: b1, beta2: b2, epsilon: eps, correction1: c1, correction2: c2 } = a;
  const k1 = 1 - b1;
  const k2 = 1 - b2;
  // x − lr·(m/c1) / (√(v/c2) + ε), with the constant factors taken out of the loop.
  const step = lr / c1;
  const root = 1 / Math.sqrt(c2);
  for (let i = 0; i < n; i++) {
    const gi = g[i]!;
    const mi = b1 * m[i]! + k1 * gi;
    const vi = b2 * v[i]! + k2 * gi * gi;
    om[i] = mi;
    ov[i] = vi;
    ox[i] = x[i]! - (step * mi) / (Math.sqrt(vi) * root + eps);
  }
}

interface KernelArgs {
  inputs: tf.NamedTensorInfoMap;
  attrs?: tf.NamedAttrMap;
  backend: object;
}

function wasmKernel({ inputs, attrs, backend }: KernelArgs): tf.TensorInfo[] {
  const wasm = backend as BackendWasm;
  const { x, m, v, g } = inputs as Record<'x' | 'm' | 'v' | 'g', tf.TensorInfo>;
  const outs = [wasm.makeOutput(x!.shape, 'float32'), wasm.makeOutput(x!.shape, 'float32'), wasm.makeOutput(x!.shape, 'float32')] as const;
  const n = tf.util.sizeFromShape(x!.shape);
  // The heap's float view is replaced when an allocation grows it: take it after allocating.
  const heap = (wasm.wasm as unknown as { HEAPF32: Float32Array }).HEAPF32;
  const view = (info: tf.TensorInfo): Float32Array => {
    const at = wasm.dataIdMap.get(info.dataId)!.memoryOffset / 4;
    return heap.subarray(at, at + n);
  };
  adamLoop(n, view(x!), view(m!), view(v!), view(g!), [view(outs[0]), view(outs[1]), view(outs[2])], attrs as unknown as AdamAttrs);
  return [...outs];
}

interface CpuBackend {
  data: { get(id: tf.DataId): { values: Float32Array } };
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: Float32Array): tf.TensorInfo;
}

function cpuKernel({ inputs, attrs, backend }: KernelArgs): tf.TensorInfo[] {
  const cpu = backend as CpuBackend;
  const { x, m, v, g } = inputs as Record<'x' | 'm' | 'v' | 'g', tf.TensorInfo>;
  const n = tf.util.sizeFromShape(x!.shape);
  const values = (info: tf.TensorInfo): Float32Array => cpu.data.get(info.dataId).values;
  const out: [Float32Array, Float32Array, Float32Array] = [new Float32Array(n), new Float32Array(n), new Float32Array(n)];
  adamLoop(n, values(x!), values(m!), values(v!), values(g!), out, attrs as unknown as AdamAttrs);
  return out.map((values) => cpu.makeTensorInfo([...x!.shape], 'float32', values));
}

const FUSED_BACKENDS = ['wasm', 'cpu'] as const;

function registerKernels(): void {
  for (const backendName of FUSED_BACKENDS) {
    if (tf.getKernel(FUSED_ADAM_KERNEL, backendName)) continue;
    tf.registerKernel({ kernelName: FUSED_ADAM_KERNEL, backendName, kernelFunc: (backendName === 'wasm' ? wasmKernel : cpuKernel) as unknown as tf.KernelFunc });
  }
}

/** AdamOptimizer's private state (tfjs-core 4.x field names). */
interface AdamInternals {
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: { originalName: string; variable: tf.Variable }[];
  accumulatedSecondMoment: { originalName: string; variable: tf.Variable }[];
  epsilon: number;
  incrementIterations(): void;
}

export class FusedAdamOptimizer extends tf.AdamOptimizer {
  constructor(learningRate: number, beta1 = 0.9, beta2 = 0.999, epsilon?: number) {
    super(learningRate, beta1, beta2, epsilon);
    registerKernels();
  }

  override applyGradients(variableGradients: Parameters<tf.AdamOptimizer['applyGradients']>[0]): void {
    if (!(FUSED_BACKENDS as readonly string[]).includes(tf.getBackend())) {
      super.applyGradients(variableGradients);
      return;
    }
    const self = this as unknown as AdamInternals;
    const names = Array.isArray(variableGradients) ? variableGradients.map((v) => v.name) : Object.keys(variableGradients);
    const power1 = self.accBeta1.dataSync()[0]!;
    const power2 = self.accBeta2.dataSync()[0]!;
    // As AdamOptimizer: the corrections are float32 (1 − accBeta in float32 arithmetic).
    const attrs: AdamAttrs = {
      learningRate: this.learningRate,
      beta1: this.beta1,
      beta2: this.beta2,
      epsilon: self.epsilon,
      correction1: Math.fround(1 - power1),
      correction2: Math.fround(1 - power2),
    };
    names.forEach((name, i) => {
      const value = tf.engine().registeredVariables[name]!;
      self.accumulatedFirstMoment[i] ??= { originalName: `${name}/m`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
      self.accumulatedSecondMoment[i] ??= { originalName: `${name}/v`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
      const gradient = Array.isArray(variableGradients) ? variableGradients[i]!.tensor : variableGradients[name];
      if (gradient == null) return;
      const m = self.accumulatedFirstMoment[i]!.variable;
      const v = self.accumulatedSecondMoment[i]!.variable;
      const [x2, m2, v2] = tf.engine().runKernel(FUSED_ADAM_KERNEL, { x: value, m, v, g: gradient }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
      m.assign(m2!);
      v.assign(v2!);
      value.assign(x2!);
      tf.dispose([x2!, m2!, v2!]);
    });
    tf.tidy(() => {
      // A float32 product, as the stock kernel computes it (exact in float64, then rounded once).
      self.accBeta1.assign(tf.scalar(Math.fround(power1 * Math.fround(this.beta1))));
      self.accBeta2.assign(tf.scalar(Math.fround(power2 * Math.fround(this.beta2))));
    });
    self.incrementIterations();
  }
}

/** `tf.train.adam` with the fused update where the backend has it. */
export function fusedAdam(learningRate: number, beta1?: number, beta2?: number, epsilon?: number): tf.AdamOptimizer {
  return new FusedAdamOptimizer(learningRate, beta1, beta2, epsilon);
}
