import { defineNode } from '../../src/graph/node-definition';
import { lowerPool, poolParams, poolSummary } from './pooling';
import { requireImage } from './shape-checks';

/** Max pooling over square windows of a feature map. */
export const MaxPool = defineNode({
  type: 'MaxPool',
  title: 'MaxPool',
  category: 'layers',
  role: 'layer',
  description: 'Keeps the largest value of each window per channel, shrinking height and width.',
  params: poolParams,
  inputs: [{ name: 'in', label: 'in', accepts: ['tensor'] }],
  outputs: [{ name: 'out', label: 'out', kind: 'tensor' }],
  summary: poolSummary,
  check: (_p, inputs) => requireImage('MaxPool', inputs.in),
  lower: (p, inputs, b) => lowerPool('maxPool', p, inputs.in!, b),
});
