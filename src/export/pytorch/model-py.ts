/**
 * model.py: the plan's model as one `nn.Module`, written op by op through {@link EMITTERS}.
 */
import type { ModelPlan } from '../../graph/plan';
import type { PlanOp } from '../../graph/validate';
import type { Shape } from '../../graph/ports';
import { EMITTERS, type Emitted, type EmitInput, type HelperName, type OpEmitter } from './layers';
import { pythonName, pyString, tfjsLayerName } from './names';

/** A plan the exporter cannot write, with the op and node that stop it. */
export class ExportError extends Error {
  override readonly name = 'ExportError';
}

const HELPERS: Record<HelperName, string> = {
  avg_pool2d_same: `def avg_pool2d_same(x, kernel_size, stride, pad):
    """Average pool with TF's uneven 'same' padding: padded cells stay out of each window's mean."""
    summed = F.avg_pool2d(F.pad(x, pad), kernel_size, stride)
    coverage = F.avg_pool2d(F.pad(torch.ones_like(x[:, :1]), pad), kernel_size, stride)
    return summed / coverage`,
  upsample_bilinear_tf: `def upsample_bilinear_tf(x, factor):
    """TF.js's bilinear up-sampling: output pixel i blends input pixels around i / factor, the last one held."""
    fh, fw = (factor, factor) if isinstance(factor, int) else factor
    for dim, f in ((2, fh), (3, fw)):
        size = x.shape[dim]
        at = torch.arange(size * f, device=x.device, dtype=x.dtype) / f
        lo = at.floor().long()
        hi = (lo + 1).clamp(max=size - 1)
        frac = (at - lo).view([-1 if d == dim else 1 for d in range(x.dim())])
        x = x.index_select(dim, lo) * (1 - frac) + x.index_select(dim, hi) * frac
    return x`,
};

function emit(op: PlanOp, input: EmitInput): Emitted {
  const emitter = EMITTERS[op.spec.op] as OpEmitter<typeof op.spec> | undefined;
  if (!emitter) {
    throw new ExportError(`the PyTorch export does not know the "${op.spec.op}" op yet (node "${op.nodeId}", op "${op.id}")`);
  }
  return emitter(input);
}

/** Shape of a model input as PyTorch sees it: images channels-first. */
export function torchShape(shape: Shape): number[] {
  return shape.length === 3 ? [shape[2]!, shape[0]!, shape[1]!] : [...shape];
}

/**
 * Chooses each op's variable: a value read once, by the very next op, flows through `x` as in
 * hand-written code; a value read later or more than once (a residual shortcut) keeps its name.
 */
function variables(ops: readonly PlanOp[], output: string): Map<string, string> {
  const readers = new Map<string, number[]>();
  ops.forEach((op, i) => {
    for (const ref of new Set(op.inputs)) (readers.get(ref) ?? readers.set(ref, []).get(ref)!).push(i);
  });
  const names = new Map<string, string>();
  ops.forEach((op, i) => {
    const r = readers.get(op.id) ?? [];
    const transient = op.id === output ? i === ops.length - 1 : r.length === 1 && r[0] === i + 1;
    names.set(op.id, transient ? 'x' : pythonName(op.id));
  });
  return names;
}

