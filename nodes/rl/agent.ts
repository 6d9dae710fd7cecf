import { z } from 'zod';
import { defineNode } from '../../src/graph/node-definition';
import { agentScheduleIssues } from './agent-fit';
import { formatShape } from '../../src/graph/ports';

export const Agent = defineNode({
  type: 'Agent',
  title: 'DQN agent',
  category: 'rl',
  role: 'agent',
  description:
    'Deep Q-learning: the connected network estimates Q-values; replay buffer, target network, ε-greedy exploration, optional double DQN, Huber loss.',
  params: z.object({
    gamma: z.number().min(0).max(0.9999).default(0.8),
    learningRate: z.number().positive().max(1).default(5e-4),
    /** linear: down to 0 at totalSteps, so the final policy is not a snapshot of one noisy update. */
    learningRateSchedule: z.enum(['constant', 'linear']).default('constant'),
    epsilonStart: z.number().min(0).max(1).default(1),
    epsilonEnd: z.number().min(0).max(1).default(0.05),
    epsilonDecaySteps: z.number().int().min(1).max(10_000_000).default(6000),
    replaySize: z.number().int().min(100).max(1_000_000).default(15000),
    batchSize: z.number().int().min(1).max(1024).default(32),
    targetSync: z.number().int().min(1).max(100_000).default(50),
    doubleDqn: z.boolean().default(true),
    learningStarts: z.number().int().min(0).max(1_000_000).default(200),
    trainEvery: z.number().int().min(1).max(1000).default(1),
    gradientSteps: z.number().int().min(1).max(64).default(1),
    huberDelta: z.number().positive().max(100).default(1),
    nSteps: z.number().int().min(1).max(20).default(1),
    prioritizedReplay: z.boolean().default(false),
    priorityAlpha: z.number().min(0).max(1).default(0.6),
    priorityBeta: z.number().min(0).max(1).default(0.4),
    totalSteps: z.number().int().min(1).max(10_000_000).default(20000),
    seed: z.number().int().min(0).max(2 ** 31 - 1).default(0),
  }),
  inputs: [
    { name: 'q', label: 'Q-values', accepts: ['tensor'] },
    { name: 'env', label: 'environment', accepts: ['environment'] },
  ],
  outputs: [{ name: 'agent', label: 'agent', kind: 'agent' }],
  summary: (p) => `γ ${p.gamma}, ε ${p.epsilonStart}→${p.epsilonEnd}, ${p.doubleDqn ? 'double ' : ''}DQN, ${p.totalSteps} steps`,
  infer(p, inputs) {
    const q = inputs.q;
    const env = inputs.env;
    if (q?.kind !== 'tensor' || env?.kind !== 'environment') return { outputs: {} };
    if (q.shape.length !== 1 || q.shape[0] !== env.numActions) {
      return {
        outputs: {},
        issues: [
          {
            severity: 'error',
            code: 'shape-mismatch',
            port: 'q',
            message: `Q-values are ${formatShape(q.shape)} but the environment has ${env.numActions} actions: end the network with Dense(${env.numActions})`,
          },
        ],
      };
    }
    if (p.epsilonEnd > p.epsilonStart) {
      return {
        outputs: {},
        issues: [{ severity: 'error', code: 'invalid-params', param: 'epsilonEnd', message: 'epsilonEnd must not exceed epsilonStart' }],
      };
    }
    return { outputs: { agent: { kind: 'agent', numActions: env.numActions } }, issues: agentScheduleIssues(p) };
  },
});
