/**
 * Layers that join paths (Add, Concat) and the ResidualBlock that lowers into a join, through
 * `validate(doc, registry)`. Parameter counts are worked out by hand in the comments.
 */
import { describe, expect, it } from 'vitest';
import { errorsOf, GraphBuilder, lastOf, shapeOf, validateChain } from '../test-helpers';

/** Inputs of the given shapes feeding a merge node's ports a, b, c, d in order. */
function merge(type: 'Add' | 'Concat', ...shapes: number[][]) {
  const g = new GraphBuilder();
  const sources = shapes.map((shape) => g.add('Input', { shape }));
  const ports = ['a', 'b', 'c', 'd'];
  const node = g.add(type, {}, Object.fromEntries(sources.map((s, i) => [ports[i]!, s])));
  const analysis = g.validate();
  return { g, node, analysis, shape: shapeOf(analysis, node), errors: errorsOf(analysis, node) };
}

describe('Add', () => {
  it('sums equal shapes', () => {
    const add = merge('Add', [8, 8, 16], [8, 8, 16]);
    expect(add.errors).toEqual([]);
    expect(add.shape).toEqual([8, 8, 16]);
    expect(add.analysis.nodes[add.node]!.paramCount).toBe(0);
  });

  it('takes the optional third and fourth inputs', () => {
    const add = merge('Add', [10], [10], [10], [10]);
    expect(add.shape).toEqual([10]);
    expect(add.analysis.nodes[add.node]!.ops[0]!.inputs).toHaveLength(4);
  });

  it('needs both required inputs', () => {
    const add = merge('Add', [10]);
    expect(add.errors.map((d) => [d.code, d.port])).toEqual([['missing-input', 'b']]);
  });

  it('names both shapes and offers a strided 1×1 projection on the odd input', () => {
    const add = merge('Add', [16, 16, 32], [32, 32, 16]);
    expect(add.errors).toEqual([
      {
        severity: 'error',
        code: 'shape-mismatch',
        nodeId: add.node,
        port: 'b',
        message: 'Add needs equal shapes, got [16,16,32] and [32,32,16]',
        fix: {
          kind: 'insert-node',
          label: 'Insert 1×1 projection',
          nodeType: 'Conv2D',
          params: { kernelSize: 1, filters: 32, stride: 2, padding: 'same', useBias: false },
          targetPort: 'b',
        },
      },
    ]);
  });

  it('is valid once the suggested projection is inserted', () => {
    const add = merge('Add', [16, 16, 32], [32, 32, 16]);
    const fix = add.errors[0]!.fix!;
    const proj = add.g.applyFix(add.node, fix);
    const fixed = add.g.validate();
    expect(errorsOf(fixed)).toEqual([]);
    expect(shapeOf(fixed, add.node)).toEqual([16, 16, 32]);
    // 1·1·16·32 weights, no bias.
    expect(fixed.nodes[proj]!.paramCount).toBe(512);
  });

  it('projects channels alone with stride 1', () => {
    const add = merge('Add', [8, 8, 16], [8, 8, 32]);
    expect(add.errors[0]!.fix?.params).toEqual({ kernelSize: 1, filters: 16, stride: 1, padding: 'same', useBias: false });
  });

  it('finds the odd one among three inputs and names every shape', () => {
    const add = merge('Add', [4, 4, 8], [4, 4, 8], [8, 8, 8]);
    const [error] = add.errors;
    expect(error!.message).toBe('Add needs equal shapes, got [4,4,8] and [4,4,8] and [8,8,8]');
    expect(error!.port).toBe('c');
    expect(error!.fix).toMatchObject({ targetPort: 'c', params: { stride: 2, filters: 8 } });
  });

  it.each([
    ['the odd input is smaller (a stride cannot upsample)', [32, 32, 16], [16, 16, 32]],
    ['the spatial ratio is not a whole number', [16, 16, 8], [24, 24, 8]],
    ['height and width scale differently', [16, 16, 8], [32, 16, 8]],
    ['the ranks differ', [16], [4, 4, 1]],
  ])('offers no fix when %s', (_why, a, b) => {
    const [error] = merge('Add', a, b).errors;
    expect(error?.code).toBe('shape-mismatch');
    expect(error!.message).toContain(`[${a.join(',')}] and [${b.join(',')}]`);
    expect(error!.fix).toBeUndefined();
  });
});

