import { describe, expect, it } from 'vitest';
import { generalizedAdvantages, normalized } from './gae';

describe('generalizedAdvantages', () => {
  // One environment, three steps, the episode ending at the last one.
  const base = { steps: 3, envs: 1, rewards: [1, 0, 2], values: [0.5, 0.4, 0.3], dones: [0, 0, 1], lastValues: [9], gamma: 0.9, lambda: 0.8 };

  it('matches a hand computation on a tiny trajectory', () => {
    // δ2 = 2 − 0.3 = 1.7 (terminal: no bootstrap from 9); A2 = 1.7
    // δ1 = 0 + 0.9·0.3 − 0.4 = −0.13; A1 = −0.13 + 0.72·1.7 = 1.094
    // δ0 = 1 + 0.9·0.4 − 0.5 = 0.86; A0 = 0.86 + 0.72·1.094 = 1.64768
    const { advantages, returns } = generalizedAdvantages(base);
    expect([...advantages].map((x) => Number(x.toFixed(5)))).toEqual([1.64768, 1.094, 1.7]);
    expect([...returns].map((x) => Number(x.toFixed(5)))).toEqual([2.14768, 1.494, 2]);
  });

  it('bootstraps from the last value where the rollout cuts an episode, and λ = 1 gives discounted returns', () => {
    const cut = { ...base, dones: [0, 0, 0], lambda: 1 };
    // Return from step 0: 1 + 0.9·0 + 0.81·2 + 0.729·9 = 9.181.
    const { returns } = generalizedAdvantages(cut);
    expect(returns[0]).toBeCloseTo(9.181, 5);
    expect(returns[2]).toBeCloseTo(2 + 0.9 * 9, 5);
  });

  it('keeps environments apart in time-major rows', () => {
    // Two environments interleaved: env 0 is `base`, env 1 gets reward 1 once and ends.
    const two = {
      ...base,
      envs: 2,
      rewards: [1, 1, 0, 0, 2, 0],
      values: [0.5, 0, 0.4, 0, 0.3, 0],
      dones: [0, 1, 0, 0, 1, 1],
      lastValues: [9, 0],
    };
    const { advantages } = generalizedAdvantages(two);
    expect(advantages[0]).toBeCloseTo(1.64768, 5);
    expect(advantages[1]).toBeCloseTo(1, 6);
    expect(advantages[3]).toBeCloseTo(0, 6);
  });

  it('says which input has the wrong length', () => {
    expect(() => generalizedAdvantages({ ...base, values: [1, 2] })).toThrow(/values has 2 rows, the rollout 3 × 1/);
  });

  it('normalises to mean 0 and standard deviation 1', () => {
    const z = normalized([1, 2, 3, 4]);
    expect(z.reduce((a, b) => a + b, 0)).toBeCloseTo(0, 6);
    expect(z[0]).toBeCloseTo(-1.5 / Math.sqrt(1.25), 5);
  });
});
