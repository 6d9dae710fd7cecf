/**
 * The primitive tensor operations a compiled model is made of. Layer nodes lower themselves into
 * these (a ResidualBlock becomes convs, batch norms, an add and a relu), so the worker that builds
 * TF.js models knows only this closed set, never the node library.
 */
import { formatShape, shapeSize, type Shape } from './ports';

export type Activation = 'linear' | 'relu' | 'gelu' | 'tanh' | 'sigmoid' | 'softmax';
export type Padding = 'same' | 'valid';
export type Interpolation = 'nearest' | 'bilinear';

/** What a convolution and a transposed convolution both carry. */
interface ConvFields {
  filters: number;
  kernelSize: [number, number];
  strides: [number, number];
  padding: Padding;
  useBias: boolean;
}

export type OpSpec =
  | { op: 'input'; shape: Shape }
  | ({ op: 'conv2d' } & ConvFields)
  | ({ op: 'conv2dTranspose' } & ConvFields)
  | { op: 'upsample'; size: [number, number]; interpolation: Interpolation }
  | { op: 'dense'; units: number; useBias: boolean }
  | { op: 'batchNorm'; momentum: number; epsilon: number }
  | { op: 'activation'; fn: Activation }
  | { op: 'maxPool' | 'avgPool'; poolSize: [number, number]; strides: [number, number]; padding: Padding }
  | { op: 'globalAvgPool' }
  | { op: 'flatten' }
  | { op: 'dropout'; rate: number }
  | { op: 'add' }
  | { op: 'concat' };

export type OpName = OpSpec['op'];

/** Shape, parameter count and FLOPs (multiply-adds counted as 2) of one op, or why it cannot run. */
export type OpInference =
  | { ok: true; shape: Shape; params: number; trainableParams: number; flops: number }
  | { ok: false; message: string };

function windowOut(size: number, kernel: number, stride: number, padding: Padding): number {
  return padding === 'same' ? Math.ceil(size / stride) : Math.floor((size - kernel) / stride) + 1;
}

function spatial(
  input: Shape,
  kernel: [number, number],
  strides: [number, number],
  padding: Padding,
  what: string,
): { ok: true; h: number; w: number } | { ok: false; message: string } {
  if (input.length !== 3) {
    return { ok: false, message: `${what} needs a 3-D input [height,width,channels], got ${formatShape(input)}` };
  }
  const h = windowOut(input[0]!, kernel[0], strides[0], padding);
  const w = windowOut(input[1]!, kernel[1], strides[1], padding);
  if (h < 1 || w < 1) {
    return {
      ok: false,
      message: `${what} window ${kernel[0]}×${kernel[1]} does not fit input ${formatShape(input)} with valid padding`,
    };
  }
  return { ok: true, h, w };
}

/**
 * Output side of a transposed convolution, by TensorFlow's rule (Keras `deconv_output_length`, which
 * TF.js's `conv2dTranspose` layer follows): `same` multiplies by the stride; `valid` adds what the
 * kernel reaches past the last stride step.
 */
export function transposeOut(size: number, kernel: number, stride: number, padding: Padding): number {
  return padding === 'same' ? size * stride : size * stride + Math.max(kernel - stride, 0);
}

/**
 * FLOPs per output value of an up-sampling: nearest copies, bilinear blends four neighbours (four
 * multiply-adds).
 */
const UPSAMPLE_FLOPS: Record<Interpolation, number> = { nearest: 0, bilinear: 8 };

