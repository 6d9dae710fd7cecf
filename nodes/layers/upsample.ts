import { z } from 'zod';
import { defineNode } from '../../src/graph/node-definition';
import { requireImage } from './shape-checks';

/**
 * Enlarges a feature map by a whole factor without weights: the decoder's counterpart of pooling.
 * Bilinear follows TF.js's `resizeBilinear` (corners not aligned, no half-pixel offset).
 */
export const Upsample = defineNode({
  type: 'Upsample',
  title: 'Upsample',
  category: 'layers',
  role: 'layer',
  description: 'Enlarges height and width by 2 or 4, repeating (nearest) or blending (bilinear) pixels. No weights.',
  params: z.object({
    factor: z.literal([2, 4]).default(2),
    interpolation: z.enum(['nearest', 'bilinear']).default('nearest'),
  }),
  inputs: [{ name: 'in', label: 'in', accepts: ['tensor'] }],
  outputs: [{ name: 'out', label: 'out', kind: 'tensor' }],
  summary: (p) => `×${p.factor}, ${p.interpolation}`,
  check: (_p, inputs) => requireImage('Upsample', inputs.in),
  lower(p, inputs, b) {
    return {
      out: b.add('upsample', { op: 'upsample', size: [p.factor, p.factor], interpolation: p.interpolation }, [inputs.in!]),
    };
  },
});
