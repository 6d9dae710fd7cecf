/**
 * The decoder layers' kernels on wasm against cpu: transposed convolution (forward, input and filter
 * gradients: Tensorloom's Conv2DBackpropInput runs its forward, Conv2D and Conv2DBackpropFilter its
 * backward) and up-sampling (Tensorloom's nearest and bilinear gradients, stock ones elsewhere), over odd sizes,
 * strides 2–4, same and valid padding.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerCpuResizeGrads } from '../backend/cpu-resize-grads';
import { forwardError, gradError, input, values } from './test-grad-check';
import { registerWasmTrainingKernels } from './wasm-kernels';

const TOL = 1e-4;

beforeAll(async () => {
  // The reference: tfjs-backend-cpu's own up-sampling gradients are wrong (see cpu-resize-grads.ts).
  registerCpuResizeGrads();
  registerWasmTrainingKernels();
  expect(await tf.setBackend('wasm')).toBe(true);
});

/** TF's output side of a transposed convolution (what the graph's inferOp says too). */
const side = (size: number, k: number, s: number, pad: 'same' | 'valid') => (pad === 'same' ? size * s : size * s + Math.max(k - s, 0));

type TransposeCase = { x: [number, number, number, number]; k: [number, number]; filters: number; s: number; pad: 'same' | 'valid' };

function transpose(c: TransposeCase) {
  const outShape: [number, number, number, number] = [c.x[0], side(c.x[1], c.k[0], c.s, c.pad), side(c.x[2], c.k[1], c.s, c.pad), c.filters];
  // TF.js keeps a transposed convolution's filter as [kh, kw, out channels, in channels].
  const wShape = [c.k[0], c.k[1], c.filters, c.x[3]];
  const f = (x: tf.Tensor, w: tf.Tensor) => tf.conv2dTranspose(x as tf.Tensor4D, w as tf.Tensor4D, outShape, c.s, c.pad);
  return { wShape, f, outShape };
}

/** A few more cases drawn from a fixed seed: sides 1–7, kernels 1–5, strides 2–4. */
function drawnCases(count: number): TransposeCase[] {
  const r = values(count * 7, 2024, 0, 1);
  const pick = (i: number, lo: number, hi: number) => lo + Math.floor(r[i]! * (hi - lo + 1));
  return Array.from({ length: count }, (_, n) => {
    const i = n * 7;
    return {
      x: [pick(i, 1, 2), pick(i + 1, 1, 7), pick(i + 2, 1, 7), pick(i + 3, 1, 4)],
      k: [pick(i + 4, 1, 5), pick(i + 4, 1, 5)],
      filters: pick(i + 5, 1, 4),
      s: pick(i + 6, 2, 4),
      pad: n % 2 === 0 ? 'same' : 'valid',
    };
  });
}

