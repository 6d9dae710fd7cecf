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

  it('samples prioritized transitions by |TD error|^α and weights them to undo the bias', () => {
    const buffer = new ReplayBuffer(4, 2, 1);
    for (let k = 0; k < 4; k++) buffer.add(obs(k), k, 0, obs(k), false);
    // Priorities |δ| + 0.001 with α = 1: transition 3 is nine times as likely as transition 0.
    buffer.updatePriorities([0, 1, 2, 3], [0.099, 0.199, 0.299, 0.899]);
    const rng = new Rng(5);
    const batch = buffer.allocateBatch(8);
    const counts = [0, 0, 0, 0];
    for (let k = 0; k < 2000; k++) {
      buffer.sample(rng, batch, 1);
      for (let b = 0; b < 8; b++) counts[batch.actions[b]!]!++;
      expect(batch.indices[0]).toBe(batch.actions[0]);
    }
    const share = counts.map((c) => c / 16_000);
    [0.1, 0.2, 0.3, 0.9].forEach((p, i) => expect(share[i]).toBeCloseTo(p / 1.5, 1));
    // With β = 1 a row weighs (N·P)^−1 over the batch's largest, i.e. P_rarest / P_row.
    buffer.sample(rng, batch, 1);
    const priority = [0.1, 0.2, 0.3, 0.9];
    const rarest = Math.min(...[...batch.actions].map((a) => priority[a]!));
    [...batch.actions].forEach((a, b) => expect(batch.weights[b]).toBeCloseTo(rarest / priority[a]!, 5));
  });

  it('gives new transitions the largest priority seen, and keeps priorities in its state', () => {
    const buffer = new ReplayBuffer(3, 2, 0.5);
    buffer.add(obs(0), 0, 0, obs(0), false);
    buffer.updatePriorities([0], [3.999]);
    buffer.add(obs(1), 1, 0, obs(1), false);
    const state = buffer.getState();
    expect([...state.priorities!].map((p) => Number(p.toFixed(6)))).toEqual([2, 2, 0]);
    const copy = new ReplayBuffer(3, 2, 0.5);
    copy.load(structuredClone(state));
    expect(copy.getState()).toEqual(state);
  });

  it('refuses to sample when empty', () => {
    const buffer = new ReplayBuffer(4, 2);
    expect(() => buffer.sample(new Rng(0), buffer.allocateBatch(1))).toThrow(/empty/);
  });
});
