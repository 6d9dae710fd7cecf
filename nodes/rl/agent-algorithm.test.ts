/** The Agent's algorithm choice: the head each algorithm needs, its own settings, its checks. */
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/graph/compile';
import { registry } from '../registry';
import { addQLearner, errorsOf, GraphBuilder } from '../test-helpers';
import { Agent } from './agent';

describe('Agent algorithm', () => {
  it.each(['ppo', 'reinforce'] as const)('%s takes 5 logits and one value from Dense(6) and compiles', (algorithm) => {
    const g = new GraphBuilder();
    const q = addQLearner(g, { agent: { algorithm }, actions: 6 });
    const analysis = g.validate();
    expect(errorsOf(analysis)).toEqual([]);
    expect(analysis.nodes[q.agent]!.outputs.agent).toEqual({ kind: 'agent', numActions: 5 });
    const result = compile(g.doc, registry);
    expect(result.ok && result.plan.mode === 'rl' && [result.plan.model.outputShape, result.plan.agent.params.algorithm]).toEqual([[6], algorithm]);
  });

  it('says what the policy head needs when the network ends in the Q-values shape', () => {
    const g = new GraphBuilder();
    const q = addQLearner(g, { agent: { algorithm: 'ppo' }, actions: 5 });
    const [error] = errorsOf(g.validate(), q.agent);
    expect(error).toMatchObject({ code: 'shape-mismatch', port: 'q' });
    expect(error!.message).toBe('PPO needs 5 action logits and one value, 6 outputs, but the network gives [5]: end the network with Dense(6)');
  });

  it('refuses a PPO minibatch larger than a rollout, offering the rollout size', () => {
    const g = new GraphBuilder();
    const q = addQLearner(g, { agent: { algorithm: 'ppo', numEnvs: 2, rolloutSteps: 16, minibatchSize: 64 }, actions: 6 });
    const [error] = errorsOf(g.validate(), q.agent);
    expect(error).toMatchObject({ param: 'minibatchSize', fix: { params: { minibatchSize: 32 } } });
  });

  it("skips DQN's schedule checks for the policy-gradient agents", () => {
    const g = new GraphBuilder();
    const q = addQLearner(g, { agent: { algorithm: 'reinforce', totalSteps: 100, learningStarts: 500 }, actions: 6 });
    expect(errorsOf(g.validate(), q.agent)).toEqual([]);
  });

  it("shows only the chosen algorithm's settings in the inspector", () => {
    const shown = (algorithm: string) => Object.keys(Agent.params.shape).filter((k) => Agent.paramShown!(k, { algorithm }));
    expect(shown('dqn')).toContain('epsilonStart');
    expect(shown('dqn')).not.toContain('clipRange');
    expect(shown('ppo')).toEqual(expect.arrayContaining(['clipRange', 'gaeLambda', 'epochs', 'minibatchSize', 'numEnvs', 'entropyCoef', 'gamma', 'learningRate']));
    expect(shown('ppo')).not.toContain('replaySize');
    expect(shown('reinforce')).toContain('valueCoef');
    expect(shown('reinforce')).not.toContain('clipRange');
    // Shared settings stay for all.
    for (const a of ['dqn', 'ppo', 'reinforce']) expect(shown(a)).toEqual(expect.arrayContaining(['algorithm', 'totalSteps', 'seed', 'keepBest']));
    expect(shown('ppo')).toContain('scaleRewards');
    expect(shown('dqn')).not.toContain('scaleRewards');
  });

  it('shows the validation settings only when the Agent keeps the best', () => {
    const shown = (keepBest: boolean) => Object.keys(Agent.params.shape).filter((k) => Agent.paramShown!(k, { algorithm: 'dqn', keepBest }));
    expect(shown(false)).not.toContain('validations');
    expect(shown(false)).not.toContain('validationEpisodes');
    expect(shown(true)).toEqual(expect.arrayContaining(['validations', 'validationEpisodes']));
  });
});
