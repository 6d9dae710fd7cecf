import { describe, expect, it } from 'vitest';
import { Mulberry32, Rng } from './random';

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

describe('one module, the same streams', () => {
  // Values the generators gave before they shared this module (sfc32 from src/rl, mulberry32 from
  // the supervised worker's data-random.ts and bench/lib/cifar-data.ts): stored checkpoints hold
  // their states, so every draw must stay bit for bit what it was.
  it('sfc32 draws what it drew before', () => {
    const s = new Rng(42);
    expect([s.nextUint32(), s.next(), s.int(10), s.normal(), s.uniform(2, 3), s.shuffle([1, 2, 3, 4, 5]), s.getState()]).toEqual([
      2476999517, 0.5318840781692415, 2, 0.17546842084624306, 2.7856360534206033, [4, 3, 2, 1, 5], [1919207107, 833267156, 978612797, 23],
    ]);
  });

  it('mulberry32 draws what the data and the benchmarks drew before, and resumes from its position', () => {
    const r = new Mulberry32(1234);
    expect([r.next(), r.next(), r.int(1000), r.normal()]).toEqual([0.07329497812315822, 0.7034119898453355, 902, 2.5677340616883675]);
    r.position = 0xdeadbeef;
    expect([r.next(), Array.from(r.permutation(8))]).toEqual([0.9413696140982211, [1, 4, 0, 3, 6, 7, 5, 2]]);
    const bench = new Mulberry32(7);
    expect([bench.next(), bench.int(256), Array.from(bench.shuffle(Uint32Array.from([0, 1, 2, 3, 4, 5])))]).toEqual([0.011704753153026104, 15, [4, 0, 1, 2, 3, 5]]);
    const resumed = new Mulberry32(0);
    resumed.position = bench.position;
    expect(Array.from({ length: 5 }, () => resumed.nextUint32())).toEqual(Array.from({ length: 5 }, () => bench.nextUint32()));
  });
});
