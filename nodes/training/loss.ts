import { z } from 'zod';
import { defineNode } from '../../src/graph/node-definition';
import { formatShape } from '../../src/graph/ports';

export const Loss = defineNode({
  type: 'Loss',
  title: 'Loss',
  category: 'training',
  role: 'loss',
  description: 'Compares the model output with the dataset labels: softmax cross-entropy (with label smoothing), MSE or Huber on one-hot targets.',
  params: z.object({
    loss: z.enum(['softmaxCrossEntropy', 'mse', 'huber']).default('softmaxCrossEntropy'),
    labelSmoothing: z.number().min(0).max(0.5).default(0),
    huberDelta: z.number().positive().max(100).default(1),
  }),
  inputs: [
    { name: 'predictions', label: 'predictions', accepts: ['tensor'] },
    { name: 'targets', label: 'targets', accepts: ['dataset'] },
  ],
  outputs: [{ name: 'loss', label: 'loss', kind: 'loss' }],
  summary: (p) =>
    p.loss === 'softmaxCrossEntropy'
      ? `cross-entropy${p.labelSmoothing > 0 ? `, smoothing ${p.labelSmoothing}` : ''}`
      : p.loss === 'mse'
        ? 'MSE'
        : `Huber δ=${p.huberDelta}`,
  infer(p, inputs) {
    const pred = inputs.predictions;
    const targets = inputs.targets;
    if (pred?.kind !== 'tensor' || targets?.kind !== 'dataset') return { outputs: {} };
    const expected = [targets.numClasses];
    if (pred.shape.length !== 1 || pred.shape[0] !== targets.numClasses) {
      return {
        outputs: {},
        issues: [
          {
            severity: 'error',
            code: 'shape-mismatch',
            port: 'predictions',
            message: `predictions are ${formatShape(pred.shape)} but ${targets.name} has ${targets.numClasses} classes: end the model with Dense(${targets.numClasses}) to get ${formatShape(expected)}`,
          },
        ],
      };
    }
    return { outputs: { loss: { kind: 'loss', lossType: p.loss } } };
  },
});

/** A Loss's settings as the plan carries them (defaults filled in). */
export type LossSettings = z.infer<typeof Loss.params>;
