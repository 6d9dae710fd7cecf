import { describe, expect, it } from 'vitest';
import { Rng } from './random';
import { ReplayBuffer } from './replay-buffer';

const obs = (v: number): Float32Array => Float32Array.from([v, v + 0.5]);

describe('ReplayBuffer', () => {
  it('overwrites the oldest transitions once full', () => {
    const buffer = new ReplayBuffer(3, 2);
    for (let k = 0; k < 5; k++) buffer.add(obs(k), k, k / 10, obs(k + 1), k === 4);
    expect(buffer.size).toBe(3);
    const state = buffer.getState();
    // Slots hold transitions 3, 4, 2 (k = 3 and 4 wrapped onto slots 0 and 1).
    expect([...state.actions]).toEqual([3, 4, 2]);
    expect([...state.observations]).toEqual([3, 3.5, 4, 4.5, 2, 2.5]);
    expect([...state.dones]).toEqual([0, 1, 0]);
  });

  it('samples rows that belong together, and only stored ones', () => {
    const buffer = new ReplayBuffer(100, 2);
    for (let k = 0; k < 10; k++) buffer.add(obs(k), k, k / 10, obs(k + 1), false);
    const batch = buffer.sample(new Rng(0), buffer.allocateBatch(64));
    const seen = new Set<number>();
    for (let b = 0; b < 64; b++) {
      const k = batch.actions[b]!;
      seen.add(k);
      expect(k).toBeLessThan(10);
      expect(batch.observations[2 * b]).toBe(k);
      expect(batch.nextObservations[2 * b]).toBe(k + 1);
      expect(batch.rewards[b]).toBeCloseTo(k / 10, 6);
    }
    expect(seen.size).toBeGreaterThan(5);
  });

  it('round-trips its state, including the write position', () => {
    const buffer = new ReplayBuffer(4, 2);
    for (let k = 0; k < 6; k++) buffer.add(obs(k), k, 0, obs(k), false);
    const copy = new ReplayBuffer(4, 2);
    copy.load(structuredClone(buffer.getState()));
    buffer.add(obs(9), 9, 0, obs(9), true);
    copy.add(obs(9), 9, 0, obs(9), true);
    expect(copy.getState()).toEqual(buffer.getState());
    expect(() => new ReplayBuffer(5, 2).load(buffer.getState())).toThrow(/replay state holds/);
  });

  it('keeps each transition\'s horizon, and reads older states as one-step', () => {
    const buffer = new ReplayBuffer(4, 2);
    buffer.add(obs(0), 0, 0, obs(1), false, 3);
    const batch = buffer.sample(new Rng(0), buffer.allocateBatch(2));
    expect([...batch.horizons]).toEqual([3, 3]);
    const { horizons: _, ...older } = buffer.getState();
    const copy = new ReplayBuffer(4, 2);
    copy.load(older);
    expect([...copy.sample(new Rng(0), copy.allocateBatch(1)).horizons]).toEqual([1]);
  });

  it('refuses to sample when empty', () => {
    const buffer = new ReplayBuffer(4, 2);
    expect(() => buffer.sample(new Rng(0), buffer.allocateBatch(1))).toThrow(/empty/);
  });
});
