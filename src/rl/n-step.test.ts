import { describe, expect, it } from 'vitest';
import { NStepAccumulator } from './n-step';

const o = (v: number): Float32Array => Float32Array.of(v);

describe('NStepAccumulator', () => {
  it('holds steps back until n rewards are known, then emits the discounted sum', () => {
    const acc = new NStepAccumulator(3, 0.5);
    expect(acc.push(o(0), 0, 1, o(1), false, false)).toEqual([]);
    expect(acc.push(o(1), 1, 2, o(2), false, false)).toEqual([]);
    const [t] = acc.push(o(2), 2, 4, o(3), false, false);
    // 1 + 0.5·2 + 0.25·4, bootstrapping from s₃ after three steps.
    expect(t).toEqual({ observation: o(0), action: 0, reward: 3, next: o(3), terminated: false, horizon: 3 });
    const [u] = acc.push(o(3), 3, 8, o(4), false, false);
    expect(u).toMatchObject({ observation: o(1), reward: 2 + 0.5 * 4 + 0.25 * 8, next: o(4), horizon: 3 });
  });

  it('flushes every pending step at a terminal state, without bootstrap', () => {
    const acc = new NStepAccumulator(3, 0.5);
    acc.push(o(0), 0, 1, o(1), false, false);
    const out = acc.push(o(1), 1, -1, o(2), true, false);
    expect(out.map((t) => [t.reward, t.horizon, t.terminated])).toEqual([
      [1 - 0.5, 2, true],
      [-1, 1, true],
    ]);
    expect(out.every((t) => t.next[0] === 2)).toBe(true);
    expect(acc.getState()).toEqual([]);
  });

  it('flushes at a time-out with shorter horizons that still bootstrap', () => {
    const acc = new NStepAccumulator(4, 0.9);
    acc.push(o(0), 0, 1, o(1), false, false);
    acc.push(o(1), 0, 1, o(2), false, false);
    const out = acc.push(o(2), 0, 1, o(3), false, true);
    expect(out.map((t) => t.horizon)).toEqual([3, 2, 1]);
    expect(out.map((t) => t.terminated)).toEqual([false, false, false]);
    expect(out[0]!.reward).toBeCloseTo(1 + 0.9 + 0.81, 6);
  });

  it('is one-step Q-learning at n = 1', () => {
    const acc = new NStepAccumulator(1, 0.9);
    expect(acc.push(o(0), 4, 0.25, o(1), false, false)).toEqual([
      { observation: o(0), action: 4, reward: 0.25, next: o(1), terminated: false, horizon: 1 },
    ]);
  });

  it('round-trips its pending steps and refuses what does not fit', () => {
    const acc = new NStepAccumulator(3, 0.5);
    acc.push(o(0), 0, 1, o(1), false, false);
    acc.push(o(1), 1, 2, o(2), false, false);
    const copy = new NStepAccumulator(3, 0.5);
    copy.setState(structuredClone(acc.getState()));
    expect(copy.push(o(2), 2, 4, o(3), false, false)).toEqual(acc.push(o(2), 2, 4, o(3), false, false));
    expect(() => new NStepAccumulator(2, 0.5).setState(acc.getState().concat(acc.getState()))).toThrow(/do not fit/);
    expect(() => new NStepAccumulator(0, 0.5)).toThrow(/positive integer/);
  });
});
