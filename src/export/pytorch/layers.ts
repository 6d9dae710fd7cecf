/**
 * One emitter per primitive op: what the op adds to `__init__` (a module, when it holds weights or
 * behaves differently in training) and the expression that computes it in `forward`. Tensors are
 * NCHW inside the module, so a 3-D plan shape [h, w, c] is `(N, c, h, w)` here; other ranks keep
 * TF's layout.
 */
import { transposeOut, type OpName, type OpSpec, type Padding } from '../../graph/ops';
import type { Shape } from '../../graph/ports';
import { pyNumber, pyPair } from './names';

/** What an emitter sees: its op's spec, the Python expressions and shapes of its inputs, its name. */
export interface EmitInput<S extends OpSpec = OpSpec> {
  spec: S;
  /** The module attribute for this op (`self.<name>`). */
  name: string;
  inputs: string[];
  inputShapes: Shape[];
  shape: Shape;
}

export interface Emitted {
  /** Constructor expression assigned to `self.<name>` in `__init__`. */
  module?: string;
  /** The expression computing the op's output. */
  expr: string;
  /** Why the forward line looks the way it does, when PyTorch and TF differ. */
  comment?: string;
  /** The same for the module line (written once per model, above its first use). */
  moduleComment?: string;
  /** Helper functions from `helpers.ts` the expression calls. */
  helpers?: HelperName[];
}

export type HelperName = 'avg_pool2d_same' | 'upsample_bilinear_tf';

export type OpEmitter<S extends OpSpec> = (e: EmitInput<S>) => Emitted;

/** The spec of op `K` (pools share one spec type with a two-name `op`). */
export type SpecOf<K extends OpName> = OpSpec extends infer S ? (S extends { op: infer O } ? (K extends O ? S : never) : never) : never;

