import { describe, expect, it } from 'vitest';
import { registry } from '../../nodes/registry';
import { chainDocument } from '../../workers/supervised/train-test-plans';
import { compile } from './compile';
import type { GraphDocument } from './document';
import { BACKEND_CAPACITY, formatBytes, limitsMatter, memoryDiagnostics, webgpuTensorBytes } from './memory';
import { presetDoc } from '../../presets/test-fixtures';

function withParams(doc: GraphDocument, match: (type: string) => boolean, params: Record<string, unknown>): GraphDocument {
  // Params are replaced, not mutated: the validator caches parsed params by object.
  doc.nodes = doc.nodes.map((n) => (match(n.type) ? { ...n, params: { ...n.params, ...params } } : n));
  return doc;
}

const mlp = (optimizer: Record<string, unknown>) =>
  chainDocument({
    dataset: { source: 'synthetic', numClasses: 4, imageSize: 4, channels: 1, samples: 16 },
    augmentation: null,
    layers: [['Flatten'], ['Dense', { units: 10 }], ['Dense', { units: 4 }]],
    optimizer,
  });

describe('memory estimate', () => {
  it('counts weights, gradients and one momentum slot for SGD, two moments for Adam', () => {
    // 16·10 + 10 + 10·4 + 4 = 214 trainable values.
    for (const [optimizer, slots] of [['sgd', 1], ['adam', 2], ['adamw', 2]] as const) {
      const r = compile(mlp({ optimizer, batchSize: 8 }), registry);
      if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join('; '));
      expect(r.plan.memory).toMatchObject({
        batchSize: 8,
        batchSizeFrom: "the Optimizer's batch size",
        weightsBytes: 214 * 4,
        gradientsBytes: 214 * 4,
        optimizerSlots: slots,
        optimizerBytes: 214 * 4 * slots,
        // Input 16 values × 8 samples, a raw and an augmented copy.
        inputBatchBytes: 16 * 8 * 4 * 2,
      });
      expect(r.memory).toBe(r.plan.memory);
    }
  });

  it('grows activations with the batch size and leaves the weights alone', () => {
    const at = (batchSize: number) => {
      const r = compile(withParams(presetDoc('resnet-cifar'), (t) => t === 'Optimizer', { batchSize }), registry);
      if (!r.ok) throw new Error('the preset does not compile');
      return r.plan.memory;
    };
    const [small, large] = [at(32), at(128)];
    expect(large.activationsBytes).toBe(4 * small.activationsBytes);
    expect(large.weightsBytes).toBe(small.weightsBytes);
  });

  it('counts both networks of a DQN agent at its batch size', () => {
    const r = compile(presetDoc('dqn-driver'), registry);
    if (!r.ok || r.plan.mode !== 'rl') throw new Error('the DQN preset does not compile');
    expect(r.plan.memory).toMatchObject({ batchSizeFrom: "the Agent's batch size", optimizerSlots: 2 });
    expect(r.plan.memory.weightsBytes).toBe(2 * 4 * r.plan.model.totalParams);
  });

  it('lets the ResNet preset train, with an estimate well inside the browser', () => {
    const r = compile(presetDoc('resnet-cifar'), registry);
    expect(r.ok).toBe(true);
    expect(r.memory!.totalBytes).toBeGreaterThan(100e6);
    expect(r.memory!.totalBytes).toBeLessThan(BACKEND_CAPACITY.wasm.liveBytes / 2);
  });

  it('refuses 4,096-filter convolutions before Run, on the node that dominates, with the figure and what to reduce', () => {
    const doc = withParams(presetDoc('resnet-cifar'), (t) => t === 'Conv2D' || t === 'ResidualBlock', { filters: 4096 });
    const r = compile(doc, registry);
    expect(r.ok).toBe(false);
    const errors = r.diagnostics.filter((d) => d.severity === 'error');
    expect(errors).toEqual([expect.objectContaining({ code: 'out-of-memory', nodeId: 'stage1-block1' })]);
    const message = errors[0]!.message;
    expect(message).toMatch(/^4,096 filters → 302 M parameters here \(2\.75 G in the model\), ~\d+ GB to train at batch 64/);
    expect(message).toContain('this browser can hold ~2 GB');
    expect(message).toMatch(/reduce the batch size or filters/);
    expect(r.memory!.totalBytes).toBeGreaterThan(40e9);
  });

  it('refuses a model whose weights alone are too big, naming the units', () => {
    const doc = chainDocument({
      dataset: { source: 'synthetic', numClasses: 4, imageSize: 32, channels: 3, samples: 16 },
      augmentation: null,
      layers: [['Flatten'], ['Dense', { units: 50_000 }], ['Dense', { units: 4 }]],
      optimizer: { optimizer: 'adam', batchSize: 1 },
    });
    const r = compile(doc, registry);
    const error = r.diagnostics.find((d) => d.code === 'out-of-memory')!;
    expect(error).toMatchObject({ severity: 'error', nodeId: 'n3' });
    expect(error.message).toMatch(/^50,000 units → 154 M parameters here .*: reduce units$/);
  });

  it('warns when one tensor is past what WebGPU guarantees but the whole fits', () => {
    const doc = chainDocument({
      dataset: { source: 'synthetic', numClasses: 4, imageSize: 32, channels: 3, samples: 16 },
      augmentation: null,
      layers: [['Flatten'], ['Dense', { units: 12_000 }], ['Dense', { units: 4 }]],
      optimizer: { optimizer: 'sgd', batchSize: 8 },
    });
    const r = compile(doc, registry);
    expect(r.ok).toBe(true);
    expect(r.diagnostics).toEqual([
      expect.objectContaining({ severity: 'warning', code: 'out-of-memory', nodeId: 'n3', message: expect.stringContaining('WebGPU') }),
    ]);
  });

  it('formats bytes as a task manager does', () => {
    expect([formatBytes(512), formatBytes(61_234_000), formatBytes(44.1e9)]).toEqual(['512 B', '61.2 MB', '44.1 GB']);
  });
});

