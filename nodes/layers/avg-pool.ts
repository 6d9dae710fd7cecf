import { defineNode } from '../../src/graph/node-definition';
import { lowerPool, poolParams, poolSummary } from './pooling';
import { requireImage } from './shape-checks';

/** Average pooling over square windows of a feature map. */
export const AvgPool = defineNode({
  type: 'AvgPool',
  title: 'AvgPool',
  category: 'layers',
  role: 'layer',
  description: 'Averages each window per channel, shrinking height and width.',
  params: poolParams,
  inputs: [{ name: 'in', label: 'in', accepts: ['tensor'] }],
  outputs: [{ name: 'out', label: 'out', kind: 'tensor' }],
  summary: poolSummary,
  check: (_p, inputs) => requireImage('AvgPool', inputs.in),
  lower: (p, inputs, b) => lowerPool('avgPool', p, inputs.in!, b),
});
