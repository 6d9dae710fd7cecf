/** The Loss as reconstruction, the Dataset without labels and the Augmentation's corruption, through `validate` and `compile`. */
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/graph/compile';
import { registry } from '../registry';
import { addClassifier, errorsOf, GraphBuilder, type Step } from '../test-helpers';

/** Dataset → Input → layers → Loss (reconstruction; targets: the Dataset) → Optimizer. */
function autoencoder(layers: Step[], loss: Record<string, unknown> = { target: 'input', loss: 'mse' }, dataset: Record<string, unknown> = {}) {
  const g = new GraphBuilder();
  const data = g.add('Dataset', { useLabels: false, ...dataset });
  const ids = g.chain(['Input', ...layers], data);
  const lossId = g.add('Loss', loss, { predictions: ids.at(-1)!, targets: data });
  const optimizer = g.add('Optimizer', {}, { loss: lossId });
  return { g, loss: lossId, optimizer };
}

const encoder: Step[] = [['Conv2D', { filters: 8, stride: 2, activation: 'relu' }]];

describe('Loss as reconstruction', () => {
  it('accepts an output shaped like the input image, and compiles without labels', () => {
    const a = autoencoder([...encoder, ['Conv2DTranspose', { filters: 3, stride: 2 }]]);
    const analysis = a.g.validate();
    expect(errorsOf(analysis)).toEqual([]);
    expect(analysis.nodes[a.loss]!.outputs.loss).toEqual({ kind: 'loss', lossType: 'reconstruction-mse' });
    const r = compile(a.g.doc, registry);
    expect(r.ok).toBe(true);
  });

  it('offers a 1×1 Conv2D to 3 channels when only the channels differ, and the fix makes it compile', () => {
    const a = autoencoder([['Conv2D', { filters: 8 }]], { target: 'input', loss: 'l1' });
    const [error] = errorsOf(a.g.validate(), a.loss);
    expect(error).toMatchObject({ code: 'shape-mismatch', port: 'predictions' });
    expect(error!.message).toContain('[32,32,8]');
    expect(error!.message).toContain('[32,32,3]');
    expect(error!.fix).toMatchObject({ kind: 'insert-node', nodeType: 'Conv2D', params: { filters: 3, kernelSize: 1 }, targetPort: 'predictions' });
    a.g.applyFix(a.loss, error!.fix!);
    expect(errorsOf(a.g.validate())).toEqual([]);
    expect(compile(a.g.doc, registry).ok).toBe(true);
  });

  it('offers an Upsample when the output is a quarter of the image, then the Conv2D', () => {
    const a = autoencoder([['Conv2D', { filters: 8, stride: 4 }]]);
    const [first] = errorsOf(a.g.validate(), a.loss);
    expect(first!.message).toContain('up-sample it ×4, then a 1×1 Conv2D to 3 channels');
    expect(first!.fix).toMatchObject({ nodeType: 'Upsample', params: { factor: 4 } });
    a.g.applyFix(a.loss, first!.fix!);
    const [second] = errorsOf(a.g.validate(), a.loss);
    expect(second!.fix).toMatchObject({ nodeType: 'Conv2D', params: { filters: 3 } });
    a.g.applyFix(a.loss, second!.fix!);
    expect(errorsOf(a.g.validate())).toEqual([]);
  });

  it('gives no fix where no single layer helps (a vector, or a size that is not a power-of-two fraction)', () => {
    const vector = autoencoder(['GlobalAvgPool', ['Dense', { units: 3 }]]);
    const [v] = errorsOf(vector.g.validate(), vector.loss);
    expect(v!.message).toContain('outputs [3]');
    expect(v!.fix).toBeUndefined();
    const odd = autoencoder([['Conv2D', { filters: 3, kernelSize: 3, padding: 'valid' }]]);
    const [o] = errorsOf(odd.g.validate(), odd.loss);
    expect(o!.message).toContain('[30,30,3]');
    expect(o!.fix).toBeUndefined();
  });

  it('refuses cross-entropy as a reconstruction, with MSE as the fix', () => {
    const a = autoencoder([['Conv2D', { filters: 3 }]], { target: 'input', loss: 'softmaxCrossEntropy' });
    const [error] = errorsOf(a.g.validate(), a.loss);
    expect(error).toMatchObject({ code: 'incompatible-target', fix: { kind: 'set-params', params: { loss: 'mse' } } });
  });
});

describe('Dataset without labels', () => {
  it('refuses a classification loss and offers reconstruction', () => {
    const g = new GraphBuilder();
    const c = addClassifier(g, { dataset: { useLabels: false } });
    const [error] = errorsOf(g.validate(), c.loss);
    expect(error).toMatchObject({ code: 'incompatible-target', port: 'targets' });
    expect(error!.message).toContain('without labels');
    expect(error!.fix).toMatchObject({ kind: 'set-params', params: { target: 'input' } });
    expect(compile(g.doc, registry).ok).toBe(false);
  });

  it('says so on its card, and a class-balanced cap too', () => {
    expect(registry.Dataset.summary(registry.Dataset.params.parse({ useLabels: false }), new Map())).toContain('no labels');
    expect(registry.Dataset.summary(registry.Dataset.params.parse({ labelsPerClass: 100 }), new Map())).toContain('100/class');
  });
});

describe('Augmentation corruption', () => {
  it('refuses a masked patch larger than the image, offering a quarter of its side', () => {
    const g = new GraphBuilder();
    const [, aug] = g.chain([['Dataset', { source: 'synthetic', imageSize: 8 }], ['Augmentation', { maskPatches: 2, maskSize: 12 }]]);
    const [error] = errorsOf(g.validate(), aug);
    expect(error).toMatchObject({ param: 'maskSize', fix: { params: { maskSize: 2 } } });
    expect(error!.message).toContain('8-pixel images');
  });

  it('counts the reconstruction loss and the corrupted copy in the memory estimate', () => {
    const plain = autoencoder([...encoder, ['Conv2DTranspose', { filters: 3, stride: 2 }]]);
    const a = compile(plain.g.doc, registry);
    const g = new GraphBuilder();
    const data = g.add('Dataset', { useLabels: false });
    const ids = g.chain([['Augmentation', { maskPatches: 4 }], 'Input', ...encoder, ['Conv2DTranspose', { filters: 3, stride: 2 }]], data);
    g.add('Optimizer', {}, { loss: g.add('Loss', { target: 'input', loss: 'mse' }, { predictions: ids.at(-1)!, targets: data }) });
    const masked = compile(g.doc, registry);
    if (!a.ok || !masked.ok) throw new Error('the autoencoders should compile');
    const batch = a.memory.batchSize;
    // Five image-sized values per sample beyond the ops' own: 5 · 32·32·3 · 4 bytes.
    const opsOnly = a.memory.activationsBytes - batch * 5 * 32 * 32 * 3 * 4;
    expect(opsOnly).toBeGreaterThan(0);
    expect(masked.memory.activationsBytes).toBe(a.memory.activationsBytes);
    expect(masked.memory.inputBatchBytes).toBe((a.memory.inputBatchBytes * 3) / 2);
  });
});
