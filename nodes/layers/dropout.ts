import { z } from 'zod';
import { defineNode } from '../../src/graph/node-definition';

/** Randomly zeroes a share of values while training; the identity at inference. */
export const Dropout = defineNode({
  type: 'Dropout',
  title: 'Dropout',
  category: 'layers',
  role: 'layer',
  description: 'While training, zeroes each value with probability `rate` and rescales the rest; does nothing at inference.',
  params: z.object({
    // Above 0.95 almost nothing gets through and training stalls.
    rate: z.number().min(0).max(0.95).default(0.5),
  }),
  inputs: [{ name: 'in', label: 'in', accepts: ['tensor'] }],
  outputs: [{ name: 'out', label: 'out', kind: 'tensor' }],
  summary: (p) => `rate ${p.rate}`,
  lower: (p, inputs, b) => ({ out: b.add('dropout', { op: 'dropout', rate: p.rate }, [inputs.in!]) }),
});
