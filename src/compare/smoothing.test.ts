import { describe, expect, it } from 'vitest';
import { smoothEma } from './smoothing';

describe('smoothEma (TensorBoard, debiased)', () => {
  it('matches hand-computed values', () => {
    // w = 0.5: last = 0.5·last + 0.5·v; debias 1 − 0.5ⁿ.
    // 1st: last 0.5 → 0.5/0.5 = 1; 2nd: last 0.25+1.5 = 1.75 → 1.75/0.75 = 2.3333…;
    // 3rd: last 0.875+0 = 0.875 → 0.875/0.875 = 1.
    const s = smoothEma([1, 3, 0], 0.5);
    expect(s[0]).toBeCloseTo(1, 12);
    expect(s[1]).toBeCloseTo(7 / 3, 12);
    expect(s[2]).toBeCloseTo(1, 12);
  });

  it('matches hand-computed values at w = 0.9', () => {
    // 1st: 0.1·10 = 1 → 1/0.1 = 10; 2nd: 0.9 + 0.1·20 = 2.9 → 2.9/0.19 = 15.263…
    const s = smoothEma([10, 20], 0.9);
    expect(s[0]).toBeCloseTo(10, 12);
    expect(s[1]).toBeCloseTo(2.9 / 0.19, 12);
  });

  it('returns the values at weight 0, passes non-finite values through and keeps constants', () => {
    expect(Array.from(smoothEma([3, 1, 2], 0))).toEqual([3, 1, 2]);
    const s = smoothEma([2, NaN, 4], 0.5);
    expect(Number.isNaN(s[1])).toBe(true);
    // NaN takes no part: the third point is the second in the average (0.5+2 = 2.5 → 2.5/0.75).
    expect(s[2]).toBeCloseTo(2.5 / 0.75, 12);
    expect(Array.from(smoothEma([5, 5, 5], 0.9))).toEqual([5, 5, 5]);
  });

  it('refuses a weight outside [0, 1]', () => {
    expect(() => smoothEma([1], 1.5)).toThrow(/\[0, 1\]/);
    expect(() => smoothEma([1], NaN)).toThrow(/\[0, 1\]/);
  });
});
