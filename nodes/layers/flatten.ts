import { z } from 'zod';
import { defineNode } from '../../src/graph/node-definition';

/** Unrolls any tensor into a 1-D vector. */
export const Flatten = defineNode({
  type: 'Flatten',
  title: 'Flatten',
  category: 'layers',
  role: 'layer',
  description: 'Unrolls the input into a 1-D vector, keeping every value (unlike GlobalAvgPool).',
  params: z.object({}),
  inputs: [{ name: 'in', label: 'in', accepts: ['tensor'] }],
  outputs: [{ name: 'out', label: 'out', kind: 'tensor' }],
  summary: () => 'to 1-D',
  lower: (_p, inputs, b) => ({ out: b.add('flatten', { op: 'flatten' }, [inputs.in!]) }),
});
