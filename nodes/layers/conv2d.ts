import { z } from 'zod';
import { defineNode } from '../../src/graph/node-definition';
import { requireImage } from './shape-checks';

/** 2-D convolution with a square kernel over a feature map. */
export const Conv2D = defineNode({
  type: 'Conv2D',
  title: 'Conv2D',
  category: 'layers',
  role: 'layer',
  description: '2-D convolution over [height,width,channels] with a square kernel.',
  params: z.object({
    filters: z.number().int().min(1).max(4096).default(16),
    kernelSize: z.number().int().min(1).max(15).default(3),
    stride: z.number().int().min(1).max(8).default(1),
    padding: z.enum(['same', 'valid']).default('same'),
    useBias: z.boolean().default(true),
    activation: z.enum(['linear', 'relu', 'gelu', 'tanh', 'sigmoid']).default('linear'),
  }),
  inputs: [{ name: 'in', label: 'in', accepts: ['tensor'] }],
  outputs: [{ name: 'out', label: 'out', kind: 'tensor' }],
  summary: (p) =>
    `${p.kernelSize}×${p.kernelSize}, ${p.filters}${p.stride > 1 ? `, stride ${p.stride}` : ''}${p.activation !== 'linear' ? `, ${p.activation}` : ''}`,
  check: (_p, inputs) => requireImage('Conv2D', inputs.in),
  lower(p, inputs, b) {
    const out = b.add(
      'conv',
      {
        op: 'conv2d',
        filters: p.filters,
        kernelSize: [p.kernelSize, p.kernelSize],
        strides: [p.stride, p.stride],
        padding: p.padding,
        useBias: p.useBias,
      },
      [inputs.in!],
    );
    return { out: p.activation === 'linear' ? out : b.add('act', { op: 'activation', fn: p.activation }, [out]) };
  },
});
