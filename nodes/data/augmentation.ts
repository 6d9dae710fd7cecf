import { z } from 'zod';
import { defineNode } from '../../src/graph/node-definition';

export const Augmentation = defineNode({
  type: 'Augmentation',
  title: 'Augmentation',
  category: 'data',
  role: 'augmentation',
  description:
    'Random horizontal flip, zero-pad then random crop back to size, and normalization, applied to training batches on the device; ' +
    'then corruption of the model input only (masked square patches, Gaussian noise): with a reconstruction Loss the target stays the clean image (denoising / masked autoencoders).',
  params: z.object({
    randomFlip: z.boolean().default(true),
    /** Pixels of zero padding before a random crop back to the original size; 0 turns it off. */
    padCrop: z.number().int().min(0).max(16).default(4),
    /** `per-channel`: subtract the dataset's channel means, divide by their std; `unit`: scale to [0,1]. */
    normalize: z.enum(['none', 'unit', 'per-channel']).default('per-channel'),
    /** Corruption, input only: square patches set to 0 (the mean, once normalised) per image; 0 turns it off. */
    maskPatches: z.number().int().min(0).max(64).default(0),
    /** Side of each masked patch, in pixels. */
    maskSize: z.number().int().min(1).max(32).default(8),
    /** Corruption, input only: σ of Gaussian noise added to the normalised image; 0 turns it off. */
    noiseStd: z.number().min(0).max(5).default(0),
  }),
  inputs: [{ name: 'data', label: 'data', accepts: ['dataset'] }],
  outputs: [{ name: 'data', label: 'data', kind: 'dataset' }],
  summary: (p) =>
    [
      p.randomFlip && 'flip',
      p.padCrop > 0 && `pad ${p.padCrop} + crop`,
      p.normalize !== 'none' && `norm ${p.normalize}`,
      p.maskPatches > 0 && `mask ${p.maskPatches}×${p.maskSize}px`,
      p.noiseStd > 0 && `noise σ ${p.noiseStd}`,
    ]
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
    if (p.maskPatches > 0 && data.sampleShape.length === 3 && p.maskSize > Math.min(data.sampleShape[0]!, data.sampleShape[1]!)) {
      const side = Math.min(data.sampleShape[0]!, data.sampleShape[1]!);
      return {
        outputs: {},
        issues: [
          {
            severity: 'error',
            code: 'invalid-shape',
            param: 'maskSize',
            message: `masked patches of ${p.maskSize} pixels do not fit in ${side}-pixel images`,
            fix: { kind: 'set-params', label: `Mask ${Math.max(1, side >> 2)}-pixel patches`, params: { maskSize: Math.max(1, side >> 2) } },
          },
        ],
      };
    }
    return { outputs: { data } };
  },
});

/** An Augmentation's settings as the plan carries them (defaults filled in). */
export type AugmentationSettings = z.infer<typeof Augmentation.params>;
