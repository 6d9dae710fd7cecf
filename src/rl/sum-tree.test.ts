import { describe, expect, it } from 'vitest';
import { Rng } from './random';
import { SumTree } from './sum-tree';

describe('SumTree', () => {
  it('keeps the total and finds the slot whose share holds a mass', () => {
    const tree = new SumTree(5);
    [1, 0, 3, 2, 4].forEach((p, slot) => tree.set(slot, p));
    expect(tree.total).toBe(10);
    // Shares: slot 0 [0,1), slot 2 [1,4), slot 3 [4,6), slot 4 [6,10); slot 1 is empty.
    expect([0, 0.99, 1, 3.99, 4, 5.5, 6, 9.99].map((m) => tree.find(m))).toEqual([0, 0, 2, 2, 3, 3, 4, 4]);
    tree.set(2, 0.5);
    expect(tree.total).toBeCloseTo(7.5, 12);
    expect(tree.find(1.2)).toBe(2);
    expect(tree.find(1.6)).toBe(3);
  });

  it('samples in proportion to priority', () => {
    const tree = new SumTree(3);
    [1, 2, 7].forEach((p, slot) => tree.set(slot, p));
    const rng = new Rng(3);
    const counts = [0, 0, 0];
    for (let k = 0; k < 20_000; k++) counts[tree.find(rng.next() * tree.total)]!++;
    expect(counts.map((c) => c / 20_000)).toEqual([expect.closeTo(0.1, 1), expect.closeTo(0.2, 1), expect.closeTo(0.7, 1)]);
  });

  it('never lands on an empty slot, even at the very end of the mass', () => {
    const tree = new SumTree(6);
    tree.set(0, 0.1);
    tree.set(1, 0.2);
    expect(tree.find(tree.total)).toBe(1);
    expect(tree.find(tree.total * (1 - 1e-16))).toBe(1);
  });

  it('round-trips its leaves and refuses bad input', () => {
    const tree = new SumTree(4);
    [0.5, 1.5, 0, 2].forEach((p, slot) => tree.set(slot, p));
    const copy = new SumTree(4);
    copy.load(tree.leaves());
    expect(copy.total).toBe(4);
    expect(copy.find(2.5)).toBe(3);
    expect(() => tree.set(4, 1)).toThrow(/outside/);
    expect(() => tree.set(0, Number.NaN)).toThrow(/finite/);
    expect(() => copy.load([1, 2])).toThrow(/2 priorities/);
  });
});
