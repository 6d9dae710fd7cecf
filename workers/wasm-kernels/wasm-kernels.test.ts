/**
 * Gradients (and the replaced forward kernels) on the wasm backend against the cpu backend, which
 * serves as the reference implementation. Every case runs the same function on both backends from
 * the same Float32Array inputs.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { forwardError, gradError, input } from './test-grad-check';
import { registerWasmTrainingKernels, wasmTrainingKernelNames } from './wasm-kernels';
import { setPatchGradLimit, usePatchGrad } from './wasm-kernels-patch-grad';

const TOL = 1e-4;

const stockCpuKernels = new Map<string, tf.KernelConfig | undefined>();
let stockBatchNormGrad: tf.GradConfig | undefined;

beforeAll(async () => {
  for (const name of wasmTrainingKernelNames) stockCpuKernels.set(name, tf.getKernel(name, 'cpu'));
  stockBatchNormGrad = tf.getGradient(tf.FusedBatchNorm);
  // Registered before the backend initialises (as the app does); the train test covers after.
  registerWasmTrainingKernels();
  expect(await tf.setBackend('wasm')).toBe(true);
});

describe('conv2d gradients on wasm', () => {
  type Pad = 'same' | 'valid' | [[0, 0], [number, number], [number, number], [0, 0]];
  const cases: [string, number[], number[], number, Pad][] = [
    ['3×3 stride 1 same', [2, 9, 9, 3], [3, 3, 3, 4], 1, 'same'],
    ['3×3 stride 2 same, even size', [2, 8, 8, 3], [3, 3, 3, 4], 2, 'same'],
    ['3×3 stride 2 same, odd size', [2, 9, 9, 3], [3, 3, 3, 4], 2, 'same'],
    ['3×3 stride 1 valid', [2, 9, 9, 3], [3, 3, 3, 4], 1, 'valid'],
    ['3×3 stride 2 valid (drops a row)', [2, 8, 8, 3], [3, 3, 3, 4], 2, 'valid'],
    ['1×1 stride 1', [2, 6, 6, 5], [1, 1, 5, 6], 1, 'valid'],
    ['1×1 stride 2 (projection shortcut)', [2, 8, 8, 5], [1, 1, 5, 6], 2, 'same'],
    ['5×5 stride 1 same, non-square input', [2, 10, 7, 3], [5, 5, 3, 2], 1, 'same'],
    ['4×2 stride 3 valid', [2, 10, 7, 3], [4, 2, 3, 2], 3, 'valid'],
    ['5×5 stride 2 same, even size (polyphase)', [2, 8, 6, 3], [5, 5, 3, 4], 2, 'same'],
    ['4×2 stride 2 valid, even size (polyphase)', [2, 8, 6, 3], [4, 2, 3, 2], 2, 'valid'],
    ['3×3 stride 3 same, size divisible by 3 (polyphase)', [2, 9, 6, 2], [3, 3, 2, 3], 3, 'same'],
    ['2×2 stride 4 valid (filter smaller than the stride: stuffed)', [2, 8, 8, 2], [2, 2, 2, 3], 4, 'valid'],
    ['3×3 stride 2 valid, even size, a phase with one tap less (polyphase)', [2, 10, 8, 2], [3, 3, 2, 3], 2, 'valid'],
    // Stride-1 filter gradients run on the padded grid; these pack dy (more input channels) or x.
    ['3×3 stride 1 same, more input than output channels (grid packs dy)', [3, 9, 7, 5], [3, 3, 5, 3], 1, 'same'],
    ['3×3 stride 1 same, equal channels (grid packs dy)', [2, 7, 7, 4], [3, 3, 4, 4], 1, 'same'],
    ['3×3 stride 1 valid, more input channels', [2, 8, 9, 6], [3, 3, 6, 2], 1, 'valid'],
    ['2×2 stride 1 same (padding only after)', [2, 7, 6, 3], [2, 2, 3, 4], 1, 'same'],
    ['4×3 stride 1 same, non-square', [2, 9, 6, 4], [4, 3, 4, 2], 1, 'same'],
    ['3×3 stride 1, explicit padding wider than the filter', [2, 6, 5, 3], [3, 3, 3, 2], 1, [[0, 0], [3, 1], [2, 4], [0, 0]]],
    ['3×3 stride 1 same, one image one channel', [1, 5, 5, 1], [3, 3, 1, 1], 1, 'same'],
    // Maps of at most 16 output pixels take x's patches (as strided filters do), larger ones the grid.
    ['3×3 stride 1 same on 4×4 (patches; 5×5 and up take the grid)', [2, 4, 4, 5], [3, 3, 5, 6], 1, 'same'],
    ['3×3 stride 1 same on 2×2, more channels than pixels (patches)', [3, 2, 2, 9], [3, 3, 9, 7], 1, 'same'],
    ['3×3 stride 1 valid on 6×5 (patches: 4×3 out)', [2, 6, 5, 3], [3, 3, 3, 2], 1, 'valid'],
    ['2×2 stride 2 valid, a patchify stem (patches)', [2, 8, 8, 3], [2, 2, 3, 5], 2, 'valid'],
  ];
  const conv = (stride: number, pad: Pad) => (x: tf.Tensor, w: tf.Tensor) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, stride, pad);
  it.each(cases)('%s matches cpu', async (_name, xShape, wShape, stride, pad) => {
    expect(await gradError([input(xShape, 1), input(wShape, 2)], conv(stride, pad))).toBeLessThan(TOL);
  });

  it('with patches over their size limit, strided and small-map filters take the other paths and still match cpu', async () => {
    const previous = setPatchGradLimit(0);
    try {
      for (const [, xShape, wShape, stride, pad] of cases.filter(([, , , stride, pad]) => stride > 1 || pad === 'same')) {
        expect(await gradError([input(xShape, 1), input(wShape, 2)], conv(stride, pad))).toBeLessThan(TOL);
      }
    } finally {
      setPatchGradLimit(previous);
    }
  });

  it('chooses patches for strided filters and maps of at most 16 output pixels, within the size limit', () => {
    const g = (out: number, stride: number, batch = 2) => ({
      batch, inHeight: out * stride, inWidth: out * stride, inChannels: 4, outHeight: out, outWidth: out, outChannels: 4,
      filterHeight: 3, filterWidth: 3, strideHeight: stride, strideWidth: stride, padTop: 1, padLeft: 1,
    });
    expect([usePatchGrad(g(4, 1)), usePatchGrad(g(8, 1)), usePatchGrad(g(16, 2))]).toEqual([true, false, true]);
    // 9 taps × 4 channels × 64 images × 128×128 pixels = 37.7M floats: over the 16M-float limit.
    expect(usePatchGrad(g(128, 2, 64))).toBe(false);
  });

  it('the patch filter gradient leaves no tensors behind', async () => {
    await tf.setBackend('wasm');
    const backend = tf.backend();
    const x = tf.tensor(input([2, 4, 4, 3], 8).data, [2, 4, 4, 3]);
    const dy = tf.tensor(input([2, 4, 4, 5], 9).data, [2, 4, 4, 5]);
    const before = backend.numDataIds();
    const dw = tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy }, {
      strides: [1, 1], pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 3, 5],
    } as unknown as tf.NamedAttrMap) as tf.Tensor;
    expect(dw.shape).toEqual([3, 3, 3, 5]);
    expect(backend.numDataIds()).toBe(before + 1);
    tf.dispose([dw, x, dy]);
  });

  it('the grid filter gradient leaves no tensors or heap views behind', async () => {
    await tf.setBackend('wasm');
    const backend = tf.backend();
    const x = tf.tensor(input([2, 8, 8, 3], 8).data, [2, 8, 8, 3]);
    const dy = tf.tensor(input([2, 8, 8, 5], 9).data, [2, 8, 8, 5]);
    const before = backend.numDataIds();
    for (const [a, b, channels] of [[x, dy, 3], [dy, x, 5]] as const) {
      const dw = tf.engine().runKernel(
        tf.Conv2DBackpropFilter,
        { x: a, dy: b },
        { strides: [1, 1], pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, channels, 8 - channels] } as unknown as tf.NamedAttrMap,
      ) as tf.Tensor;
      expect(dw.shape).toEqual([3, 3, channels, 8 - channels]);
      expect(backend.numDataIds()).toBe(before + 1);
      dw.dispose();
    }
    expect(backend.numDataIds()).toBe(before);
    tf.dispose([x, dy]);
  });

  it('fused conv2d with bias and relu (what tf.layers.conv2d runs) matches cpu', async () => {
    const err = await gradError([input([2, 8, 8, 3], 3), input([3, 3, 3, 4], 4), input([4], 5)], (x, w, b) =>
      tf.fused.conv2d({ x: x as tf.Tensor4D, filter: w as tf.Tensor4D, strides: 1, pad: 'same', bias: b, activation: 'relu' }),
    );
    expect(err).toBeLessThan(TOL);
  });
});

describe('batch norm, pooling and dense gradients on wasm', () => {
  it('batch norm in training mode (batch moments) matches cpu, including an offset input', async () => {
    for (const [lo, hi] of [[-1, 1], [3, 7]] as const) {
      const err = await gradError([input([4, 5, 5, 6], 11, lo, hi), input([6], 12, 0.5, 1.5), input([6], 13)], (x, gamma, beta) => {
        const { mean, variance } = tf.moments(x, [0, 1, 2]);
        return tf.batchNorm(x, mean, variance, beta, gamma, 1e-3);
      });
      expect(err).toBeLessThan(TOL);
    }
  });

  it('tf.layers.batchNormalization in training mode matches cpu', async () => {
    const err = await gradError([input([4, 4, 4, 3], 21)], (x) =>
      tf.layers.batchNormalization({ gammaInitializer: 'ones', betaInitializer: 'zeros' }).apply(x, { training: true }) as tf.Tensor,
    );
    expect(err).toBeLessThan(TOL);
  });

  // All-negative windows and exact ties are where the stock wasm MaxPoolGrad goes wrong.
  it.each([
    ['2×2 stride 2 valid', 2, 2, 'valid'],
    ['3×3 stride 2 same (overlapping)', 3, 2, 'same'],
  ] as const)('max pool %s matches cpu on negative inputs and ties', async (_name, size, stride, pad) => {
    const x = input([2, 7, 7, 3], 31, -2, -0.5);
    x.data.fill(-1, 0, 20);
    const err = await gradError([x], (t) => tf.maxPool(t as tf.Tensor4D, size, stride, pad));
    expect(err).toBeLessThan(TOL);
    const relu = await gradError([input([2, 8, 8, 4], 32)], (t) => tf.maxPool(tf.relu(t) as tf.Tensor4D, size, stride, pad));
    expect(relu).toBeLessThan(TOL);
  });

  it.each([
    ['2×2 stride 2 valid', 2, 2, 'valid'],
    ['3×3 stride 1 same', 3, 1, 'same'],
  ] as const)('average pool %s matches cpu', async (_name, size, stride, pad) => {
    const err = await gradError([input([2, 6, 6, 3], 41)], (t) => tf.avgPool(t as tf.Tensor4D, size, stride, pad));
    expect(err).toBeLessThan(TOL);
  });

  it('global average pooling matches cpu', async () => {
    const err = await gradError([input([3, 4, 4, 5], 51)], (t) =>
      tf.layers.globalAveragePooling2d({}).apply(t) as tf.Tensor,
    );
    expect(err).toBeLessThan(TOL);
  });

  it('dense (matMul + bias) matches cpu', async () => {
    const err = await gradError([input([5, 12], 61), input([12, 7], 62), input([7], 63)], (x, w, b) =>
      tf.add(tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D), b),
    );
    expect(err).toBeLessThan(TOL);
  });
});

describe('replaced forward kernels on wasm', () => {
  it('Tile, Mean, Sum, FusedBatchNorm and Cast agree with cpu', async () => {
    const x = input([3, 4, 5, 6], 71);
    const c = input([6], 72, 0.5, 2);
    const checks: ((x: tf.Tensor, c: tf.Tensor) => tf.Tensor)[] = [
      (t) => tf.tile(t, [2, 1, 3, 2]),
      (t) => tf.tile(tf.reshape(t, [12, 30]), [3, 2]),
      (t) => tf.tile(tf.greater(t, 0), [1, 2, 1, 3]),
      (t) => tf.tile(tf.cast(tf.mul(t, 10), 'int32'), [2, 1, 1, 1]),
      (_t, v) => tf.tile(tf.reshape(v, [1, 1, 1, 6]), [3, 4, 5, 1]),
      (t) => tf.mean(t, [0, 1, 2]),
      (t) => tf.sum(t, [0, 1, 2]),
      (t) => tf.mean(t, [1, 2]),
      (t) => tf.sum(t, [1, 2], true),
      (t) => tf.sum(t, [0, 2]),
      (t, v) => tf.batchNorm(t, tf.mul(v, 0.1), v, tf.neg(v), v, 1e-3),
      (t) => tf.cast(tf.cast(t, 'float32'), 'int32'),
    ];
    for (const check of checks) expect(await forwardError([x, c], check)).toBeLessThan(TOL);
  });
});

describe('registration', () => {
  it('leaves the cpu backend kernels and gradients as they were, and is idempotent', async () => {
    for (const [name, config] of stockCpuKernels) expect(tf.getKernel(name, 'cpu')).toBe(config);
    const registeredGrad = tf.getGradient(tf.FusedBatchNorm);
    registerWasmTrainingKernels();
    expect(tf.getGradient(tf.FusedBatchNorm)).toBe(registeredGrad);

    // On cpu the replaced batch-norm gradient must return exactly what the stock one returns.
    await tf.setBackend('cpu');
    tf.tidy(() => {
      const x = tf.tensor(input([2, 3, 3, 4], 81).data, [2, 3, 3, 4]);
      const [mean, variance, scale] = [tf.fill([4], 0.2), tf.fill([4], 1.5), tf.fill([4], 0.7)];
      const dy = tf.tensor(input([2, 3, 3, 4], 82).data, [2, 3, 3, 4]);
      const attrs = { varianceEpsilon: 1e-3 };
      const viaRegistered = registeredGrad!.gradFunc(dy, [x, mean, variance, scale], attrs);
      const viaStock = stockBatchNormGrad!.gradFunc(dy, [x, mean, variance, scale], attrs);
      for (const key of ['x', 'mean', 'variance', 'scale', 'offset']) {
        expect(viaRegistered[key]!().dataSync()).toEqual(viaStock[key]!().dataSync());
      }
    });
  });
});
