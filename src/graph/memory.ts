/**
 * How much memory training a plan takes, and whether the backends it may run on can hold it.
 * Pure: derived from the plan's ops, so the editor, the CLI and tests agree, and a graph too big
 * for the browser is refused before Run instead of growing the page until it dies (issue 13 #3:
 * 4,096-filter ResNet, 2.75 G parameters, "Building the model" for minutes at 5.7 GB).
 */
import type { Diagnostic } from './diagnostics';
import type { OpSpec } from './ops';
import type { Backend, MemoryEstimate, ModelPlan } from './plan';
import { shapeSize } from './ports';

export type { MemoryEstimate };

/** Every tensor the trainer holds is float32. */
const BYTES_PER_VALUE = 4;

/** Optimizer state per trainable value: SGD keeps a momentum accumulator (TF.js `momentum` always does), Adam/AdamW two moments. */
export const OPTIMIZER_SLOTS: Readonly<Record<string, number>> = { sgd: 1, adam: 2, adamw: 2 };

/** How a plan trains, as far as memory goes. */
export interface TrainingShape {
  batchSize: number;
  batchSizeFrom: string;
  optimizer: string;
  /** Copies of the model's weights held (2 for DQN's online and target networks). */
  modelCopies: number;
  /** Copies of the input batch held at once. */
  inputCopies: number;
  /**
   * Values per sample the loss holds for backprop beyond the ops' own (a reconstruction's MSE on
   * an image output keeps ~5 image-sized tensors: difference, square, their gradients, the
   * target); 0 when omitted (a classifier's loss is a few values per class).
   */
  lossValuesPerSample?: number;
}

/**
 * Values a reconstruction loss keeps per output value, forward and backward: measured estimate /
 * peak 0.73 on a small autoencoder on wasm without this term, which these five values account for.
 */
export const RECONSTRUCTION_LOSS_VALUES = 5;

/**
 * Bytes of float32 a training step holds per value of an op's output, forward and backward
 * together: TF.js keeps what each kernel saves for its gradient (an op is several kernels) and
 * frees no activation gradient until the whole backward pass ends. Measured per op type on wasm
 * (the browser's fallback; Node, TF.js 4.22, Tensorloom's wasm kernels, `bench/memory.ts` and a
 * per-op scratch probe: the marginal peak of six more ops of one kind): conv 3.3, batch norm 5.0,
 * relu 2.3, dropout 5.5, add ~4.5, transposed conv 3.9–4.1 (stride 2 and 1), up-sampling 1.9–2.0
 * (nearest and bilinear alike) values per output value, rounded up here; dense, pools and
 * concat are not measured and taken as their nearest kin (dense as conv). The cpu backend holds
 * more for batch norm (15: its fused op is composed of generic kernels there), but it is the last
 * fallback and not bound by wasm32's 4 GiB.
 */
const KEPT_PER_OUTPUT_VALUE: Readonly<Record<OpSpec['op'], number>> = {
  input: 0,
  conv2d: 3.5,
  conv2dTranspose: 4.5,
  upsample: 2,
  dense: 3.5,
  batchNorm: 5,
  activation: 2.5,
  dropout: 5.5,
  add: 4.5,
  concat: 2,
  maxPool: 3,
  avgPool: 3,
  globalAvgPool: 3,
  // A reshape shares its input's data.
  flatten: 0,
};

/**
 * Estimates the peak bytes of live tensors during one training step of `model`. On the ResNet-20
 * preset at batch 64 it says 661 MB where wasm peaks at 637 MB (`bench/memory.ts`); cpu peaks at
 * 1.16 GB (its batch norm, see above).
 */
export function estimateTrainingMemory(model: ModelPlan, t: TrainingShape): MemoryEstimate {
  const slots = OPTIMIZER_SLOTS[t.optimizer] ?? 2;
  const b = BYTES_PER_VALUE;
  let activationValues = 0;
  let largestTensorBytes = 0;
  let largestTensorOp = model.output;
  let inputValues = 0;
  const byNode = new Map<string, number>();
  for (const op of model.ops) {
    const perSample = KEPT_PER_OUTPUT_VALUE[op.spec.op] * shapeSize(op.shape);
    if (op.spec.op === 'input') inputValues += shapeSize(op.shape);
    activationValues += perSample;
    const weightBytes = b * op.params * t.modelCopies + b * op.trainableParams * (1 + slots);
    const nodeBytes = weightBytes + Math.round(b * t.batchSize * perSample);
    byNode.set(op.nodeId, (byNode.get(op.nodeId) ?? 0) + nodeBytes);
    for (const [bytes, id] of [
      [b * op.params, op.id],
      [b * t.batchSize * shapeSize(op.shape), op.id],
    ] as const) {
      if (bytes > largestTensorBytes) [largestTensorBytes, largestTensorOp] = [bytes, id];
    }
  }
  activationValues += t.lossValuesPerSample ?? 0;
  const weightsBytes = b * model.totalParams * t.modelCopies;
  const gradientsBytes = b * model.trainableParams;
  const optimizerBytes = b * model.trainableParams * slots;
  const activationsBytes = Math.round(b * t.batchSize * activationValues);
  const inputBatchBytes = b * t.batchSize * inputValues * t.inputCopies;
  let dominantNodeId = model.ops[0]?.nodeId ?? '';
  let dominantNodeBytes = 0;
  for (const [nodeId, bytes] of byNode) if (bytes > dominantNodeBytes) [dominantNodeId, dominantNodeBytes] = [nodeId, bytes];
  return {
    batchSize: t.batchSize,
    batchSizeFrom: t.batchSizeFrom,
    weightsBytes,
    gradientsBytes,
    optimizer: t.optimizer,
    optimizerSlots: slots,
    optimizerBytes,
    activationsBytes,
    inputBatchBytes,
    totalBytes: weightsBytes + gradientsBytes + optimizerBytes + activationsBytes + inputBatchBytes,
    largestTensorBytes,
    largestTensorOp,
    dominantNodeId,
    dominantNodeBytes,
  };
}

