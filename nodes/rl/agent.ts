import { defineNode } from '../../src/graph/node-definition';
import { agentScheduleIssues, reinforceUpdateIssues } from './agent-fit';
import { formatShape } from '../../src/graph/ports';
import { agentParamShown, agentParams } from '../../src/rl/schedule';

const ALGORITHM_LABEL = { dqn: 'DQN', reinforce: 'REINFORCE', ppo: 'PPO' } as const;

export const Agent = defineNode({
  type: 'Agent',
  title: 'RL agent',
  category: 'rl',
  role: 'agent',
  description:
    'Learns to act from the connected network. DQN: it estimates Q-values (replay buffer, target network, ε-greedy exploration, optional double DQN, Huber loss). REINFORCE and PPO: it ends in one logit per action and one value (a learned baseline); PPO adds the clipped objective, GAE and several epochs of minibatches per rollout of N environments.',
  params: agentParams,
  inputs: [
    { name: 'q', label: 'network', accepts: ['tensor'] },
    { name: 'env', label: 'environment', accepts: ['environment'] },
  ],
  outputs: [{ name: 'agent', label: 'agent', kind: 'agent' }],
  summary: (p) =>
    p.algorithm === 'dqn'
      ? `γ ${p.gamma}, ε ${p.epsilonStart}→${p.epsilonEnd}, ${p.doubleDqn ? 'double ' : ''}DQN, ${p.totalSteps} steps`
      : `${ALGORITHM_LABEL[p.algorithm]}, γ ${p.gamma}, ${p.numEnvs} envs × ${p.rolloutSteps}, ${p.totalSteps} steps`,
  paramShown: (key, params) =>
    agentParamShown(key, { algorithm: params.algorithm === 'ppo' || params.algorithm === 'reinforce' ? params.algorithm : 'dqn', keepBest: params.keepBest === true }),
  infer(p, inputs) {
    const q = inputs.q;
    const env = inputs.env;
    if (q?.kind !== 'tensor' || env?.kind !== 'environment') return { outputs: {} };
    const head = p.algorithm === 'dqn' ? env.numActions : env.numActions + 1;
    if (q.shape.length !== 1 || q.shape[0] !== head) {
      const need =
        p.algorithm === 'dqn'
          ? `Q-values are ${formatShape(q.shape)} but the environment has ${env.numActions} actions`
          : `${ALGORITHM_LABEL[p.algorithm]} needs ${env.numActions} action logits and one value, ${head} outputs, but the network gives ${formatShape(q.shape)}`;
      return {
        outputs: {},
        issues: [{ severity: 'error', code: 'shape-mismatch', port: 'q', message: `${need}: end the network with Dense(${head})` }],
      };
    }
    if (p.algorithm === 'dqn' && p.epsilonEnd > p.epsilonStart) {
      return {
        outputs: {},
        issues: [{ severity: 'error', code: 'invalid-params', param: 'epsilonEnd', message: 'epsilonEnd must not exceed epsilonStart' }],
      };
    }
    if (p.algorithm === 'ppo' && p.minibatchSize > p.numEnvs * p.rolloutSteps) {
      return {
        outputs: {},
        issues: [
          {
            severity: 'error',
            code: 'invalid-params',
            param: 'minibatchSize',
            message: `a minibatch of ${p.minibatchSize} is more than a rollout holds (${p.numEnvs} environments × ${p.rolloutSteps} steps = ${p.numEnvs * p.rolloutSteps})`,
            fix: { kind: 'set-params', label: `Use minibatches of ${p.numEnvs * p.rolloutSteps}`, params: { minibatchSize: p.numEnvs * p.rolloutSteps } },
          },
        ],
      };
    }
    return { outputs: { agent: { kind: 'agent', numActions: env.numActions } }, issues: p.algorithm === 'dqn' ? agentScheduleIssues(p) : reinforceUpdateIssues(p) };
  },
});