describe('Concat', () => {
  it('joins feature maps on channels', () => {
    const cat = merge('Concat', [8, 8, 16], [8, 8, 8]);
    expect(cat.errors).toEqual([]);
    expect(cat.shape).toEqual([8, 8, 24]);
  });

  it('joins three vectors', () => {
    expect(merge('Concat', [10], [5], [3]).shape).toEqual([18]);
  });

  it.each([
    [[8, 8, 16], [4, 4, 8]],
    [[10], [2, 5]],
  ])('names the shapes when %j and %j do not line up', (a, b) => {
    const [error] = merge('Concat', a, b).errors;
    expect(error).toMatchObject({ code: 'shape-mismatch', port: 'b' });
    expect(error!.message).toContain(`[${a.join(',')}] and [${b.join(',')}]`);
  });
});

describe('ResidualBlock', () => {
  it('keeps the identity shortcut when stride and width stay', () => {
    const block = lastOf(validateChain([['Input', { shape: [16, 16, 16] }], ['ResidualBlock', { filters: 16 }]]));
    expect(block.errors).toEqual([]);
    expect(block.shape).toEqual([16, 16, 16]);
    expect(block.node.ops.map((o) => o.id.split('/')[1])).toEqual(['conv1', 'bn1', 'relu1', 'conv2', 'bn2', 'add', 'relu']);
    // conv1 3·3·16·16 = 2304, bn1 4·16 = 64, conv2 2304, bn2 64 (convs have no bias) → 4736.
    expect(block.node.paramCount).toBe(4736);
    // BN trains 2·16 each: 2304 + 32 + 2304 + 32.
    expect(block.node.trainableParams).toBe(4672);
  });

  it('projects the shortcut with a strided 1×1 conv when stride and width change', () => {
    const block = lastOf(validateChain([['Input', { shape: [32, 32, 16] }], ['ResidualBlock', { filters: 32, stride: 2 }]]));
    expect(block.errors).toEqual([]);
    expect(block.shape).toEqual([16, 16, 32]);
    const proj = block.node.ops.find((o) => o.id.endsWith('/proj'))!;
    expect(proj.spec).toMatchObject({ kernelSize: [1, 1], strides: [2, 2], filters: 32 });
    // conv1 3·3·16·32 = 4608, bn1 128, conv2 3·3·32·32 = 9216, bn2 128, proj 1·1·16·32 = 512,
    // projBn 128 → 14720.
    expect(block.node.paramCount).toBe(14_720);
    // 4608 + 64 + 9216 + 64 + 512 + 64.
    expect(block.node.trainableParams).toBe(14_528);
  });

  it('projects when only the width changes', () => {
    const block = lastOf(validateChain([['Input', { shape: [16, 16, 16] }], ['ResidualBlock', { filters: 32 }]]));
    expect(block.shape).toEqual([16, 16, 32]);
    expect(block.node.ops.some((o) => o.id.endsWith('/proj'))).toBe(true);
  });

  it('needs a feature map', () => {
    const [error] = lastOf(validateChain([['Input', { shape: [64] }], 'ResidualBlock'])).errors;
    expect(error).toMatchObject({ code: 'rank-mismatch', port: 'in' });
    expect(error!.message).toContain('[64]');
  });

  it.each([
    ['stride', 5],
    ['filters', 0],
    ['momentum', 2],
    ['epsilon', 0],
  ])('rejects %s = %s', (param, value) => {
    const block = lastOf(validateChain([['Input', { shape: [8, 8, 8] }], ['ResidualBlock', { [param]: value }]]));
    expect(block.errors.map((d) => [d.code, d.param])).toEqual([['invalid-params', param]]);
  });
});
