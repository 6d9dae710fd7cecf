import { describe, expect, it } from 'vitest';
import { makeTimeSchedule, type TimeScheduleParams } from './time-schedule';

const base: TimeScheduleParams = {
  learningRate: 1,
  schedule: 'cosine',
  warmupEpochs: 3, // ignored under a budget
  stepEvery: 2,
  stepGamma: 0.1,
  minLearningRateFraction: 0,
  epochs: 1, // ignored under a budget
  budgetMinutes: 1,
  budgetWarmupFraction: 0.2,
};
/** Rates at these seconds into a 60 s budget. */
const at = (p: Partial<TimeScheduleParams>, seconds: number[], step = 0) => {
  const s = makeTimeSchedule({ ...base, ...p }, 10);
  return seconds.map((t) => s.at(t * 1000, step));
};

describe('makeTimeSchedule', () => {
  it('cosine: linear warm-up over the first 20 % of the time, then down to zero exactly at the deadline', () => {
    // warm-up 12 s: 6 s → 0.5; decay over 48 s: 24 s in → 0.5·(1+cos(π/2)) = 0.5, 12 s in → 0.5·(1+cos(π/4))
    const got = at({}, [0, 6, 12, 24, 36, 48, 60, 90]);
    [0, 0.5, 1, 0.8535533906, 0.5, 0.1464466094, 0, 0].forEach((v, i) => expect(got[i]).toBeCloseTo(v, 9));
  });

  it('one-cycle: cosine rise from peak/25, fall to the floor at the deadline', () => {
    const got = at({ schedule: 'onecycle', learningRate: 0.4, minLearningRateFraction: 0.1 }, [0, 6, 12, 36, 60]);
    // rise 0.016 → 0.4: halfway 0.208; fall 0.4 → 0.04: halfway 0.22
    [0.016, 0.208, 0.4, 0.22, 0.04].forEach((v, i) => expect(got[i]).toBeCloseTo(v, 9));
  });

  it('constant holds the peak after warm-up; step decays by the epoch of the step', () => {
    expect(at({ schedule: 'constant' }, [3, 30, 60])).toEqual([0.25, 1, 1]);
    // 10 steps an epoch, stepEvery 2: step 25 is in epoch 2 → one decay; step 45 (epoch 4) → two
    expect(at({ schedule: 'step' }, [30], 25)[0]).toBeCloseTo(0.1, 12);
    expect(at({ schedule: 'step' }, [30], 45)[0]).toBeCloseTo(0.01, 12);
  });

  it('no warm-up starts at the peak; a zero budget is refused', () => {
    expect(at({ budgetWarmupFraction: 0 }, [0, 30])).toEqual([1, 0.5]);
    expect(() => makeTimeSchedule({ ...base, budgetMinutes: 0 }, 10)).toThrow(/positive/);
    expect(makeTimeSchedule({ ...base, budgetMinutes: 2.5 }, 10).budgetMs).toBe(150_000);
  });
});
