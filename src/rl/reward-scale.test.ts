import { describe, expect, it } from 'vitest';
import { RewardScaler } from './reward-scale';

describe('RewardScaler', () => {
  it('divides each reward by the running standard deviation of the discounted return (hand-computed)', () => {
    const s = new RewardScaler(1, 0.5);
    // G = 2: one sample, no spread yet, the reward passes through.
    expect([...s.scale(Float32Array.of(2), [0])]).toEqual([2]);
    // G = 0.5·2 + 4 = 5; returns {2, 5}: mean 3.5, variance 2.25, std 1.5 → 4 / 1.5.
    expect(s.scale(Float32Array.of(4), [1])[0]).toBeCloseTo(4 / 1.5, 6);
    expect(s.variance).toBeCloseTo(2.25, 12);
    // The episode ended, so G restarts: G = 3; returns {2, 5, 3}.
    const out = s.scale(Float32Array.of(3), [0])[0]!;
    const mean = (2 + 5 + 3) / 3;
    const variance = ((2 - mean) ** 2 + (5 - mean) ** 2 + (3 - mean) ** 2) / 3;
    expect(out).toBeCloseTo(3 / Math.sqrt(variance), 6);
  });

  it('keeps one return per environment and resets only the environments whose episode ended', () => {
    const s = new RewardScaler(2, 1);
    s.scale(Float32Array.of(1, 10), [1, 0]);
    s.scale(Float32Array.of(1, 10), [0, 0]);
    // Env 0 restarted (G = 1 again), env 1 accumulated (G = 20).
    expect(s.getState().returns).toEqual([1, 20]);
  });

  it('restores its statistics exactly and refuses another number of environments', () => {
    const a = new RewardScaler(2, 0.9);
    for (let k = 0; k < 7; k++) a.scale(Float32Array.of(k, -k), [k % 3 === 0 ? 1 : 0, 0]);
    const b = new RewardScaler(2, 0.9);
    b.setState(structuredClone(a.getState()));
    expect([...b.scale(Float32Array.of(3, 4), [0, 0])]).toEqual([...a.scale(Float32Array.of(3, 4), [0, 0])]);
    expect(() => new RewardScaler(3, 0.9).setState(a.getState())).toThrow(/holds 2 environments, the run has 3/);
  });
});
