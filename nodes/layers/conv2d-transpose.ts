import { defineNode } from '../../src/graph/node-definition';
import { convParams, convSummary, lowerConv } from './conv-params';
import { requireImage } from './shape-checks';

/**
 * Transposed ("de-") convolution: each input pixel paints a kernel-sized patch of the output, spaced
 * by the stride, so a stride-2 layer doubles height and width. The decoder's learned up-sampling.
 */
export const Conv2DTranspose = defineNode({
  type: 'Conv2DTranspose',
  title: 'Conv2DTranspose',
  category: 'layers',
  role: 'layer',
  description:
    'Transposed convolution over [height,width,channels]: multiplies height and width by the stride (same padding), plus the kernel overhang (valid).',
  params: convParams({ max: 4, default: 2 }),
  inputs: [{ name: 'in', label: 'in', accepts: ['tensor'] }],
  outputs: [{ name: 'out', label: 'out', kind: 'tensor' }],
  summary: convSummary,
  check(p, inputs) {
    const issues = requireImage('Conv2DTranspose', inputs.in);
    if (issues.length > 0 || p.kernelSize >= p.stride) return issues;
    // Patches spaced further apart than they are wide leave rows and columns nothing writes to.
    return [
      {
        severity: 'warning',
        code: 'shape-mismatch',
        param: 'kernelSize',
        message: `a ${p.kernelSize}×${p.kernelSize} kernel at stride ${p.stride} leaves gaps: ${p.stride - p.kernelSize} of every ${p.stride} output rows and columns get only the bias; use a kernel of at least ${p.stride}`,
        fix: { kind: 'set-params', label: `Set kernel size to ${p.stride}`, params: { kernelSize: p.stride } },
      },
    ];
  },
  lower: (p, inputs, b) => lowerConv('conv2dTranspose', 'deconv', p, inputs.in!, b),
});