describe("memory against the WebGPU adapter's reported limits", () => {
  const MiB = 1024 * 1024;
  /** Flatten 32×32×3 → Dense(units): one weight tensor of 3,072 × units float32. */
  const wide = (units: number) =>
    chainDocument({
      dataset: { source: 'synthetic', numClasses: 4, imageSize: 32, channels: 3, samples: 16 },
      augmentation: null,
      layers: [['Flatten'], ['Dense', { units }], ['Dense', { units: 4 }]],
      optimizer: { optimizer: 'sgd', batchSize: 8 },
    });
  const gpu = (maxBufferSize: number, maxStorageBufferBindingSize: number) => ({ webgpu: { maxBufferSize, maxStorageBufferBindingSize } });

  it('takes the smaller of the two limits, and keeps the guaranteed 128 MiB when none (or nonsense) is reported', () => {
    expect(webgpuTensorBytes(gpu(1024 * MiB, 256 * MiB))).toEqual({ bytes: 256 * MiB, reported: true });
    expect(webgpuTensorBytes(gpu(64 * MiB, 2048 * MiB))).toEqual({ bytes: 64 * MiB, reported: true });
    expect(webgpuTensorBytes()).toEqual({ bytes: 128 * MiB, reported: false });
    expect(webgpuTensorBytes(gpu(0, 256 * MiB))).toEqual({ bytes: 128 * MiB, reported: false });
    expect(webgpuTensorBytes(gpu(NaN, NaN))).toEqual({ bytes: 128 * MiB, reported: false });
  });

  it('drops the guessed warning when the adapter reports room for the tensor', () => {
    // 3,072 × 12,000 × 4 B = 147 MB: past the guaranteed 128 MiB, inside a 1 GiB adapter.
    const r = compile(wide(12_000), registry, undefined, { limits: gpu(1024 * MiB, 1024 * MiB) });
    expect(r.ok).toBe(true);
    expect(r.diagnostics).toEqual([]);
  });

  it("names the node and both figures when a tensor is past this adapter's limit", () => {
    // 3,072 × 8,000 × 4 B = 98.3 MB: inside the guaranteed 128 MiB, past a 64 MiB binding limit.
    expect(compile(wide(8000), registry).diagnostics).toEqual([]);
    const r = compile(wide(8000), registry, undefined, { limits: gpu(256 * MiB, 64 * MiB) });
    expect(r.ok).toBe(true);
    expect(r.diagnostics).toEqual([
      expect.objectContaining({
        severity: 'warning',
        code: 'out-of-memory',
        nodeId: 'n3',
        message: "one tensor here takes 98.3 MB; this GPU's WebGPU holds at most 67.1 MB per tensor, so it cannot train here: reduce this layer or the batch size, or pick wasm in the run panel",
      }),
    ]);
  });

  it('tells when the limits can change the result, so a compile without them may be kept', () => {
    const big = gpu(1024 * MiB, 1024 * MiB);
    const small = gpu(256 * MiB, 64 * MiB);
    expect(limitsMatter({ largestTensorBytes: 50 * MiB }, big)).toBe(false);
    expect(limitsMatter({ largestTensorBytes: 50 * MiB }, small)).toBe(false);
    expect(limitsMatter({ largestTensorBytes: 100 * MiB }, small)).toBe(true);
    expect(limitsMatter({ largestTensorBytes: 200 * MiB }, big)).toBe(true);
    expect(limitsMatter(undefined, small)).toBe(false);
    // The same answer as compiling both ways.
    for (const [units, limits] of [[1000, small], [8000, small], [8000, big], [12_000, big]] as const) {
      const without = compile(wide(units), registry);
      const withLimits = compile(wide(units), registry, undefined, { limits });
      expect(limitsMatter(without.memory, limits)).toBe(JSON.stringify(without.diagnostics) !== JSON.stringify(withLimits.diagnostics));
    }
  });

  it('is an error when WebGPU is the only backend the plan may use', () => {
    const r = compile(wide(8000), registry);
    if (!r.ok) throw new Error('the graph should compile');
    const limits = gpu(256 * MiB, 64 * MiB);
    expect(memoryDiagnostics(r.plan.model, r.memory, ['webgpu'], limits)).toEqual([
      expect.objectContaining({ severity: 'error', nodeId: 'n3', message: expect.stringContaining('reduce this layer or the batch size') }),
    ]);
    // Not on a plan that never touches WebGPU.
    expect(memoryDiagnostics(r.plan.model, r.memory, ['wasm', 'cpu'], limits)).toEqual([]);
  });
});
