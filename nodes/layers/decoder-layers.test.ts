/**
 * The decoder layers, Upsample and Conv2DTranspose, driven through `validate(doc, registry)`:
 * output sides by TensorFlow's rules (odd sizes, strides 2–4, same and valid), parameter counts and
 * FLOPs worked out by hand, bounds on params, and the diagnostics users see.
 */
import { describe, expect, it } from 'vitest';
import { errorsOf, GraphBuilder, lastOf, validateChain, type Step } from '../test-helpers';

function after(shape: number[], ...steps: Step[]) {
  return lastOf(validateChain([['Input', { shape }], ...steps]));
}

function paramErrors(type: string, params: Record<string, unknown>) {
  return errorsOf(validateChain([['Input', { shape: [8, 8, 4] }], [type, params]]).analysis, 'n1').filter(
    (d) => d.code === 'invalid-params',
  );
}

describe('Upsample', () => {
  it('doubles height and width by default, with no weights and no arithmetic', () => {
    const up = after([7, 5, 3], 'Upsample');
    expect(up.errors).toEqual([]);
    expect(up.shape).toEqual([14, 10, 3]);
    expect(up.node.paramCount).toBe(0);
    expect(up.node.flops).toBe(0);
    expect(up.node.ops.map((o) => o.spec)).toEqual([{ op: 'upsample', size: [2, 2], interpolation: 'nearest' }]);
  });

  it('multiplies by 4 and counts bilinear blending as four multiply-adds per output value', () => {
    const up = after([3, 3, 2], ['Upsample', { factor: 4, interpolation: 'bilinear' }]);
    expect(up.shape).toEqual([12, 12, 2]);
    // 12·12·2 = 288 output values · 8 FLOPs.
    expect(up.node.flops).toBe(2304);
  });

  it('asks for a feature map', () => {
    const [error] = after([10], 'Upsample').errors;
    expect(error).toMatchObject({ code: 'rank-mismatch', port: 'in' });
    expect(error!.message).toBe('Upsample needs a 3-D input [height,width,channels], got [10]');
  });

  it.each([
    ['factor', 3],
    ['factor', '2'],
    ['interpolation', 'bicubic'],
  ])('rejects %s = %s', (param, value) => {
    const errors = paramErrors('Upsample', { [param]: value });
    expect(errors.map((d) => d.param)).toEqual([param]);
  });
});

describe('Conv2DTranspose', () => {
  it('doubles the side with stride 2 and same padding, on an odd size', () => {
    const deconv = after([7, 7, 8], ['Conv2DTranspose', { filters: 4, kernelSize: 3, stride: 2, padding: 'same' }]);
    expect(deconv.errors).toEqual([]);
    expect(deconv.shape).toEqual([14, 14, 4]);
    // 3·3·8·4 = 288 weights + 4 biases.
    expect(deconv.node.paramCount).toBe(292);
    expect(deconv.node.trainableParams).toBe(292);
    // Each of the 7·7 input pixels scatters 288 multiply-adds: 2 · 288 · 49.
    expect(deconv.node.flops).toBe(28_224);
  });

  it.each([
    // [side, kernel, stride, padding, TF's output side]
    [7, 3, 2, 'valid', 15], // 7·2 + (3 − 2)
    [5, 5, 4, 'valid', 21], // 5·4 + (5 − 4)
    [5, 4, 4, 'valid', 20],
    [3, 2, 3, 'valid', 9], // kernel smaller than the stride: no overhang
    [9, 3, 1, 'valid', 11], // stride 1: grows by kernel − 1
    [9, 3, 1, 'same', 9],
    [5, 3, 3, 'same', 15],
    [1, 4, 4, 'same', 4],
  ] as const)('side %i, kernel %i, stride %i, %s → %i', (side, kernelSize, stride, padding, expected) => {
    const deconv = after([side, side, 2], ['Conv2DTranspose', { filters: 3, kernelSize, stride, padding }]);
    expect(deconv.shape).toEqual([expected, expected, 3]);
  });

  it('is undone in shape by a Conv2D with the same kernel, stride and padding', () => {
    for (const side of [1, 2, 5, 8]) {
      for (const stride of [1, 2, 3, 4]) {
        for (const kernelSize of [1, 2, 3, 5]) {
          for (const padding of ['same', 'valid'] as const) {
            const p = { filters: 2, kernelSize, stride, padding };
            const shape = after([side, side, 2], ['Conv2DTranspose', p], ['Conv2D', p]).shape;
            expect(shape, JSON.stringify({ side, ...p })).toEqual([side, side, 2]);
          }
        }
      }
    }
  });

  it('appends an activation op only when asked, and drops the bias when told', () => {
    expect(after([4, 4, 3], 'Conv2DTranspose').node.ops.map((o) => o.spec.op)).toEqual(['conv2dTranspose']);
    const relu = after([4, 4, 3], ['Conv2DTranspose', { activation: 'relu', useBias: false }]);
    expect(relu.node.ops.map((o) => o.spec.op)).toEqual(['conv2dTranspose', 'activation']);
    expect(relu.node.paramCount).toBe(3 * 3 * 3 * 16);
  });

  it('asks for a feature map', () => {
    const [error] = after([4, 16], 'Conv2DTranspose').errors;
    expect(error).toMatchObject({ code: 'rank-mismatch', port: 'in' });
    expect(error!.message).toContain('[4,16]');
  });

  it('warns when a kernel narrower than the stride leaves gaps, and offers to widen it', () => {
    const g = new GraphBuilder();
    const [, deconv] = g.chain([['Input', { shape: [4, 4, 3] }], ['Conv2DTranspose', { kernelSize: 2, stride: 3 }]]);
    const [warning] = g.validate().nodes[deconv!]!.diagnostics;
    expect(warning).toMatchObject({ severity: 'warning', param: 'kernelSize', fix: { kind: 'set-params', params: { kernelSize: 3 } } });
    expect(warning!.message).toContain('1 of every 3 output rows');
    g.applyFix(deconv!, warning!.fix!);
    const fixed = g.validate().nodes[deconv!]!;
    expect(fixed.diagnostics).toEqual([]);
    expect(fixed.outputs.out).toMatchObject({ shape: [12, 12, 16] });
  });

  it.each([
    ['filters', 0],
    ['kernelSize', 16],
    ['stride', 5],
    ['stride', 0],
    ['padding', 'full'],
  ])('rejects %s = %s', (param, value) => {
    const errors = paramErrors('Conv2DTranspose', { [param]: value });
    expect(errors.map((d) => d.param)).toEqual([param]);
    expect(errors[0]!.message).toContain(param);
  });
});