/**
 * What one backend can hold for a training run, in bytes: all live tensors, and one tensor.
 * These are deliberately safe shares, not ceilings:
 * - wasm: tfjs's wasm32 heap cannot grow past 4 GiB and also holds kernel workspace and copies
 *   made while reading results, so half of it (2 GB) for live tensors.
 * - cpu: tensors are typed arrays in the worker; Chromium ends a tab well before 8 GB, and the
 *   dataset and page share that, so the same 2 GB.
 * - webgpu / webgl: the page cannot learn the GPU's memory; we assume a 4 GB GPU shared with the
 *   display and other tabs, half of it ours. WebGPU must also bind each tensor as one storage
 *   buffer: devices must allow 128 MiB (`maxStorageBufferBindingSize`'s guaranteed minimum), and
 *   TF.js asks for what the adapter reports, usually more.
 */
export interface BackendCapacity {
  liveBytes: number;
  /** One tensor this size is certain to fit. */
  tensorBytes: number;
}

const GB = 1e9;
const MiB = 1024 * 1024;

export const BACKEND_CAPACITY: Readonly<Record<Backend, BackendCapacity>> = {
  wasm: { liveBytes: 2 * GB, tensorBytes: 2 * GB },
  cpu: { liveBytes: 2 * GB, tensorBytes: 2 * GB },
  webgl: { liveBytes: 2 * GB, tensorBytes: 2 * GB },
  webgpu: { liveBytes: 2 * GB, tensorBytes: 128 * MiB },
};

/**
 * What the page's WebGPU adapter reports (`GPUAdapter.limits`), in bytes. TF.js asks its device for
 * these, and a tensor is one buffer bound whole as storage, so the smaller of the two is the
 * largest tensor that GPU can train with.
 */
export interface GpuLimits {
  maxBufferSize: number;
  maxStorageBufferBindingSize: number;
}

/** What the machine reports, where the page could learn it; absent parts keep the safe defaults above. */
export interface MemoryLimits {
  webgpu?: GpuLimits;
}

/** The largest tensor WebGPU can hold here: the adapter's figure when known, else the guaranteed minimum. */
export function webgpuTensorBytes(limits: MemoryLimits = {}): { bytes: number; reported: boolean } {
  const gpu = limits.webgpu;
  const reported = gpu ? Math.min(gpu.maxBufferSize, gpu.maxStorageBufferBindingSize) : NaN;
  // A nonsense report (0, negative, NaN) is treated as none: the guaranteed minimum still holds.
  return Number.isFinite(reported) && reported > 0 ? { bytes: reported, reported: true } : { bytes: BACKEND_CAPACITY.webgpu.tensorBytes, reported: false };
}

/**
 * Whether compiling with `limits` can say anything different from compiling without them: only when
 * the largest tensor is past the guaranteed size or past the reported one. Lets the editor keep a
 * large graph's compile when the adapter's answer arrives and changes nothing.
 */
export function limitsMatter(m: Pick<MemoryEstimate, 'largestTensorBytes'> | undefined, limits: MemoryLimits): boolean {
  if (!m) return false;
  return m.largestTensorBytes > Math.min(webgpuTensorBytes().bytes, webgpuTensorBytes(limits).bytes);
}

/** "44.1 GB", "61 MB", "820 kB": decimal units, as a browser's task manager shows them. */
export function formatBytes(bytes: number): string {
  const units: [number, string][] = [
    [1e12, 'TB'],
    [1e9, 'GB'],
    [1e6, 'MB'],
    [1e3, 'kB'],
  ];
  for (const [size, unit] of units) {
    if (bytes >= size) {
      const v = bytes / size;
      return `${v >= 100 ? Math.round(v) : Number(v.toPrecision(3))} ${unit}`;
    }
  }
  return `${Math.round(bytes)} B`;
}

const exact = new Intl.NumberFormat('en-US');

