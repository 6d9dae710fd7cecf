import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { CorridorEnv } from '../../src/rl/corridor';
import { DEFAULT_AGENT_PARAMS, type AgentParams } from '../../src/rl/schedule';
import type { PolicyAgent } from './policy-agent';
import { PolicyTrainer } from './policy-trainer';
import { mlpPlan } from './rl-test-plans';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const corridor = (algorithm: 'reinforce' | 'ppo', more: Partial<AgentParams> = {}): AgentParams => ({
  ...DEFAULT_AGENT_PARAMS,
  algorithm,
  gamma: 0.9,
  learningRate: 3e-3,
  numEnvs: 4,
  rolloutSteps: 16,
  epochs: 4,
  minibatchSize: 32,
  entropyCoef: 0.01,
  maxGradNorm: 0.5,
  ...more,
});

const envs = (n: number) => Array.from({ length: n }, () => new CorridorEnv(6));
/** Two actions (left, right) and the value: three outputs. */
const plan = () => mlpPlan(6, [32], 3);

async function greedyReturn(agent: PolicyAgent): Promise<number> {
  const env = new CorridorEnv(6);
  let observation = env.reset(0);
  let total = 0;
  for (;;) {
    const r = env.step(await agent.greedy(observation));
    total += r.reward;
    observation = r.observation;
    if (r.terminated || r.truncated) return total;
  }
}

async function weights(agent: PolicyAgent): Promise<number[]> {
  return (await Promise.all(agent.network.weights.map((w) => w.read().data()))).flatMap((d) => [...d]);
}

describe('policy-gradient agents on the corridor', () => {
  // Settings and seeds from a sweep over seeds 0-4 (4,000 steps each): REINFORCE at rate 1e-2 and
  // PPO at γ 0.95 solved 4 and 5 of them and stayed solved; REINFORCE's seed 0 settles on the
  // early exit, the local optimum this task is built around.
  it.each([
    ['reinforce', 1, { learningRate: 1e-2 }],
    ['reinforce', 4, { learningRate: 1e-2 }],
    ['ppo', 0, { gamma: 0.95 }],
    ['ppo', 2, { gamma: 0.95 }],
  ] as const)('%s (seed %i) learns to walk past the early exit to the goal', async (algorithm, seed, more) => {
    const trainer = PolicyTrainer.create(envs(4), plan(), corridor(algorithm, { seed, ...more }), 0);
    expect(await greedyReturn(trainer.agent)).not.toBe(1);
    await trainer.train(3000);
    expect(await greedyReturn(trainer.agent)).toBe(1);
    expect(trainer.agent.updates).toBeGreaterThan(10);
    trainer.dispose();
  });
});

describe('PolicyTrainer checkpoints', () => {
  it.each([
    ['ppo', false],
    ['reinforce', false],
    ['ppo', true],
  ] as const)('%s (scaled rewards: %s): a resumed run continues the same optimisation (weights, Adam, rollout position, generator, reward scale)', async (algorithm, scaleRewards) => {
    const params = corridor(algorithm, { seed: 5, rolloutSteps: 8, scaleRewards });
    const a = PolicyTrainer.create(envs(4), plan(), params, 0);
    // 4 + 8 + 3 steps of each environment: two updates done and 3 steps into the third rollout.
    await a.train(4 * 19);
    const saved = structuredClone(await a.checkpoint());
    expect(saved.agent.rollout.filled).toBe(3);
    expect(saved.vector?.rewardScale !== undefined).toBe(scaleRewards);
    const b = await PolicyTrainer.restore(envs(4), plan(), saved);
    await a.train(4 * 20);
    await b.train(4 * 20);
    expect(b.step).toBe(a.step);
    expect(b.agent.updates).toBe(a.agent.updates);
    expect(b.episode).toBe(a.episode);
    expect(await weights(b.agent)).toEqual(await weights(a.agent));
    expect(b.agent.rng.getState()).toEqual(a.agent.rng.getState());
    a.dispose();
    b.dispose();
  });

  it('leaves no tensor behind when it takes checkpoints', async () => {
    const a = PolicyTrainer.create(envs(4), plan(), corridor('ppo', { rolloutSteps: 4 }), 0);
    await a.train(40);
    await a.checkpoint();
    const before = tf.memory().numTensors;
    for (let k = 0; k < 3; k++) await a.checkpoint();
    expect(tf.memory().numTensors).toBe(before);
    a.dispose();
  });

  it('refuses a DQN checkpoint with a clear message', async () => {
    const a = PolicyTrainer.create(envs(4), plan(), corridor('ppo'), 0);
    const saved = await a.checkpoint();
    const dqn = { ...saved, agent: { ...saved.agent, format: 'tensorloom-dqn' } } as unknown as typeof saved;
    await expect(PolicyTrainer.restore(envs(4), plan(), dqn)).rejects.toThrow(/DQN agent: resume it with DQN/);
    a.dispose();
  });
});
