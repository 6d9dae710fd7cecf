import { describe, expect, it } from 'vitest';
import { Rng } from './random';

describe('Rng', () => {
  it('repeats its stream for a seed and differs between seeds', () => {
    const draw = (seed: number): number[] => {
      const rng = new Rng(seed);
      return Array.from({ length: 8 }, () => rng.nextUint32());
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
    expect(draw(0)).not.toEqual(draw(1));
  });

  it('resumes exactly from a saved state', () => {
    const rng = new Rng(7);
    for (let i = 0; i < 100; i++) rng.next();
    const copy = Rng.fromState(rng.getState());
    const a = Array.from({ length: 20 }, () => rng.next());
    const b = Array.from({ length: 20 }, () => copy.next());
    expect(b).toEqual(a);
  });

  it('draws uniforms in [0, 1) with the right mean, integers in range', () => {
    const rng = new Rng(1);
    let sum = 0;
    const counts = [0, 0, 0, 0, 0];
    for (let i = 0; i < 50_000; i++) {
      const u = rng.next();
      expect(u).toBeGreaterThanOrEqual(0);
      expect(u).toBeLessThan(1);
      sum += u;
      counts[rng.int(5)]!++;
    }
    expect(sum / 50_000).toBeCloseTo(0.5, 2);
    for (const c of counts) expect(c / 50_000).toBeCloseTo(0.2, 1);
  });

  it('draws standard normals', () => {
    const rng = new Rng(3);
    const xs = Array.from({ length: 20_000 }, () => rng.normal());
    const mean = xs.reduce((a, b) => a + b) / xs.length;
    const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length;
    expect(mean).toBeCloseTo(0, 1);
    expect(variance).toBeCloseTo(1, 1);
  });
});
