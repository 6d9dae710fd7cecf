import { z } from 'zod';
import { defineNode } from '../../src/graph/node-definition';

/** An element-wise nonlinearity (softmax: over the last axis). */
export const Activation = defineNode({
  type: 'Activation',
  title: 'Activation',
  category: 'layers',
  role: 'layer',
  description: 'Applies a nonlinearity element-wise; softmax normalizes over the last axis.',
  params: z.object({
    fn: z.enum(['relu', 'gelu', 'tanh', 'sigmoid', 'softmax']).default('relu'),
  }),
  inputs: [{ name: 'in', label: 'in', accepts: ['tensor'] }],
  outputs: [{ name: 'out', label: 'out', kind: 'tensor' }],
  summary: (p) => p.fn,
  lower(p, inputs, b) {
    return { out: b.add('act', { op: 'activation', fn: p.fn }, [inputs.in!]) };
  },
});
