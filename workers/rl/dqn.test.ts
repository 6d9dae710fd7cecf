import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { CORRIDOR_EXIT_REWARD, CorridorEnv } from '../../src/rl/corridor';
import { highwayConfig } from '../../src/rl/highway/config';
import { HighwayEnv } from '../../src/rl/highway/env';
import { DEFAULT_AGENT_PARAMS, type AgentParams } from '../../src/rl/schedule';
import { DqnAgent } from './dqn';
import { RlTrainer } from './rl-trainer';
import { mlpPlan } from './rl-test-plans';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const corridorParams: AgentParams = {
  ...DEFAULT_AGENT_PARAMS,
  gamma: 0.9,
  learningRate: 5e-3,
  epsilonDecaySteps: 400,
  replaySize: 2000,
  learningStarts: 50,
  targetSync: 25,
  totalSteps: 800,
};

/** Greedy walk from the start; returns the return and the number of steps. */
async function greedyEpisode(env: CorridorEnv, agent: DqnAgent): Promise<{ ret: number; steps: number }> {
  let observation = env.reset(0);
  let ret = 0;
  for (let steps = 1; ; steps++) {
    const r = env.step(await agent.greedy(observation));
    ret += r.reward;
    observation = r.observation;
    if (r.terminated || r.truncated) return { ret, steps };
  }
}

describe('DQN on a corridor', () => {
  it.each([
    { seed: 0, doubleDqn: true, nSteps: 1 },
    { seed: 1, doubleDqn: true, nSteps: 1 },
    { seed: 2, doubleDqn: false, nSteps: 1 },
  ])('learns to walk past the early exit to the goal: %o', async ({ seed, doubleDqn, nSteps }) => {
    const env = new CorridorEnv(6);
    const trainer = RlTrainer.create(env, mlpPlan(6, [32], 2), { ...corridorParams, seed, doubleDqn, nSteps }, 0);
    await trainer.train(corridorParams.totalSteps);
    expect(await greedyEpisode(env, trainer.agent)).toEqual({ ret: 1, steps: 5 });
    // Q(start, right) = γ⁴ (four more steps to the goal); Q(start, left) = the exit reward.
    const [left, right] = await trainer.agent.qValues(env.reset(0));
    expect(right).toBeCloseTo(0.9 ** 4, 1);
    expect(left).toBeCloseTo(CORRIDOR_EXIT_REWARD, 1);
    trainer.dispose();
  });

  it.each([
    { nSteps: 3, prioritizedReplay: false },
    { nSteps: 3, prioritizedReplay: true },
  ])('learns the corridor from n-step returns and prioritized replay too: %o', async (options) => {
    const env = new CorridorEnv(6);
    const trainer = RlTrainer.create(env, mlpPlan(6, [32], 2), { ...corridorParams, seed: 3, ...options }, 0);
    await trainer.train(corridorParams.totalSteps);
    expect(await greedyEpisode(env, trainer.agent)).toEqual({ ret: 1, steps: 5 });
    // Uncorrected n-step targets follow the ε-greedy behaviour a little, so Q only roughly equals γ⁴.
    const [left, right] = await trainer.agent.qValues(env.reset(0));
    expect(right).toBeGreaterThan(left!);
    expect(right).toBeGreaterThan(0.45);
    trainer.dispose();
  });

  it('moves Q(s, a) to the reward when γ is 0', async () => {
    const agent = new DqnAgent(mlpPlan(3, [16], 2), { ...DEFAULT_AGENT_PARAMS, gamma: 0, learningRate: 1e-2, replaySize: 10, batchSize: 4 });
    const s = [Float32Array.from([1, 0, 0]), Float32Array.from([0, 1, 0]), Float32Array.from([0, 0, 1]), Float32Array.from([1, 1, 0])];
    const rewards = [0.5, -1, 2, 0.25];
    s.forEach((o, i) => agent.replay.add(o, i % 2, rewards[i]!, o, i === 2));
    const batch = agent.replay.allocateBatch(4);
    const state = agent.replay.getState();
    batch.observations.set(state.observations);
    batch.nextObservations.set(state.nextObservations);
    batch.actions.set(state.actions);
    batch.rewards.set(state.rewards);
    batch.dones.set(state.dones);
    batch.horizons.set(state.horizons!);
    const first = await agent.trainBatch(batch);
    let last = first;
    for (let k = 0; k < 300; k++) last = await agent.trainBatch(batch);
    expect(last).toBeLessThan(first / 100);
    for (let i = 0; i < 4; i++) expect((await agent.qValues(s[i]!))[i % 2]).toBeCloseTo(rewards[i]!, 1);
    agent.dispose();
  });

  it.each([
    { schedule: 'linear' as const, moves: false },
    { schedule: 'constant' as const, moves: true },
  ])('follows the $schedule learning-rate schedule: the last step moves the weights: $moves', async ({ schedule, moves }) => {
    const params = { ...DEFAULT_AGENT_PARAMS, learningRate: 0.01, learningRateSchedule: schedule, learningStarts: 0, replaySize: 50, batchSize: 4, totalSteps: 20 };
    const agent = new DqnAgent(mlpPlan(3, [8], 2), params);
    const o = (k: number): Float32Array => Float32Array.from([Math.sin(k), Math.cos(k), k / 20]);
    for (let k = 0; k < 19; k++) await agent.observe(o(k), k % 2, k % 3, o(k + 1), false);
    const before = agent.online.getWeights().map((w) => w.dataSync().slice());
    // Step 20 of 20: a linear schedule has reached 0 there.
    await agent.observe(o(19), 1, 1, o(20), false);
    const after = agent.online.getWeights().map((w) => w.dataSync().slice());
    expect(after.some((w, i) => w.some((v, j) => v !== before[i]![j]))).toBe(moves);
    agent.dispose();
  });

  it('starts from the same weights for the same seed', async () => {
    const make = (seed: number): DqnAgent => new DqnAgent(mlpPlan(4, [16], 3), { ...DEFAULT_AGENT_PARAMS, replaySize: 10, seed });
    const observation = Float32Array.from([0.1, -0.4, 0.8, 0.3]);
    const [a, b, c] = [make(4), make(4), make(5)];
    expect(await b.qValues(observation)).toEqual(await a.qValues(observation));
    expect(await c.qValues(observation)).not.toEqual(await a.qValues(observation));
    // Glorot-uniform bounds of the 4×16 kernel.
    const kernel = a.online.weights.find((w) => w.originalName.endsWith('/kernel'))!.read().dataSync();
    expect(Math.max(...kernel.map(Math.abs))).toBeLessThanOrEqual(Math.sqrt(6 / 20));
    [a, b, c].forEach((agent) => agent.dispose());
  });

  it('copies the online network into the target only on sync', async () => {
    const agent = new DqnAgent(mlpPlan(3, [8], 2), { ...DEFAULT_AGENT_PARAMS, replaySize: 10, batchSize: 2, learningRate: 0.05 });
    const x = tf.tensor2d([[0.3, -0.2, 0.9]]);
    const same = (): boolean => {
      const a = (agent.online.predict(x) as tf.Tensor).dataSync();
      const b = (agent.target.predict(x) as tf.Tensor).dataSync();
      return a.every((v, i) => v === b[i]);
    };
    expect(same()).toBe(true);
    agent.replay.add(Float32Array.from([0.3, -0.2, 0.9]), 0, 1, Float32Array.from([0, 0, 0]), true);
    await agent.trainBatch(agent.replay.sample(agent.rng, agent.replay.allocateBatch(2)));
    expect(same()).toBe(false);
    agent.syncTarget();
    expect(same()).toBe(true);
    agent.dispose();
  });
});

