import { defineNode } from '../../src/graph/node-definition';
import { agentScheduleIssues } from './agent-fit';
import { formatShape } from '../../src/graph/ports';
import { agentParams } from '../../src/rl/schedule';

export const Agent = defineNode({
  type: 'Agent',
  title: 'DQN agent',
  category: 'rl',
  role: 'agent',
  description:
    'Deep Q-learning: the connected network estimates Q-values; replay buffer, target network, ε-greedy exploration, optional double DQN, Huber loss.',
  params: agentParams,
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
