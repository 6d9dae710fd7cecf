import { z } from 'zod';
import { defineNode } from '../../src/graph/node-definition';
import { formatShape } from '../../src/graph/ports';

/**
 * He et al. 2016's basic block: conv3×3-BN-relu-conv3×3-BN plus the shortcut, then relu. The
 * shortcut is the identity, or a 1×1 convolution + BN when the stride or the width changes.
 */
export const ResidualBlock = defineNode({
  type: 'ResidualBlock',
  title: 'Residual block',
  category: 'layers',
  role: 'layer',
  description:
    'conv3×3-BN-relu-conv3×3-BN plus the identity (or a 1×1 projection when stride or width change), then relu.',
  params: z.object({
    filters: z.number().int().min(1).max(4096).default(16),
    stride: z.number().int().min(1).max(4).default(1),
    momentum: z.number().min(0).max(1).default(0.9),
    epsilon: z.number().positive().max(0.1).default(1e-3),
  }),
  inputs: [{ name: 'in', label: 'in', accepts: ['tensor'] }],
  outputs: [{ name: 'out', label: 'out', kind: 'tensor' }],
  summary: (p) => `${p.filters}${p.stride > 1 ? `, stride ${p.stride}` : ''}`,
  check(_p, inputs) {
    const x = inputs.in;
    if (x && x.length !== 3) {
      return [
        {
          severity: 'error',
          code: 'rank-mismatch',
          port: 'in',
          message: `a residual block needs [height,width,channels], got ${formatShape(x)}`,
        },
      ];
    }
    return [];
  },
  lower(p, inputs, b) {
    const x = inputs.in!;
    const bn = { op: 'batchNorm' as const, momentum: p.momentum, epsilon: p.epsilon };
    const conv = (stride: number, size: number) => ({
      op: 'conv2d' as const,
      filters: p.filters,
      kernelSize: [size, size] as [number, number],
      strides: [stride, stride] as [number, number],
      padding: 'same' as const,
      useBias: false,
    });
    const c1 = b.add('conv1', conv(p.stride, 3), [x]);
    const n1 = b.add('bn1', bn, [c1]);
    const r1 = b.add('relu1', { op: 'activation', fn: 'relu' }, [n1]);
    const c2 = b.add('conv2', conv(1, 3), [r1]);
    const n2 = b.add('bn2', bn, [c2]);
    const channels = b.shapeOf(x)[2];
    let shortcut = x;
    if (p.stride !== 1 || channels !== p.filters) {
      const proj = b.add('proj', conv(p.stride, 1), [x]);
      shortcut = b.add('projBn', bn, [proj]);
    }
    const sum = b.add('add', { op: 'add' }, [n2, shortcut]);
    const out = b.add('relu', { op: 'activation', fn: 'relu' }, [sum]);
    return { out };
  },
});