/** The text of model.py and the class it defines. */
export function modelPy(model: ModelPlan, projectName: string, cls: string): string {
  const ops = model.ops;
  const byId = new Map(ops.map((op) => [op.id, op]));
  const vars = variables(ops, model.output);
  const init: string[] = [];
  const forward: string[] = [];
  const helpers = new Set<HelperName>();
  const renamed: [string, string][] = [];
  const initComments = new Set<string>();
  let param = 'x';
  for (const op of ops) {
    const out = vars.get(op.id)!;
    if (op.spec.op === 'input') {
      param = out;
      continue;
    }
    const name = pythonName(op.id);
    const e = emit(op, {
      spec: op.spec,
      name,
      inputs: op.inputs.map((ref) => vars.get(ref)!),
      inputShapes: op.inputs.map((ref) => byId.get(ref)!.shape),
      shape: op.shape,
    });
    if (e.module) {
      if (e.moduleComment && !initComments.has(e.moduleComment)) init.push(`        # ${e.moduleComment}`);
      if (e.moduleComment) initComments.add(e.moduleComment);
      init.push(`        self.${name} = ${e.module}`);
      if (name !== tfjsLayerName(op.id)) renamed.push([tfjsLayerName(op.id), name]);
    }
    for (const h of e.helpers ?? []) helpers.add(h);
    if (e.expr === out) continue;
    if (e.comment) forward.push(`        # ${e.comment}`);
    forward.push(`        ${out} = ${e.expr}`);
  }
  const kinds = new Set(ops.map((op) => op.spec.op));
  const inputShape = torchShape(model.inputShape);
  const outputVar = vars.get(model.output)!;
  const lines = [
    `"""${cls}: the model of the Tensorloom project ${pyString(projectName)}, generated from its compiled plan.`,
    '',
    `${model.totalParams.toLocaleString('en-US')} weights (${model.trainableParams.toLocaleString('en-US')} trainable${kinds.has('batchNorm') ? '; BatchNorm running statistics count as weights, as in TF.js' : ''}).`,
    ...(ops.some((op) => op.shape.length === 3) ? ['Images are channels-first (N, C, H, W) inside the module, as PyTorch expects.'] : []),
    '"""',
    ...(kinds.has('conv2d') || kinds.has('conv2dTranspose') ? ['import math', ''] : []),
    'import torch',
    'import torch.nn.functional as F',
    'from torch import nn',
    '',
    `INPUT_SHAPE = (${inputShape.join(', ')}${inputShape.length === 1 ? ',' : ''})`,
    `OUTPUT_SIZE = ${model.outputShape[model.outputShape.length - 1]}`,
    ...(renamed.length > 0
      ? ['# TF.js layer names that are not Python identifiers, and the attribute each became here.', `TFJS_RENAMED = {${renamed.map(([a, b]) => `${pyString(a)}: ${pyString(b)}`).join(', ')}}`]
      : []),
    '',
    ...[...helpers].flatMap((h) => ['', HELPERS[h], '']),
    '',
    `class ${cls}(nn.Module):`,
    '    def __init__(self):',
    '        super().__init__()',
    ...init,
    '        self.reset_parameters()',
    '',
    ...resetParameters(kinds),
    '',
    `    def forward(self, ${param}):`,
    ...forward,
    `        return ${outputVar}`,
    '',
    '',
    'def count_weights(model):',
    '    """Parameters plus BatchNorm running statistics: the figure Tensorloom shows for the model."""',
    '    stats = sum(b.numel() for name, b in model.named_buffers() if name.endswith(("running_mean", "running_var")))',
    '    return sum(p.numel() for p in model.parameters()) + stats',
    '',
    '',
    'if __name__ == "__main__":',
    `    model = ${cls}()`,
    '    out = model.eval()(torch.zeros(1, *INPUT_SHAPE))',
    `    print(f"${cls}: {count_weights(model):,} weights, output {tuple(out.shape)}")`,
    '',
  ];
  return lines.join('\n');
}

function resetParameters(kinds: ReadonlySet<string>): string[] {
  const conv = kinds.has('conv2d');
  const deconv = kinds.has('conv2dTranspose');
  const dense = kinds.has('dense');
  if (!conv && !deconv && !dense) return ['    def reset_parameters(self):', '        """Nothing to initialise: the model has no convolution or dense weights."""'];
  const lines = [
    '    def reset_parameters(self):',
    `        """TF.js's initialisers: ${[(conv || deconv) && 'He-normal (truncated at 2σ) convolutions', dense && 'Glorot-uniform dense layers'].filter(Boolean).join(', ')}, zero biases."""`,
    '        for m in self.modules():',
  ];
  if (conv) {
    lines.push(
      '            if isinstance(m, nn.Conv2d):',
      '                std = math.sqrt(2.0 / (m.in_channels * m.kernel_size[0] * m.kernel_size[1]))',
      '                nn.init.trunc_normal_(m.weight, std=std, a=-2 * std, b=2 * std)',
    );
  }
  if (deconv) {
    // TF reads a transposed kernel [kh, kw, out, in] as if it were a convolution's: fan-in = out · kh · kw.
    lines.push(
      `            ${conv ? 'elif' : 'if'} isinstance(m, nn.ConvTranspose2d):`,
      '                std = math.sqrt(2.0 / (m.out_channels * m.kernel_size[0] * m.kernel_size[1]))',
      '                nn.init.trunc_normal_(m.weight, std=std, a=-2 * std, b=2 * std)',
    );
  }
  if (dense) lines.push(`            ${conv || deconv ? 'elif' : 'if'} isinstance(m, nn.Linear):`, '                nn.init.xavier_uniform_(m.weight)');
  const types = [conv && 'nn.Conv2d', deconv && 'nn.ConvTranspose2d', dense && 'nn.Linear'].filter(Boolean) as string[];
  const isinstance = types.length === 1 ? types[0]! : `(${types.join(', ')})`;
  lines.push(`            if isinstance(m, ${isinstance}) and m.bias is not None:`, '                nn.init.zeros_(m.bias)');
  return lines;
}
