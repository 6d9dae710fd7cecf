/** Dataset and Augmentation nodes, through `validate(doc, registry)`. */
import { describe, expect, it } from 'vitest';
import type { PortValue } from '../../src/graph/ports';
import { errorsOf, GraphBuilder, shapeOf } from '../test-helpers';
import { Augmentation } from './augmentation';

function paramErrors(type: 'Dataset' | 'Augmentation', params: Record<string, unknown>) {
  const g = new GraphBuilder();
  const data = g.add('Dataset');
  const node = type === 'Dataset' ? g.add('Dataset', params) : g.add('Augmentation', params, { data });
  return errorsOf(g.validate(), node).filter((d) => d.code === 'invalid-params');
}

describe('Dataset', () => {
  it('gives CIFAR-10 images of 32×32×3 in 10 classes, which an Input takes on', () => {
    const g = new GraphBuilder();
    const [data, input] = g.chain(['Dataset', ['Input', { shape: [5] }]]);
    const analysis = g.validate();
    expect(errorsOf(analysis)).toEqual([]);
    expect(analysis.nodes[data!]!.outputs.data).toEqual({
      kind: 'dataset',
      name: 'CIFAR-10',
      sampleShape: [32, 32, 3],
      numClasses: 10,
    });
    expect(shapeOf(analysis, input!)).toEqual([32, 32, 3]);
  });

  it('takes a synthetic set its shape and classes from params', () => {
    const g = new GraphBuilder();
    const [data, input] = g.chain([['Dataset', { source: 'synthetic', imageSize: 16, channels: 1, numClasses: 4 }], 'Input']);
    const analysis = g.validate();
    expect(analysis.nodes[data!]!.outputs.data).toMatchObject({ sampleShape: [16, 16, 1], numClasses: 4, name: 'synthetic' });
    expect(shapeOf(analysis, input!)).toEqual([16, 16, 1]);
  });

  it.each([
    ['source', 'mnist'],
    ['validationSplit', 0.6],
    ['maxTrainImages', -1],
    ['numClasses', 1],
    ['imageSize', 3],
    ['channels', 2],
    ['samples', 15],
    ['seed', 1.5],
  ])('rejects %s = %s', (param, value) => {
    const errors = paramErrors('Dataset', { [param]: value });
    expect(errors.map((d) => d.param)).toEqual([param]);
    expect(errors[0]!.message).toContain(param);
  });
});

describe('Augmentation', () => {
  it('passes the dataset through, so the Input still sees its images', () => {
    const g = new GraphBuilder();
    const [data, aug, input] = g.chain(['Dataset', 'Augmentation', 'Input']);
    const analysis = g.validate();
    expect(errorsOf(analysis)).toEqual([]);
    expect(analysis.nodes[aug!]!.outputs.data).toEqual(analysis.nodes[data!]!.outputs.data);
    expect(shapeOf(analysis, input!)).toEqual([32, 32, 3]);
  });

  it('needs a dataset connected', () => {
    const g = new GraphBuilder();
    const aug = g.add('Augmentation');
    expect(errorsOf(g.validate(), aug).map((d) => [d.code, d.port])).toEqual([['missing-input', 'data']]);
  });

  it('refuses a tensor where it wants a dataset', () => {
    const g = new GraphBuilder();
    const [, aug] = g.chain(['Input', 'Augmentation']);
    expect(errorsOf(g.validate(), aug).map((d) => d.code)).toContain('incompatible-ports');
  });

  // No Dataset in the library makes non-image samples yet, so this rule is checked on its own.
  it('asks for images when pad + crop is on', () => {
    const vectors: PortValue = { kind: 'dataset', name: 'vectors', sampleShape: [20], numClasses: 3 };
    const p = Augmentation.params.parse({});
    expect(Augmentation.infer(p, { data: vectors }).issues).toMatchObject([{ code: 'invalid-shape', param: 'padCrop' }]);
    expect(Augmentation.infer({ ...p, padCrop: 0 }, { data: vectors })).toEqual({ outputs: { data: vectors } });
  });

  it.each([
    ['padCrop', 17],
    ['padCrop', -1],
    ['randomFlip', 1],
    ['normalize', 'zscore'],
  ])('rejects %s = %s', (param, value) => {
    expect(paramErrors('Augmentation', { [param]: value }).map((d) => d.param)).toEqual([param]);
  });
});