/** 2_750_000_000 → "2.75 G", 272_474 → "272 k": parameter counts as the issue and the cards say them. */
function formatParams(n: number): string {
  for (const [size, unit] of [[1e9, 'G'], [1e6, 'M'], [1e3, 'k']] as const) {
    if (n >= size) return `${Number((n / size).toPrecision(3))} ${unit}`;
  }
  return String(n);
}

/** The dominant node's own size setting, from its largest conv or dense op: filters or units. */
function sizeKnob(model: ModelPlan, nodeId: string): { name: string; value: number } | undefined {
  let best: { name: string; value: number; params: number } | undefined;
  for (const op of model.ops) {
    if (op.nodeId !== nodeId) continue;
    const knob = op.spec.op === 'conv2d' || op.spec.op === 'conv2dTranspose' ? { name: 'filters', value: op.spec.filters } : op.spec.op === 'dense' ? { name: 'units', value: op.spec.units } : undefined;
    if (knob && (!best || op.params > best.params)) best = { ...knob, params: op.params };
  }
  return best && { name: best.name, value: best.value };
}

/** Bytes of live tensors a run on `backends` can count on: the smallest share, as it may fall back to any. */
export function trainingBudget(backends: readonly Backend[]): number {
  return Math.min(...backends.map((be) => BACKEND_CAPACITY[be].liveBytes));
}

/** One line for the CLI and the summary's tooltip: the total and its parts. */
export function describeMemory(m: MemoryEstimate): string {
  const slots = m.optimizerSlots === 1 ? `${m.optimizer.toUpperCase()} momentum` : `${m.optimizer === 'sgd' ? 'SGD' : 'Adam'} moments`;
  return (
    `~${formatBytes(m.totalBytes)} to train at batch ${m.batchSize} (${m.batchSizeFrom}): ` +
    `weights ${formatBytes(m.weightsBytes)}, gradients ${formatBytes(m.gradientsBytes)}, ${slots} ${formatBytes(m.optimizerBytes)}, ` +
    `activations ${formatBytes(m.activationsBytes)}, input batch ${formatBytes(m.inputBatchBytes)}`
  );
}

/**
 * Errors and warnings for an estimate against the backends a plan may run on. The run falls back
 * down `backends` and a machine without a GPU trains on the last of them, so the whole estimate
 * must fit the smallest share. A tensor past what WebGPU can bind: with the adapter's reported
 * limits (`limits.webgpu`) that GPU certainly cannot train it, an error when WebGPU is the only
 * backend and a warning naming the way out otherwise; without them, past the guaranteed 128 MiB
 * it only warns, since most adapters allow more.
 */
export function memoryDiagnostics(model: ModelPlan, m: MemoryEstimate, backends: readonly Backend[], limits: MemoryLimits = {}): Diagnostic[] {
  const out: Diagnostic[] = [];
  const budget = trainingBudget(backends);
  const nodeParams = model.ops.filter((op) => op.nodeId === m.dominantNodeId).reduce((s, op) => s + op.params, 0);
  if (m.totalBytes > budget) {
    const knob = sizeKnob(model, m.dominantNodeId);
    const weighty = m.weightsBytes + m.gradientsBytes + m.optimizerBytes >= m.activationsBytes;
    const batch = m.batchSize > 1 ? 'the batch size' : undefined;
    const reduce = (weighty ? [knob?.name ?? 'the size of this layer', batch] : [batch, knob?.name]).filter(Boolean).join(' or ');
    const what = knob ? `${exact.format(knob.value)} ${knob.name} → ` : '';
    out.push({
      severity: 'error',
      code: 'out-of-memory',
      nodeId: m.dominantNodeId,
      message:
        `${what}${formatParams(nodeParams)} parameters here (${formatParams(model.totalParams)} in the model), ` +
        `~${formatBytes(m.totalBytes)} to train at batch ${m.batchSize}; this browser can hold ~${formatBytes(budget)}: reduce ${reduce}`,
    });
  }
  const gpuTensor = webgpuTensorBytes(limits);
  if (backends.includes('webgpu') && out.length === 0 && m.largestTensorBytes > gpuTensor.bytes) {
    const nodeId = model.ops.find((op) => op.id === m.largestTensorOp)?.nodeId ?? m.dominantNodeId;
    const size = `one tensor here takes ${formatBytes(m.largestTensorBytes)}`;
    if (!gpuTensor.reported) {
      out.push({ severity: 'warning', code: 'out-of-memory', nodeId, message: `${size}; WebGPU only guarantees ${formatBytes(gpuTensor.bytes)} per tensor, so some GPUs will not train it` });
    } else {
      const only = backends.every((be) => be === 'webgpu');
      const way = only ? 'reduce this layer or the batch size' : 'reduce this layer or the batch size, or pick wasm in the run panel';
      out.push({
        severity: only ? 'error' : 'warning',
        code: 'out-of-memory',
        nodeId,
        message: `${size}; this GPU's WebGPU holds at most ${formatBytes(gpuTensor.bytes)} per tensor, so it cannot train here: ${way}`,
      });
    }
  }
  return out;
}