/** TF's `same` padding per side for one spatial axis: the odd pixel goes after (right, bottom). */
export function samePadding(size: number, kernel: number, stride: number): [before: number, after: number] {
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + kernel - size, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

type Window =
  | { kind: 'none' }
  | { kind: 'symmetric'; padding: string }
  | { kind: 'asymmetric'; pad: string };

/** How a windowed op pads: not at all, as a PyTorch `padding=` argument, or by an explicit `F.pad`. */
function windowPadding(input: Shape, kernel: [number, number], strides: [number, number], padding: Padding): Window {
  if (padding === 'valid') return { kind: 'none' };
  const [top, bottom] = samePadding(input[0]!, kernel[0], strides[0]);
  const [left, right] = samePadding(input[1]!, kernel[1], strides[1]);
  if (top === 0 && bottom === 0 && left === 0 && right === 0) return { kind: 'none' };
  if (top === bottom && left === right) return { kind: 'symmetric', padding: pyPair([top, left]) };
  return { kind: 'asymmetric', pad: `(${left}, ${right}, ${top}, ${bottom})` };
}

const ASYMMETRIC = "TF's 'same' padding puts the odd pixel on the right and bottom";

/** The axis a per-feature op works on: channels for images, the last axis otherwise. */
function featureDim(shape: Shape): string {
  return shape.length === 3 || shape.length === 1 ? '1' : '-1';
}

const conv2d: OpEmitter<Extract<OpSpec, { op: 'conv2d' }>> = ({ spec, name, inputs, inputShapes }) => {
  const input = inputShapes[0]!;
  const pad = windowPadding(input, spec.kernelSize, spec.strides, spec.padding);
  const args = [String(input[2]), String(spec.filters), `kernel_size=${pyPair(spec.kernelSize)}`];
  if (spec.strides[0] !== 1 || spec.strides[1] !== 1) args.push(`stride=${pyPair(spec.strides)}`);
  if (pad.kind === 'symmetric') args.push(`padding=${pad.padding}`);
  if (!spec.useBias) args.push('bias=False');
  const module = `nn.Conv2d(${args.join(', ')})`;
  if (pad.kind === 'asymmetric') return { module, expr: `self.${name}(F.pad(${inputs[0]}, ${pad.pad}))`, comment: ASYMMETRIC };
  return { module, expr: `self.${name}(${inputs[0]})` };
};

const dense: OpEmitter<Extract<OpSpec, { op: 'dense' }>> = ({ spec, name, inputs, inputShapes }) => ({
  module: `nn.Linear(${inputShapes[0]![0]}, ${spec.units}${spec.useBias ? '' : ', bias=False'})`,
  expr: `self.${name}(${inputs[0]})`,
});

const batchNorm: OpEmitter<Extract<OpSpec, { op: 'batchNorm' }>> = ({ spec, name, inputs, inputShapes }) => {
  const shape = inputShapes[0]!;
  const channels = shape[shape.length - 1]!;
  const kind = shape.length === 3 ? 'BatchNorm2d' : 'BatchNorm1d';
  const module = `nn.${kind}(${channels}, eps=${pyNumber(spec.epsilon)}, momentum=${pyNumber(1 - spec.momentum)})`;
  const comment = `TF momentum ${pyNumber(spec.momentum)} is the share of the old running average; PyTorch's is the new batch's`;
  // BatchNorm1d wants (N, C, L); a 2-D TF tensor is (N, L, C).
  const expr = shape.length === 2 ? `self.${name}(${inputs[0]}.transpose(1, 2)).transpose(1, 2)` : `self.${name}(${inputs[0]})`;
  return { module, expr, moduleComment: comment };
};

const activation: OpEmitter<Extract<OpSpec, { op: 'activation' }>> = ({ spec, inputs, shape }) => {
  const x = inputs[0]!;
  switch (spec.fn) {
    case 'linear':
      return { expr: x };
    case 'relu':
      return { expr: `F.relu(${x})` };
    case 'gelu':
      return { expr: `F.gelu(${x})` };
    case 'tanh':
      return { expr: `torch.tanh(${x})` };
    case 'sigmoid':
      return { expr: `torch.sigmoid(${x})` };
    case 'softmax':
      return { expr: `F.softmax(${x}, dim=${featureDim(shape)})` };
  }
};

const maxPool: OpEmitter<SpecOf<'maxPool'>> = ({ spec, inputs, inputShapes }) => {
  const pad = windowPadding(inputShapes[0]!, spec.poolSize, spec.strides, spec.padding);
  const window = `${pyPair(spec.poolSize)}, ${pyPair(spec.strides)}`;
  if (pad.kind === 'asymmetric') {
    return { expr: `F.max_pool2d(F.pad(${inputs[0]}, ${pad.pad}, value=float("-inf")), ${window})`, comment: ASYMMETRIC };
  }
  return { expr: `F.max_pool2d(${inputs[0]}, ${window}${pad.kind === 'symmetric' ? `, padding=${pad.padding}` : ''})` };
};

const avgPool: OpEmitter<SpecOf<'avgPool'>> = ({ spec, inputs, inputShapes }) => {
  const pad = windowPadding(inputShapes[0]!, spec.poolSize, spec.strides, spec.padding);
  const window = `${pyPair(spec.poolSize)}, ${pyPair(spec.strides)}`;
  if (pad.kind === 'asymmetric') {
    return { expr: `avg_pool2d_same(${inputs[0]}, ${window}, ${pad.pad})`, comment: ASYMMETRIC, helpers: ['avg_pool2d_same'] };
  }
  // TF leaves padded cells out of each window's mean.
  return { expr: `F.avg_pool2d(${inputs[0]}, ${window}${pad.kind === 'symmetric' ? `, padding=${pad.padding}, count_include_pad=False` : ''})` };
};

const flatten: OpEmitter<Extract<OpSpec, { op: 'flatten' }>> = ({ inputs, inputShapes }) => {
  const rank = inputShapes[0]!.length;
  if (rank === 1) return { expr: inputs[0]! };
  if (rank === 3) return { expr: `${inputs[0]}.permute(0, 2, 3, 1).flatten(1)`, comment: 'TF flattens channels-last: the following weights expect that order' };
  return { expr: `${inputs[0]}.flatten(1)` };
};

/**
 * How ConvTranspose2d reproduces TF's output along one axis. Both start from the full scatter of
 * (size − 1)·stride + kernel rows; TF keeps `out` rows of it after cropping ⌊pad/2⌋, PyTorch crops
 * `padding` from both ends and appends `outputPadding` rows (where TF's output runs past the scatter,
 * a kernel narrower than the stride). An odd TF pad leaves one row too many at the end: `trim`.
 */
function transposeAxis(size: number, kernel: number, stride: number, padding: Padding) {
  const out = transposeOut(size, kernel, stride, padding);
  const full = (size - 1) * stride + kernel;
  const before = Math.floor(Math.max(full - out, 0) / 2);
  const natural = full - 2 * before;
  return { padding: before, outputPadding: Math.max(out - natural, 0), trim: natural > out };
}

const conv2dTranspose: OpEmitter<SpecOf<'conv2dTranspose'>> = ({ spec, name, inputs, inputShapes }) => {
  const input = inputShapes[0]!;
  const rows = transposeAxis(input[0]!, spec.kernelSize[0], spec.strides[0], spec.padding);
  const cols = transposeAxis(input[1]!, spec.kernelSize[1], spec.strides[1], spec.padding);
  const args = [String(input[2]), String(spec.filters), `kernel_size=${pyPair(spec.kernelSize)}`];
  if (spec.strides[0] !== 1 || spec.strides[1] !== 1) args.push(`stride=${pyPair(spec.strides)}`);
  if (rows.padding > 0 || cols.padding > 0) args.push(`padding=${pyPair([rows.padding, cols.padding])}`);
  if (rows.outputPadding > 0 || cols.outputPadding > 0) args.push(`output_padding=${pyPair([rows.outputPadding, cols.outputPadding])}`);
  if (!spec.useBias) args.push('bias=False');
  const module = `nn.ConvTranspose2d(${args.join(', ')})`;
  if (!rows.trim && !cols.trim) return { module, expr: `self.${name}(${inputs[0]})` };
  const crop = `[:, :, ${rows.trim ? ':-1' : ':'}, ${cols.trim ? ':-1' : ':'}]`;
  return { module, expr: `self.${name}(${inputs[0]})${crop}`, comment: "TF's 'same' padding crops the odd pixel from the right and bottom" };
};

const upsample: OpEmitter<SpecOf<'upsample'>> = ({ spec, inputs }) => {
  const factor = spec.size[0] === spec.size[1] ? String(spec.size[0]) : pyPair(spec.size);
  if (spec.interpolation === 'nearest') return { expr: `F.interpolate(${inputs[0]}, scale_factor=${factor}, mode="nearest")` };
  return {
    expr: `upsample_bilinear_tf(${inputs[0]}, ${pyPair(spec.size)})`,
    comment: 'TF.js samples without half-pixel centres, which no F.interpolate mode does',
    helpers: ['upsample_bilinear_tf'],
  };
};

/** The emitters by op. An op missing here makes the export fail, naming the op and its node. */
export const EMITTERS: { [K in OpName]?: OpEmitter<SpecOf<K>> } = {
  conv2d,
  conv2dTranspose,
  upsample,
  dense,
  batchNorm,
  activation,
  maxPool,
  avgPool,
  globalAvgPool: ({ inputs }) => ({ expr: `${inputs[0]}.mean(dim=(2, 3))` }),
  flatten,
  dropout: ({ spec, name, inputs }) => ({ module: `nn.Dropout(p=${pyNumber(spec.rate)})`, expr: `self.${name}(${inputs[0]})` }),
  add: ({ inputs }) => ({ expr: inputs.join(' + ') }),
  concat: ({ inputs, shape }) => ({ expr: `torch.cat([${inputs.join(', ')}], dim=${shape.length === 3 || shape.length === 1 ? 1 : shape.length})` }),
};
