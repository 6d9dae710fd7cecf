/**
 * Single-input layer nodes, driven through `validate(doc, registry)`: output shapes, parameter
 * counts worked out by hand, bounds on params, and the diagnostics users see.
 */
import { describe, expect, it } from 'vitest';
import { errorsOf, GraphBuilder, lastOf, shapeOf, validateChain, type Step } from '../test-helpers';

/** Input of the given shape followed by `steps`; returns the last node's analysis. */
function after(shape: number[], ...steps: Step[]) {
  return lastOf(validateChain([['Input', { shape }], ...steps]));
}

/** The invalid-params diagnostics of a lone node with these params. */
function paramErrors(type: string, params: Record<string, unknown>) {
  return errorsOf(validateChain([['Input', { shape: [8, 8, 4] }], [type, params]]).analysis, 'n1').filter(
    (d) => d.code === 'invalid-params',
  );
}

describe('Input', () => {
  it('uses its own shape when nothing feeds it', () => {
    expect(lastOf(validateChain(['Input'])).shape).toEqual([32, 32, 3]);
    expect(lastOf(validateChain([['Input', { shape: [7] }]])).shape).toEqual([7]);
  });

  it('rejects empty and non-positive shapes', () => {
    expect(lastOf(validateChain([['Input', { shape: [] }]])).errors.map((d) => d.param)).toEqual(['shape']);
    expect(lastOf(validateChain([['Input', { shape: [4, 0] }]])).errors.map((d) => d.param)).toEqual(['shape.1']);
  });
});

describe('Conv2D', () => {
  it('halves the side with stride 2 and same padding', () => {
    const conv = after([32, 32, 3], ['Conv2D', { kernelSize: 3, filters: 16, stride: 2, padding: 'same' }]);
    expect(conv.errors).toEqual([]);
    expect(conv.shape).toEqual([16, 16, 16]);
    // 3·3·3·16 = 432 weights + 16 biases.
    expect(conv.node.paramCount).toBe(448);
    // 2 FLOPs per multiply-add: 2 · 432 · 16 · 16.
    expect(conv.node.flops).toBe(221_184);
  });

  it('shrinks by kernel − 1 with valid padding', () => {
    const conv = after([32, 32, 3], ['Conv2D', { kernelSize: 5, filters: 8, padding: 'valid' }]);
    expect(conv.shape).toEqual([28, 28, 8]);
    // 5·5·3·8 = 600 weights + 8 biases.
    expect(conv.node.paramCount).toBe(608);
    // floor((32 − 3) / 2) + 1 = 15
    expect(after([32, 32, 3], ['Conv2D', { stride: 2, padding: 'valid' }]).shape).toEqual([15, 15, 16]);
  });

  it('appends an activation op only when asked', () => {
    expect(after([8, 8, 3], 'Conv2D').node.ops.map((o) => o.spec.op)).toEqual(['conv2d']);
    const relu = after([8, 8, 3], ['Conv2D', { activation: 'relu', useBias: false }]);
    expect(relu.node.ops.map((o) => o.spec.op)).toEqual(['conv2d', 'activation']);
    expect(relu.node.paramCount).toBe(3 * 3 * 3 * 16);
  });

  it('asks for a feature map', () => {
    const [error] = after([64], 'Conv2D').errors;
    expect(error).toMatchObject({ code: 'rank-mismatch', port: 'in' });
    expect(error!.message).toContain('[64]');
  });

  it('reports a kernel larger than a valid-padded input', () => {
    const [error] = after([4, 4, 3], ['Conv2D', { kernelSize: 5, padding: 'valid' }]).errors;
    expect(error?.code).toBe('shape-mismatch');
    expect(error!.message).toContain('does not fit input [4,4,3]');
  });

  it.each([
    ['filters', 0],
    ['kernelSize', 16],
    ['stride', 9],
    ['padding', 'full'],
  ])('rejects %s = %s', (param, value) => {
    const errors = paramErrors('Conv2D', { [param]: value });
    expect(errors.map((d) => d.param)).toEqual([param]);
    expect(errors[0]!.message).toContain(param);
  });
});

