import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/rl/random';
import { DEFAULT_AGENT_PARAMS } from '../../src/rl/schedule';
import { DqnAgent } from './dqn';
import { PolicyAgent } from './policy-agent';
import { mlpPlan } from './rl-test-plans';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** `rows` observations of `size` values laid end to end, drawn from a seeded generator. */
function observations(rows: number, size: number): Float32Array {
  const rng = new Rng(7);
  return Float32Array.from({ length: rows * size }, () => rng.uniform(-2, 2));
}

describe('greedy actions of many observations at once', () => {
  const rows = 24;
  const size = 10;
  const batch = observations(rows, size);
  const row = (r: number) => batch.slice(r * size, (r + 1) * size);

  it('DQN: one forward pass gives each row the action greedy gives it alone, and leaves no tensor', async () => {
    const agent = new DqnAgent(mlpPlan(size, [32], 5), { ...DEFAULT_AGENT_PARAMS, seed: 3 });
    const alone = [];
    for (let r = 0; r < rows; r++) alone.push(await agent.greedy(row(r)));
    // Not one action everywhere, or a mixed-up row order would go unseen.
    expect(new Set(alone).size).toBeGreaterThan(1);
    const tensors = tf.memory().numTensors;
    expect([...(await agent.greedyBatch(batch, rows))]).toEqual(alone);
    expect(tf.memory().numTensors).toBe(tensors);
    agent.dispose();
  });

  it('PPO and REINFORCE: the most likely action of each row, the value output left out', async () => {
    // Five logits and the value: a value larger than every logit must never be chosen.
    const agent = new PolicyAgent(mlpPlan(size, [32], 6), { ...DEFAULT_AGENT_PARAMS, algorithm: 'ppo', seed: 4 });
    const alone = [];
    for (let r = 0; r < rows; r++) alone.push(await agent.greedy(row(r)));
    expect(new Set(alone).size).toBeGreaterThan(1);
    const batched = await agent.greedyBatch(batch, rows);
    expect([...batched]).toEqual(alone);
    expect(Math.max(...batched)).toBeLessThan(5);
  });
});
