import { z } from 'zod';
import { defineNode } from '../../src/graph/node-definition';

export const Evaluator = defineNode({
  type: 'Evaluator',
  title: 'Evaluator',
  category: 'evaluation',
  role: 'evaluator',
  description:
    'Classification: test accuracy, per-class accuracy, confusion matrix, sample predictions. RL: held-out episodes with return, mean speed and collision rate, side by side with baseline drivers.',
  params: z.object({
    /** Classification: how many sample predictions to show. */
    samplePredictions: z.number().int().min(0).max(100).default(16),
    confusionMatrix: z.boolean().default(true),
    /** Classification: average each image's prediction with its left–right mirror's (test-time flips), in validation too. */
    flipAveraging: z.boolean().default(false).describe("Average each image's prediction with its mirror image's (validation too)."),
    /** RL: held-out evaluation episodes and the first of their seeds (kept apart from training seeds). */
    episodes: z.number().int().min(1).max(1000).default(50),
    heldOutSeed: z.number().int().min(0).max(2 ** 31 - 1).default(1_000_000),
    baselines: z.array(z.enum(['idm', 'random'])).default(['idm', 'random']),
  }),
  inputs: [{ name: 'source', label: 'model or agent', accepts: ['model', 'agent'] }],
  outputs: [{ name: 'report', label: 'report', kind: 'metrics' }],
  summary: (p, connected) => {
    const source = connected.get('source');
    if (source === 'agent') return `${p.episodes} held-out episodes${p.baselines.length ? ` vs ${p.baselines.join(', ')}` : ''}`;
    if (source === 'model') return `test set${p.flipAveraging ? ' with flips averaged' : ''}, ${p.samplePredictions} sample predictions`;
    return `${p.samplePredictions} samples, ${p.episodes} RL episodes`;
  },
  infer: () => ({ outputs: { report: { kind: 'metrics' } } }),
});

/** An Evaluator's settings as the plan carries them (defaults filled in). */
export type EvaluatorSettings = z.infer<typeof Evaluator.params>;