describe('Dense', () => {
  it('maps a vector to units outputs', () => {
    const dense = after([64], ['Dense', { units: 10 }]);
    expect(dense.shape).toEqual([10]);
    // 64·10 weights + 10 biases.
    expect(dense.node.paramCount).toBe(650);
    expect(dense.node.trainableParams).toBe(650);
    expect(after([64], ['Dense', { units: 10, useBias: false }]).node.paramCount).toBe(640);
  });

  it('lowers a non-linear activation into a second op', () => {
    const dense = after([64], ['Dense', { activation: 'softmax' }]);
    expect(dense.node.ops.map((o) => o.spec)).toEqual([
      { op: 'dense', units: 10, useBias: true },
      { op: 'activation', fn: 'softmax' },
    ]);
    expect(dense.shape).toEqual([10]);
  });

  it('on a feature map, offers to insert GlobalAvgPool, which fixes it', () => {
    const g = new GraphBuilder();
    const [, dense] = g.chain([['Input', { shape: [8, 8, 64] }], 'Dense']);
    const [error] = errorsOf(g.validate(), dense);
    expect(error).toMatchObject({
      code: 'rank-mismatch',
      port: 'in',
      fix: { kind: 'insert-node', nodeType: 'GlobalAvgPool', targetPort: 'in', label: 'Insert GlobalAvgPool' },
    });
    expect(error!.message).toContain('[8,8,64]');
    expect(error!.message).toMatch(/GlobalAvgPool.*Flatten/);

    g.applyFix(dense!, error!.fix!);
    const fixed = g.validate();
    expect(errorsOf(fixed)).toEqual([]);
    expect(fixed.nodes[dense!]!.paramCount).toBe(650);
  });

  it('on a 2-D input, offers to insert Flatten, which fixes it', () => {
    const g = new GraphBuilder();
    const [, dense] = g.chain([['Input', { shape: [4, 6] }], 'Dense']);
    const [error] = errorsOf(g.validate(), dense);
    expect(error?.fix).toMatchObject({ nodeType: 'Flatten', targetPort: 'in', label: 'Insert Flatten' });
    expect(error!.message).toContain('[4,6]');
    expect(error!.message).toContain('Flatten');

    g.insertOnEdge(dense!, 'in', 'Flatten');
    const fixed = g.validate();
    expect(errorsOf(fixed)).toEqual([]);
    // The flattened 24 features: 24·10 + 10.
    expect(fixed.nodes[dense!]!.paramCount).toBe(250);
  });

  it.each([
    ['units', 0],
    ['units', 65537],
    ['units', 2.5],
    ['useBias', 'yes'],
    ['activation', 'swish'],
  ])('rejects %s = %s', (param, value) => {
    expect(paramErrors('Dense', { [param]: value }).map((d) => d.param)).toEqual([param]);
  });
});

describe('BatchNorm', () => {
  it('keeps the shape; 4 weights per channel, 2 of them trainable', () => {
    const bn = after([16, 16, 32], 'BatchNorm');
    expect(bn.shape).toEqual([16, 16, 32]);
    // gamma, beta, moving mean, moving variance per channel: 4·32; gamma and beta train: 2·32.
    expect(bn.node.paramCount).toBe(128);
    expect(bn.node.trainableParams).toBe(64);
    expect(bn.node.ops[0]!.spec).toEqual({ op: 'batchNorm', momentum: 0.99, epsilon: 1e-3 });
  });

  it('normalizes the features of a vector', () => {
    const bn = after([10], 'BatchNorm');
    expect([bn.node.paramCount, bn.node.trainableParams]).toEqual([40, 20]);
  });

  it.each([
    ['momentum', 1.5],
    ['momentum', -0.1],
    ['epsilon', 0],
    ['epsilon', 0.2],
  ])('rejects %s = %s', (param, value) => {
    expect(paramErrors('BatchNorm', { [param]: value }).map((d) => d.param)).toEqual([param]);
  });
});

describe('Activation', () => {
  it('keeps the shape and has no weights', () => {
    const act = after([8, 8, 4], 'Activation');
    expect(act.shape).toEqual([8, 8, 4]);
    expect(act.node.paramCount).toBe(0);
    expect(act.node.ops[0]!.spec).toEqual({ op: 'activation', fn: 'relu' });
    expect(after([10], ['Activation', { fn: 'softmax' }]).node.ops[0]!.spec).toEqual({ op: 'activation', fn: 'softmax' });
  });

  it('rejects an unknown function', () => {
    expect(paramErrors('Activation', { fn: 'swish' }).map((d) => d.param)).toEqual(['fn']);
  });
});

