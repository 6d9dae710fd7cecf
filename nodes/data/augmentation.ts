import { z } from 'zod';
import { defineNode } from '../../src/graph/node-definition';

export const Augmentation = defineNode({
  type: 'Augmentation',
  title: 'Augmentation',
  category: 'data',
  role: 'augmentation',
  description:
    'Random horizontal flip, zero-pad then random crop back to size, and normalization, applied to training batches on the device.',
  params: z.object({
    randomFlip: z.boolean().default(true),
    /** Pixels of zero padding before a random crop back to the original size; 0 turns it off. */
    padCrop: z.number().int().min(0).max(16).default(4),
    /** `per-channel`: subtract the dataset's channel means, divide by their std; `unit`: scale to [0,1]. */
    normalize: z.enum(['none', 'unit', 'per-channel']).default('per-channel'),
  }),
  inputs: [{ name: 'data', label: 'data', accepts: ['dataset'] }],
  outputs: [{ name: 'data', label: 'data', kind: 'dataset' }],
  summary: (p) =>
    [p.randomFlip && 'flip', p.padCrop > 0 && `pad ${p.padCrop} + crop`, p.normalize !== 'none' && `norm ${p.normalize}`]
      .filter(Boolean)
      .join(', ') || 'none',
  infer(p, inputs) {
    const data = inputs.data;
    if (data?.kind !== 'dataset') return { outputs: {} };
    if (p.padCrop > 0 && data.sampleShape.length !== 3) {
      return {
        outputs: {},
        issues: [{ severity: 'error', code: 'invalid-shape', message: 'pad + crop needs images [height,width,channels]', param: 'padCrop' }],
      };
    }
    return { outputs: { data } };
  },
});

/** An Augmentation's settings as the plan carries them (defaults filled in). */
export type AugmentationSettings = z.infer<typeof Augmentation.params>;
