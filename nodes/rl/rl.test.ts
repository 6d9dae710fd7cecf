/** Environment and Agent nodes, through `validate(doc, registry)` and one `compile`. */
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/graph/compile';
import { registry } from '../registry';
import { addQLearner, errorsOf, GraphBuilder, shapeOf } from '../test-helpers';
import { HIGHWAY_ACTIONS } from './environment';

function environment(params: Record<string, unknown> = {}) {
  const g = new GraphBuilder();
  const [env, input] = g.chain([['Environment', params], 'Input']);
  const analysis = g.validate();
  return { analysis, value: analysis.nodes[env!]!.outputs.env, input: shapeOf(analysis, input!), errors: errorsOf(analysis, env) };
}

describe('Environment', () => {
  it('observes the ego and 5 vehicles, 5 features each, and offers 5 actions', () => {
    const env = environment();
    expect(env.errors).toEqual([]);
    // (5 observed + ego) · 5 features.
    expect(env.value).toEqual({ kind: 'environment', name: 'highway', observationShape: [30], numActions: 5 });
    expect(env.input).toEqual([30]);
    expect(HIGHWAY_ACTIONS).toHaveLength(5);
  });

  it('grows the kinematics vector with the observed vehicles', () => {
    expect(environment({ observedVehicles: 7 }).input).toEqual([40]);
  });

  it('gives an occupancy grid of lanes × cells × 2', () => {
    // 10 cells ahead + 2 behind per lane, presence and speed channels.
    const env = environment({ observation: 'occupancyGrid', lanes: 3, gridAhead: 10, gridBehind: 2 });
    expect(env.input).toEqual([3, 12, 2]);
  });

  it('gives a time-to-collision vector of ego features and 3 lanes × 3 speeds × 10 one-second bins', () => {
    expect(environment({ observation: 'timeToCollision' }).input).toEqual([7 + 3 * 3 * 10]);
    // Its size does not depend on the road's width.
    expect(environment({ observation: 'timeToCollision', lanes: 6 }).input).toEqual([97]);
  });

  it('needs the high reward speed above the low one', () => {
    const env = environment({ rewardSpeedLow: 25, rewardSpeedHigh: 20 });
    expect(env.errors.map((d) => [d.code, d.param])).toEqual([['invalid-params', 'rewardSpeedHigh']]);
    expect(env.value).toBeUndefined();
  });

  it.each([
    ['lanes', 7],
    ['vehicles', -1],
    ['density', 0.1],
    ['policyHz', 11],
    ['observation', 'pixels'],
    ['collisionReward', 1],
    ['collisionReward', -101],
    ['normalizeReward', 'yes'],
  ])('rejects %s = %s', (param, value) => {
    expect(environment({ [param]: value }).errors.map((d) => [d.code, d.param])).toEqual([['invalid-params', param]]);
  });
});

describe('Agent', () => {
  it('takes a Q-network with one output per action and compiles into an RL plan', () => {
    const g = new GraphBuilder();
    const q = addQLearner(g);
    const analysis = g.validate();
    expect(errorsOf(analysis)).toEqual([]);
    expect(analysis.nodes[q.agent]!.outputs.agent).toEqual({ kind: 'agent', numActions: 5 });
    const result = compile(g.doc, registry);
    expect(result.ok && result.plan.mode).toBe('rl');
    expect(result.ok && [result.plan.model.inputShape, result.plan.model.outputShape]).toEqual([[30], [5]]);
  });

  it('names the Q shape and the action count when they disagree', () => {
    const g = new GraphBuilder();
    const q = addQLearner(g, { actions: 4 });
    const [error] = errorsOf(g.validate(), q.agent);
    expect(error).toMatchObject({ code: 'shape-mismatch', port: 'q' });
    expect(error!.message).toContain('[4]');
    expect(error!.message).toContain('5 actions');
    expect(error!.message).toContain('Dense(5)');
  });

  it('takes an occupancy grid through Flatten', () => {
    const g = new GraphBuilder();
    const env = g.add('Environment', { observation: 'occupancyGrid', lanes: 3, gridAhead: 10, gridBehind: 2 });
    const [, flat, q] = g.chain(['Input', 'Flatten', ['Dense', { units: 5 }]], env);
    const agent = g.add('Agent', {}, { q: q!, env });
    const analysis = g.validate();
    expect(errorsOf(analysis)).toEqual([]);
    expect(shapeOf(analysis, flat!)).toEqual([72]);
    expect(analysis.nodes[agent]!.outputs.agent).toBeDefined();
  });

  it('refuses exploration that ends above where it starts', () => {
    const g = new GraphBuilder();
    const q = addQLearner(g, { agent: { epsilonStart: 0.2, epsilonEnd: 0.5 } });
    expect(errorsOf(g.validate(), q.agent).map((d) => [d.code, d.param])).toEqual([['invalid-params', 'epsilonEnd']]);
  });

  it('needs both the Q-network and the environment', () => {
    const g = new GraphBuilder();
    const agent = g.add('Agent');
    expect(errorsOf(g.validate(), agent).map((d) => d.port).sort()).toEqual(['env', 'q']);
  });

  it.each([
    ['gamma', 1],
    ['learningRate', 0],
    ['epsilonStart', 1.5],
    ['replaySize', 50],
    ['batchSize', 0],
    ['doubleDqn', 'no'],
    ['totalSteps', 0],
  ])('rejects %s = %s', (param, value) => {
    const g = new GraphBuilder();
    const q = addQLearner(g, { agent: { [param]: value } });
    expect(errorsOf(g.validate(), q.agent).map((d) => [d.code, d.param])).toEqual([['invalid-params', param]]);
  });
});