describe.each([
  ['MaxPool', 'maxPool'],
  ['AvgPool', 'avgPool'],
])('%s', (type, op) => {
  it('halves height and width by default, keeping channels', () => {
    const pool = after([32, 32, 16], type);
    expect(pool.shape).toEqual([16, 16, 16]);
    expect(pool.node.paramCount).toBe(0);
    expect(pool.node.ops[0]!.spec).toEqual({ op, poolSize: [2, 2], strides: [2, 2], padding: 'valid' });
  });

  it('follows the padding rule for overlapping windows', () => {
    // valid: floor((32 − 3) / 2) + 1 = 15; same: ceil(32 / 2) = 16.
    expect(after([32, 32, 16], [type, { poolSize: 3, stride: 2 }]).shape).toEqual([15, 15, 16]);
    expect(after([32, 32, 16], [type, { poolSize: 3, stride: 2, padding: 'same' }]).shape).toEqual([16, 16, 16]);
  });

  it('needs a feature map', () => {
    const [error] = after([100], type).errors;
    expect(error).toMatchObject({ code: 'rank-mismatch', port: 'in' });
    expect(error!.message).toContain(`${type} needs a 3-D input`);
  });

  it('reports a window larger than a valid-padded input', () => {
    const [error] = after([4, 4, 3], [type, { poolSize: 8 }]).errors;
    expect(error?.code).toBe('shape-mismatch');
    expect(error!.message).toContain('[4,4,3]');
  });

  it.each([
    ['poolSize', 9],
    ['poolSize', 0],
    ['stride', 0],
    ['padding', 'causal'],
  ])('rejects %s = %s', (param, value) => {
    expect(paramErrors(type, { [param]: value }).map((d) => d.param)).toEqual([param]);
  });
});

describe('GlobalAvgPool', () => {
  it('averages each channel: [h,w,c] → [c]', () => {
    const gap = after([8, 8, 64], 'GlobalAvgPool');
    expect(gap.shape).toEqual([64]);
    expect(gap.node.paramCount).toBe(0);
  });

  it('needs a feature map', () => {
    expect(after([10], 'GlobalAvgPool').errors.map((d) => [d.code, d.port])).toEqual([['rank-mismatch', 'in']]);
  });
});

describe('Flatten', () => {
  it('unrolls every value', () => {
    expect(after([8, 8, 4], 'Flatten').shape).toEqual([256]);
    expect(after([10], 'Flatten').shape).toEqual([10]);
    expect(after([8, 8, 4], 'Flatten').node.paramCount).toBe(0);
  });
});

describe('Dropout', () => {
  it('keeps the shape and carries its rate', () => {
    const drop = after([128], ['Dropout', { rate: 0.25 }]);
    expect(drop.shape).toEqual([128]);
    expect(drop.node.ops[0]!.spec).toEqual({ op: 'dropout', rate: 0.25 });
    expect(after([128], ['Dropout', { rate: 0 }]).errors).toEqual([]);
  });

  it.each([0.96, -0.1])('rejects rate = %s', (rate) => {
    expect(paramErrors('Dropout', { rate }).map((d) => d.param)).toEqual(['rate']);
  });
});

describe('a small convnet end to end', () => {
  it('chains shapes and sums parameters across nodes', () => {
    const { analysis, ids } = validateChain([
      ['Input', { shape: [32, 32, 3] }],
      ['Conv2D', { filters: 8, activation: 'relu' }],
      'BatchNorm',
      'MaxPool',
      ['Conv2D', { filters: 16 }],
      'GlobalAvgPool',
      'Dropout',
      ['Dense', { units: 10 }],
    ]);
    expect(errorsOf(analysis)).toEqual([]);
    expect(ids.map((id) => shapeOf(analysis, id))).toEqual([
      [32, 32, 3],
      [32, 32, 8],
      [32, 32, 8],
      [16, 16, 8],
      [16, 16, 16],
      [16],
      [16],
      [10],
    ]);
    // conv 3·3·3·8+8 = 224, bn 4·8 = 32, conv 3·3·8·16+16 = 1168, dense 16·10+10 = 170.
    expect(analysis.totalParams).toBe(224 + 32 + 1168 + 170);
    expect(analysis.totalTrainableParams).toBe(224 + 16 + 1168 + 170);
  });
});
