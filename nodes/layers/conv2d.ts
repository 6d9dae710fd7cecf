import { defineNode } from '../../src/graph/node-definition';
import { convParams, convSummary, lowerConv } from './conv-params';
import { requireImage } from './shape-checks';

/** 2-D convolution with a square kernel over a feature map. */
export const Conv2D = defineNode({
  type: 'Conv2D',
  title: 'Conv2D',
  category: 'layers',
  role: 'layer',
  description: '2-D convolution over [height,width,channels] with a square kernel.',
  params: convParams({ max: 8, default: 1 }),
  inputs: [{ name: 'in', label: 'in', accepts: ['tensor'] }],
  outputs: [{ name: 'out', label: 'out', kind: 'tensor' }],
  summary: convSummary,
  check: (_p, inputs) => requireImage('Conv2D', inputs.in),
  lower: (p, inputs, b) => lowerConv('conv2d', 'conv', p, inputs.in!, b),
});
