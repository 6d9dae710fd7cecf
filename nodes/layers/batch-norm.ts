import { z } from 'zod';
import { defineNode } from '../../src/graph/node-definition';

/** Batch normalization over the last axis (channels of a feature map, features of a vector). */
export const BatchNorm = defineNode({
  type: 'BatchNorm',
  title: 'BatchNorm',
  category: 'layers',
  role: 'layer',
  description:
    'Normalizes each channel with batch statistics while training and moving averages at inference, then scales and shifts.',
  params: z.object({
    /** Weight of the old moving average at each update. */
    momentum: z.number().min(0).max(1).default(0.99),
    epsilon: z.number().positive().max(0.1).default(1e-3),
  }),
  inputs: [{ name: 'in', label: 'in', accepts: ['tensor'] }],
  outputs: [{ name: 'out', label: 'out', kind: 'tensor' }],
  summary: (p) => `momentum ${p.momentum}`,
  lower(p, inputs, b) {
    return { out: b.add('bn', { op: 'batchNorm', momentum: p.momentum, epsilon: p.epsilon }, [inputs.in!]) };
  },
});
