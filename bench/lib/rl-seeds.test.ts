import { describe, expect, it } from 'vitest';
import { beats, describeShares, endOverStart, pooledEndOverStart, shares, summarize, tenths, type SeedRow } from './rl-seeds';

const row = (over: Partial<SeedRow>): SeedRow => ({ seed: 0, meanSpeed: 25, collisionRate: 0, meanReturn: 17, trainSeconds: 60, endOverStart: 1, endOverStartWall: 1, cpuTenths: { start: { steps: 100, seconds: 1 }, end: { steps: 100, seconds: 1 } }, actionShares: [0.2, 0.2, 0.2, 0.2, 0.2], ...over });
const idm = { meanSpeed: 24.14, collisionRate: 0 };

describe('bench:rl seed rows', () => {
  it('beats IDM + MOBIL only faster and at no more collisions', () => {
    expect(beats(row({}), idm)).toBe(true);
    expect(beats(row({ meanSpeed: 24.1 }), idm)).toBe(false);
    expect(beats(row({ collisionRate: 0.02 }), idm)).toBe(false);
  });

  it('shows a driver that takes one action everywhere as 100% of it', () => {
    expect(shares([0, 0, 0, 0, 40])).toEqual([0, 0, 0, 0, 1]);
    expect(shares([0, 0])).toEqual([0, 0]);
    expect(describeShares(shares([1, 3, 0, 0, 0]))).toBe('lane left 25%, idle 75%, lane right 0%, faster 0%, slower 0%');
  });

  it('takes the steps/s ratio from the second and last tenths, and the worst seed for the summary', () => {
    // 1000 steps/s until step 500, then 500 steps/s.
    const points = Array.from({ length: 11 }, (_, i) => ({ step: i * 100, ms: i <= 5 ? i * 100 : 500 + (i - 5) * 200 }));
    expect(endOverStart(points, 1000)).toBeCloseTo(0.5, 6);
    const s = summarize('ppo', [row({ endOverStart: 0.9, endOverStartWall: 1.1, trainSeconds: 70 }), row({ seed: 1, collisionRate: 0.04, endOverStart: 1.2, endOverStartWall: 0.7, meanSpeed: 26 })], idm);
    expect(s).toMatchObject({ seeds: 2, beat_idm_seeds: 1, worst_collision_rate: 0.04, mean_speed: 25.5, train_seconds_max: 70, steps_per_s_end_over_start: 0.9, steps_per_wall_s_end_over_start: 0.7 });
    expect(tenths(points, 1000)).toEqual({ start: { steps: 100, seconds: 0.1 }, end: { steps: 100, seconds: 0.2 } });
  });

  it('pools the seeds\' tenths: steps over seconds of all of them, not the mean of their ratios', () => {
    // Seed 0: 100 steps in 1 s, then in 2 s (0.5); seed 1: 300 in 1 s, then 300 in 0.5 s (2).
    const rows = [
      { cpuTenths: { start: { steps: 100, seconds: 1 }, end: { steps: 100, seconds: 2 } } },
      { cpuTenths: { start: { steps: 300, seconds: 1 }, end: { steps: 300, seconds: 0.5 } } },
    ];
    // Start 400 / 2 s = 200/s, end 400 / 2.5 s = 160/s.
    expect(pooledEndOverStart(rows)).toBeCloseTo(0.8, 9);
    expect(summarize('dqn', [row({ ...rows[0]!, endOverStart: 0.5 }), row({ seed: 1, ...rows[1]!, endOverStart: 2 })], idm)).toMatchObject({ steps_per_s_end_over_start: 0.5, steps_per_s_end_over_start_pooled: 0.8 });
  });
});