/** Infers one op from its input shapes. Pure; used by the validator, the compiler and tests. */
export function inferOp(spec: OpSpec, inputs: readonly Shape[]): OpInference {
  const x = inputs[0];
  const need = (n: number): string | null =>
    inputs.length === n ? null : `${spec.op} takes ${n} input${n === 1 ? '' : 's'}, got ${inputs.length}`;
  switch (spec.op) {
    case 'input':
      return { ok: true, shape: spec.shape, params: 0, trainableParams: 0, flops: 0 };
    case 'conv2d': {
      const bad = need(1);
      if (bad) return { ok: false, message: bad };
      const s = spatial(x!, spec.kernelSize, spec.strides, spec.padding, 'Conv2D');
      if (!s.ok) return s;
      const cin = x![2]!;
      const weights = spec.kernelSize[0] * spec.kernelSize[1] * cin * spec.filters;
      const params = weights + (spec.useBias ? spec.filters : 0);
      const flops = 2 * weights * s.h * s.w;
      return { ok: true, shape: [s.h, s.w, spec.filters], params, trainableParams: params, flops };
    }
    case 'conv2dTranspose': {
      const bad = need(1);
      if (bad) return { ok: false, message: bad };
      if (x!.length !== 3) {
        return { ok: false, message: `Conv2DTranspose needs a 3-D input [height,width,channels], got ${formatShape(x!)}` };
      }
      const h = transposeOut(x![0]!, spec.kernelSize[0], spec.strides[0], spec.padding);
      const w = transposeOut(x![1]!, spec.kernelSize[1], spec.strides[1], spec.padding);
      const cin = x![2]!;
      const weights = spec.kernelSize[0] * spec.kernelSize[1] * cin * spec.filters;
      const params = weights + (spec.useBias ? spec.filters : 0);
      // Every input pixel scatters its kernel-sized patch of multiply-adds into the output.
      const flops = 2 * weights * x![0]! * x![1]!;
      return { ok: true, shape: [h, w, spec.filters], params, trainableParams: params, flops };
    }
    case 'upsample': {
      const bad = need(1);
      if (bad) return { ok: false, message: bad };
      if (x!.length !== 3) {
        return { ok: false, message: `Upsample needs a 3-D input [height,width,channels], got ${formatShape(x!)}` };
      }
      const shape = [x![0]! * spec.size[0], x![1]! * spec.size[1], x![2]!];
      return { ok: true, shape, params: 0, trainableParams: 0, flops: UPSAMPLE_FLOPS[spec.interpolation] * shapeSize(shape) };
    }
    case 'dense': {
      const bad = need(1);
      if (bad) return { ok: false, message: bad };
      if (x!.length !== 1) {
        return { ok: false, message: `Dense needs a 1-D input, got ${formatShape(x!)}` };
      }
      const weights = x![0]! * spec.units;
      const params = weights + (spec.useBias ? spec.units : 0);
      return { ok: true, shape: [spec.units], params, trainableParams: params, flops: 2 * weights };
    }
    case 'batchNorm': {
      const bad = need(1);
      if (bad) return { ok: false, message: bad };
      const c = x![x!.length - 1]!;
      // gamma and beta train; the moving mean and variance are weights too, but not trainable.
      return { ok: true, shape: x!, params: 4 * c, trainableParams: 2 * c, flops: 2 * shapeSize(x!) };
    }
    case 'activation':
    case 'dropout': {
      const bad = need(1);
      if (bad) return { ok: false, message: bad };
      return { ok: true, shape: x!, params: 0, trainableParams: 0, flops: shapeSize(x!) };
    }
    case 'maxPool':
    case 'avgPool': {
      const bad = need(1);
      if (bad) return { ok: false, message: bad };
      const s = spatial(x!, spec.poolSize, spec.strides, spec.padding, spec.op === 'maxPool' ? 'MaxPool' : 'AvgPool');
      if (!s.ok) return s;
      const shape = [s.h, s.w, x![2]!];
      return { ok: true, shape, params: 0, trainableParams: 0, flops: shapeSize(shape) * spec.poolSize[0] * spec.poolSize[1] };
    }
    case 'globalAvgPool': {
      const bad = need(1);
      if (bad) return { ok: false, message: bad };
      if (x!.length !== 3) {
        return { ok: false, message: `GlobalAvgPool needs a 3-D input [height,width,channels], got ${formatShape(x!)}` };
      }
      return { ok: true, shape: [x![2]!], params: 0, trainableParams: 0, flops: shapeSize(x!) };
    }
    case 'flatten': {
      const bad = need(1);
      if (bad) return { ok: false, message: bad };
      return { ok: true, shape: [shapeSize(x!)], params: 0, trainableParams: 0, flops: 0 };
    }
    case 'add': {
      if (inputs.length < 2) return { ok: false, message: `Add takes at least 2 inputs, got ${inputs.length}` };
      const first = inputs[0]!;
      for (const other of inputs.slice(1)) {
        if (other.length !== first.length || other.some((d, i) => d !== first[i])) {
          return {
            ok: false,
            message: `Add needs equal shapes, got ${inputs.map(formatShape).join(' and ')}`,
          };
        }
      }
      return { ok: true, shape: first, params: 0, trainableParams: 0, flops: shapeSize(first) * (inputs.length - 1) };
    }
    case 'concat': {
      if (inputs.length < 2) return { ok: false, message: `Concat takes at least 2 inputs, got ${inputs.length}` };
      const first = inputs[0]!;
      for (const other of inputs.slice(1)) {
        const sameRank = other.length === first.length;
        const sameLeading = sameRank && other.slice(0, -1).every((d, i) => d === first[i]);
        if (!sameLeading) {
          return {
            ok: false,
            message: `Concat joins on the last axis and needs the other dimensions equal, got ${inputs.map(formatShape).join(' and ')}`,
          };
        }
      }
      const channels = inputs.reduce((sum, s) => sum + s[s.length - 1]!, 0);
      return { ok: true, shape: [...first.slice(0, -1), channels], params: 0, trainableParams: 0, flops: 0 };
    }
  }
}