describe('DQN checkpoints', () => {
  const params: AgentParams = {
    ...DEFAULT_AGENT_PARAMS,
    replaySize: 500,
    batchSize: 16,
    learningStarts: 40,
    targetSync: 30,
    epsilonDecaySteps: 300,
  };
  const config = highwayConfig({ vehicles: 12 });
  const model = mlpPlan(30, [24], 5);

  async function continueFor(trainer: RlTrainer, steps: number): Promise<{ actions: number[]; rewards: number[]; losses: number[] }> {
    const out = { actions: [] as number[], rewards: [] as number[], losses: [] as number[] };
    for (let k = 0; k < steps; k++) {
      const r = await trainer.stepOnce();
      out.actions.push(r.action);
      out.rewards.push(r.reward);
      out.losses.push(trainer.agent.lastLoss);
    }
    return out;
  }

  it.each([
    { nSteps: 1, prioritizedReplay: false },
    { nSteps: 3, prioritizedReplay: true },
  ])('resumes with identical subsequent actions, rewards and losses: %o', async (options) => {
    const original = RlTrainer.create(new HighwayEnv(config), model, { ...params, ...options }, 7);
    await original.train(120);
    // structuredClone stands in for IndexedDB and postMessage.
    const saved = structuredClone(await original.checkpoint());
    const resumed = await RlTrainer.restore(new HighwayEnv(config), model, saved);
    expect(resumed.step).toBe(120);
    expect(resumed.agent.replay.size + saved.agent.pending!.length).toBe(120);
    expect(resumed.agent.replay.getState()).toEqual(original.agent.replay.getState());
    const a = await continueFor(original, 150);
    const b = await continueFor(resumed, 150);
    expect(b.actions).toEqual(a.actions);
    expect(b.rewards).toEqual(a.rewards);
    expect(b.losses).toEqual(a.losses);
    expect(new Set(a.actions).size).toBeGreaterThan(1);
    expect(resumed.episode).toBe(original.episode);
    original.dispose();
    resumed.dispose();
  });

  it('can leave the replay buffer out, and then resumes with an empty one', async () => {
    const trainer = RlTrainer.create(new HighwayEnv(config), model, params, 3);
    await trainer.train(60);
    const saved = await trainer.checkpoint(false);
    expect(saved.agent.replay).toBeUndefined();
    const resumed = await RlTrainer.restore(new HighwayEnv(config), model, saved);
    expect(resumed.agent.replay.size).toBe(0);
    const observation = new HighwayEnv(config).reset(5);
    expect(await resumed.agent.qValues(observation)).toEqual(await trainer.agent.qValues(observation));
    trainer.dispose();
    resumed.dispose();
  });

  it('leaves no tensor behind when it takes checkpoints (Adam hands out a fresh iteration scalar each time)', async () => {
    const trainer = RlTrainer.create(new HighwayEnv(config), model, params, 3);
    await trainer.train(60);
    await trainer.checkpoint(false);
    const before = tf.memory().numTensors;
    for (let k = 0; k < 3; k++) await trainer.checkpoint(false);
    expect(tf.memory().numTensors).toBe(before);
    trainer.dispose();
  });

  it('refuses a network whose input does not fit the environment', () => {
    expect(() => RlTrainer.create(new HighwayEnv(config), mlpPlan(12, [8], 5), params, 0)).toThrow(/observes 30 values/);
  });
});
