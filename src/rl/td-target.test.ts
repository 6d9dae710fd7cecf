import { describe, expect, it } from 'vitest';
import { argmax, huber, tdTargets } from './td-target';

describe('tdTargets', () => {
  // Two transitions, three actions. Row 0 continues, row 1 terminated.
  const rewards = Float32Array.from([1, 0.5]);
  const dones = Float32Array.from([0, 1]);
  const nextTarget = [0.2, 0.9, 0.4, 5, 6, 7];
  const nextOnline = [0.3, 0.1, 0.8, 1, 2, 3];

  it('bootstraps from the target network\'s best action in vanilla DQN', () => {
    const y = tdTargets({ rewards, dones, nextTarget, numActions: 3, gamma: 0.5, double: false });
    expect(y[0]).toBeCloseTo(1 + 0.5 * 0.9, 6);
    expect(y[1]).toBeCloseTo(0.5, 6);
  });

  it('lets the online network choose and the target network evaluate in double DQN', () => {
    const y = tdTargets({ rewards, dones, nextTarget, nextOnline, numActions: 3, gamma: 0.5, double: true });
    // Online prefers action 2, whose target value is 0.4.
    expect(y[0]).toBeCloseTo(1 + 0.5 * 0.4, 6);
    expect(y[1]).toBeCloseTo(0.5, 6);
  });

  it('discounts an n-step return\'s bootstrap by γ to the power of its horizon', () => {
    const horizons = Uint8Array.from([3, 1]);
    const y = tdTargets({ rewards, dones, nextTarget, numActions: 3, gamma: 0.5, double: false, horizons });
    expect(y[0]).toBeCloseTo(1 + 0.125 * 0.9, 6);
    expect(y[1]).toBeCloseTo(0.5, 6);
  });

  it('needs the online values for double DQN', () => {
    expect(() => tdTargets({ rewards, dones, nextTarget, numActions: 3, gamma: 0.5, double: true })).toThrow(/double DQN/);
  });
});

describe('argmax and huber', () => {
  it('takes the first maximum within a row', () => {
    expect(argmax([1, 3, 3, 0])).toBe(1);
    expect(argmax([9, 1, 2, 5, 4], 1, 3)).toBe(2);
  });

  it('is quadratic inside delta and linear outside', () => {
    expect(huber(0.5, 1)).toBeCloseTo(0.125, 9);
    expect(huber(-3, 1)).toBeCloseTo(2.5, 9);
    expect(huber(3, 2)).toBeCloseTo(4, 9);
  });
});
