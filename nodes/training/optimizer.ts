import { z } from 'zod';
import { defineNode } from '../../src/graph/node-definition';
import { scheduleIssues } from './schedule-fit';

export const Optimizer = defineNode({
  type: 'Optimizer',
  title: 'Optimizer',
  category: 'training',
  role: 'optimizer',
  description:
    'Minimizes the loss: SGD (momentum, Nesterov), Adam or AdamW, with a learning-rate schedule, weight decay, and the fit settings (epochs or a time budget in minutes, batch size); ' +
    'optionally starting from another run\'s trained layers (matched by node id and shape), fine-tuned or frozen.',
  params: z.object({
    optimizer: z.enum(['sgd', 'adam', 'adamw']).default('adam'),
    learningRate: z.number().positive().max(10).default(0.001),
    momentum: z.number().min(0).max(0.999).default(0.9),
    nesterov: z.boolean().default(false),
    beta1: z.number().min(0).max(0.9999).default(0.9),
    beta2: z.number().min(0).max(0.99999).default(0.999),
    epsilon: z.number().positive().max(1).default(1e-7),
    /** L2 penalty for SGD/Adam, decoupled decay for AdamW. */
    weightDecay: z.number().min(0).max(0.5).default(0),
    schedule: z.enum(['constant', 'step', 'cosine', 'onecycle']).default('constant'),
    warmupEpochs: z.number().min(0).max(100).default(0),
    /** Step schedule: multiply the rate by `stepGamma` every `stepEvery` epochs. */
    stepEvery: z.number().int().min(1).max(1000).default(30),
    stepGamma: z.number().positive().max(1).default(0.1),
    /** Floor of cosine and one-cycle schedules, as a fraction of the peak rate. */
    minLearningRateFraction: z.number().min(0).max(1).default(0),
    epochs: z.number().int().min(1).max(1000).default(10),
    /**
     * Train for this many minutes of training time (pauses, validation and checkpoints excluded) instead of `epochs`; 0 is off.
     * The rate schedule then runs over the time (see `time-schedule.ts`) and the run stops at the
     * deadline at a step boundary.
     */
    budgetMinutes: z
      .number()
      .min(0)
      .max(1440)
      .default(0)
      .describe('Train for this many minutes (pauses and validation not counted) instead of the epochs; 0 is off. The learning rate schedule then runs over the time.'),
    /**
     * Keep an exponential moving average of the weights with this decay (0 is off; ~0.99–0.999):
     * validation, evaluation and checkpoints use the average.
     */
    emaDecay: z
      .number()
      .min(0)
      .max(0.99999)
      .default(0)
      .describe('Validate, evaluate and save a moving average of the weights with this decay; 0 is off, try 0.99 to 0.999.'),
    /** With a time budget: the share of it spent warming the rate up. */
    budgetWarmupFraction: z.number().min(0).max(0.9).default(0.15).describe('With a time budget: the share of it spent warming the learning rate up.'),
    batchSize: z.number().int().min(1).max(4096).default(32),
    /**
     * Transfer: the id of a run in this browser whose newest checkpoint gives the starting weights
     * of the layers with the same node id and shape (empty: every layer starts fresh).
     */
    initFromRun: z.string().max(200).default(''),
    /** `fine-tune` trains the copied layers on; `freeze` keeps them fixed (a linear probe when only the head is fresh). */
    initMode: z.enum(['fine-tune', 'freeze']).default('fine-tune'),
  }),
  inputs: [{ name: 'loss', label: 'loss', accepts: ['loss'] }],
  outputs: [{ name: 'model', label: 'trained model', kind: 'model' }],
  paramShown: (key, p) => optimizerParamShown(key, p),
  summary: (p) =>
    `${p.optimizer.toUpperCase()} lr ${p.learningRate} ${p.schedule}, ${p.budgetMinutes > 0 ? `${p.budgetMinutes} min` : `${p.epochs} ep`} × ${p.batchSize}` +
    (p.initFromRun ? `, from run ${p.initFromRun}${p.initMode === 'freeze' ? ' (frozen)' : ''}` : ''),
  infer: (p) => ({ outputs: { model: { kind: 'model' } }, issues: scheduleIssues(p) }),
});

/** An Optimizer's settings as the plan carries them (defaults filled in). */
export type OptimizerSettings = z.infer<typeof Optimizer.params>;

/**
 * Whether the inspector shows `key` for these settings: only what the chosen optimizer, schedule
 * and budget read (hidden settings keep their values and come back when they apply again).
 */
export function optimizerParamShown(key: string, p: Readonly<Record<string, unknown>>): boolean {
  const budget = typeof p.budgetMinutes === 'number' && p.budgetMinutes > 0;
  switch (key) {
    case 'momentum':
    case 'nesterov':
      return p.optimizer === 'sgd';
    case 'beta1':
    case 'beta2':
    case 'epsilon':
      return p.optimizer !== 'sgd';
    case 'stepEvery':
    case 'stepGamma':
      return p.schedule === 'step';
    case 'minLearningRateFraction':
      return p.schedule === 'cosine' || p.schedule === 'onecycle';
    // A budget replaces the epoch count, and its warm-up is a share of the time.
    case 'epochs':
    case 'warmupEpochs':
      return !budget;
    case 'budgetWarmupFraction':
      return budget;
    default:
      return true;
  }
}