describe('transposed convolution on wasm', () => {
  const named: [string, TransposeCase][] = [
    ['3×3 stride 2 same, odd non-square input', { x: [2, 5, 7, 3], k: [3, 3], filters: 4, s: 2, pad: 'same' }],
    ['3×3 stride 2 valid (odd output)', { x: [2, 5, 5, 3], k: [3, 3], filters: 4, s: 2, pad: 'valid' }],
    ['4×4 stride 2 same', { x: [2, 4, 3, 5], k: [4, 4], filters: 3, s: 2, pad: 'same' }],
    ['4×4 stride 3 valid', { x: [1, 3, 4, 2], k: [4, 4], filters: 2, s: 3, pad: 'valid' }],
    ['5×5 stride 4 same', { x: [2, 3, 2, 3], k: [5, 5], filters: 2, s: 4, pad: 'same' }],
    ['2×2 stride 4 valid (kernel narrower than the stride)', { x: [2, 3, 3, 2], k: [2, 2], filters: 3, s: 4, pad: 'valid' }],
    ['1×1 stride 2 valid', { x: [2, 3, 5, 4], k: [1, 1], filters: 2, s: 2, pad: 'valid' }],
    ['3×3 stride 1 same', { x: [2, 6, 5, 4], k: [3, 3], filters: 3, s: 1, pad: 'same' }],
    ['a 1×1 image, 3×3 stride 2 same', { x: [3, 1, 1, 2], k: [3, 3], filters: 2, s: 2, pad: 'same' }],
  ];
  const cases = [...named, ...drawnCases(6).map((c) => [`drawn ${JSON.stringify(c)}`, c] as [string, TransposeCase])];

  it.each(cases)('%s: forward and both gradients match cpu', async (_name, c) => {
    const { wShape, f } = transpose(c);
    const inputs = [input(c.x, 1), input(wShape, 2)];
    expect(await forwardError(inputs, f)).toBeLessThan(TOL);
    expect(await gradError(inputs, f)).toBeLessThan(TOL);
  });

  it('tf.layers.conv2dTranspose with bias and relu trains the same on wasm as on cpu', async () => {
    const step = async (backend: string) => {
      await tf.setBackend(backend);
      return tf.tidy(() => {
        const layer = tf.layers.conv2dTranspose({ filters: 3, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' });
        const x = tf.tensor(input([2, 5, 3, 2], 3).data, [2, 5, 3, 2]);
        layer.build(x.shape);
        layer.setWeights([tf.tensor(input([3, 3, 3, 2], 4).data, [3, 3, 3, 2]), tf.tensor(input([3], 5).data, [3])]);
        const { grads } = tf.variableGrads(() => tf.sum(tf.square(layer.apply(x) as tf.Tensor)) as tf.Scalar, layer.trainableWeights.map((w) => w.read() as tf.Variable));
        return Object.values(grads).map((g) => g.dataSync() as Float32Array);
      });
    };
    const wasm = await step('wasm');
    const cpu = await step('cpu');
    expect(wasm).toHaveLength(2);
    wasm.forEach((g, i) => expect(Math.max(...g.map((v, j) => Math.abs(v - cpu[i]![j]!)))).toBeLessThan(TOL * Math.max(1, ...cpu[i]!.map(Math.abs))));
  });
});

describe('same padding at a stride wider than the filter on wasm', () => {
  // TF pads nothing here; the stock kernels (XNNPACK's SAME flag) were off by a relative error of 0.8–1.
  it.each([
    ['2×2 stride 4 over 28×20', [1, 28, 20, 4], 2, 4],
    ['2×2 stride 3 over 12×12', [2, 12, 12, 3], 2, 3],
    ['3×3 stride 4 over 9×14', [2, 9, 14, 2], 3, 4],
    ['1×1 stride 2 over 9×9', [2, 9, 9, 3], 1, 2],
  ] as [string, number[], number, number][])('%s: conv2d, fused conv2d and depthwise match cpu, with gradients', async (_name, shape, k, s) => {
    const c = shape[3]!;
    const x = input(shape, 8);
    const w = input([k, k, c, 2], 9);
    const conv = (a: tf.Tensor, b: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, s, 'same');
    const fused = (a: tf.Tensor, b: tf.Tensor) => tf.fused.conv2d({ x: a as tf.Tensor4D, filter: b as tf.Tensor4D, strides: s, pad: 'same', bias: tf.ones([2]), activation: 'relu' });
    const depthwise = (a: tf.Tensor, b: tf.Tensor) => tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, s, 'same');
    for (const f of [conv, fused]) {
      expect(await forwardError([x, w], f)).toBeLessThan(TOL);
      expect(await gradError([x, w], f)).toBeLessThan(TOL);
    }
    expect(await forwardError([x, input([k, k, c, 1], 10)], depthwise)).toBeLessThan(TOL);
  });
});

describe('up-sampling gradients on wasm', () => {
  type ResizeCase = [string, number[], [number, number], boolean];
  const cases: ResizeCase[] = [
    ['×2, odd non-square', [2, 5, 7, 3], [10, 14], false],
    ['×4, odd', [2, 3, 5, 2], [12, 20], false],
    ['×4 rows, ×2 columns', [1, 3, 3, 4], [12, 6], false],
    ['×2 rows only', [2, 3, 5, 2], [6, 5], false],
    ['a 1×1 image ×2', [3, 1, 1, 2], [2, 2], false],
    ['not a whole factor (stock kernel)', [2, 5, 7, 3], [11, 13], false],
    ['×3 (stock kernel)', [2, 3, 4, 2], [9, 12], false],
    ['aligned corners (stock kernel)', [2, 4, 5, 3], [8, 10], true],
  ];

  it.each(cases)('nearest %s matches cpu', async (_name, shape, size, alignCorners) => {
    const f = (x: tf.Tensor) => tf.image.resizeNearestNeighbor(x as tf.Tensor4D, size, alignCorners);
    expect(await forwardError([input(shape, 5)], f)).toBeLessThan(TOL);
    expect(await gradError([input(shape, 5)], f)).toBeLessThan(TOL);
  });

  it.each(cases)('bilinear %s matches cpu', async (_name, shape, size, alignCorners) => {
    const f = (x: tf.Tensor) => tf.image.resizeBilinear(x as tf.Tensor4D, size, alignCorners);
    expect(await forwardError([input(shape, 6)], f)).toBeLessThan(TOL);
    expect(await gradError([input(shape, 6)], f)).toBeLessThan(TOL);
  });

  it.each([tf.ResizeNearestNeighborGrad, tf.ResizeBilinearGrad])('%s leaves only its result behind', async (kernel) => {
    await tf.setBackend('wasm');
    const backend = tf.backend();
    const images = tf.zeros([2, 3, 5, 4]);
    const dy = tf.tensor(input([2, 6, 10, 4], 7).data, [2, 6, 10, 4]);
    const before = backend.numDataIds();
    const dx = tf.engine().runKernel(kernel, { images, dy }, { alignCorners: false }) as tf.Tensor;
    expect(dx.shape).toEqual([2, 3, 5, 4]);
    expect(backend.numDataIds()).toBe(before + 1);
    // Every dy value lands somewhere with weights summing to 1, in either kernel.
    expect(tf.sum(dx).arraySync()).toBeCloseTo(tf.sum(dy).arraySync() as number, 3);
    tf.dispose([images, dy, dx]);
  });
});
