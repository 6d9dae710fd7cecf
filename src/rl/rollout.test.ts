import { describe, expect, it } from 'vitest';
import { Rollout } from './rollout';

/** One time step of 2 environments with 3-value observations, values tagged by `t`. */
function step(t: number) {
  return {
    observations: Float32Array.from([t, t, t, -t, -t, -t]),
    actions: Int32Array.from([t % 5, (t + 1) % 5]),
    rewards: Float32Array.from([t / 10, -t / 10]),
    dones: Float32Array.from([0, t === 1 ? 1 : 0]),
    values: Float32Array.from([t, 2 * t]),
    logProbs: Float32Array.from([-t, -2 * t]),
  };
}

describe('Rollout', () => {
  it('stores steps time-major: row t·envs + n', () => {
    const r = new Rollout(3, 2, 3);
    for (let t = 0; t < 3; t++) r.add(step(t));
    expect(r.full).toBe(true);
    expect([...r.observations.subarray(3 * 3, 4 * 3)]).toEqual([-1, -1, -1]);
    expect([...r.dones]).toEqual([0, 0, 0, 1, 0, 0]);
    expect(r.values[4]).toBe(2);
    expect(() => r.add(step(3))).toThrow(/the rollout is full/);
  });

  it('restores a partly filled rollout from its state and goes on filling it', () => {
    const a = new Rollout(3, 2, 3);
    a.add(step(1));
    const b = new Rollout(3, 2, 3);
    b.load(structuredClone(a.getState()));
    a.add(step(2));
    b.add(step(2));
    expect(b.filled).toBe(2);
    expect([...b.observations]).toEqual([...a.observations]);
    expect([...b.logProbs]).toEqual([...a.logProbs]);
  });

  it('refuses a state of another size, naming both', () => {
    const state = new Rollout(4, 2, 3).getState();
    expect(() => new Rollout(3, 2, 3).load(state)).toThrow('rollout state holds 4×2×3, this rollout 3×2×3');
  });
});
