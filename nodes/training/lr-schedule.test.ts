import { describe, expect, it } from 'vitest';
import { makeSchedule, type ScheduleParams } from './lr-schedule';

const base: ScheduleParams = {
  learningRate: 1,
  schedule: 'constant',
  warmupEpochs: 0,
  stepEvery: 30,
  stepGamma: 0.1,
  minLearningRateFraction: 0,
  epochs: 10,
};
const rates = (p: Partial<ScheduleParams>, stepsPerEpoch: number, steps: number[]) => {
  const s = makeSchedule({ ...base, ...p }, stepsPerEpoch);
  return steps.map((i) => s.at(i));
};

describe('makeSchedule', () => {
  it('constant with linear warm-up', () => {
    const s = makeSchedule({ ...base, learningRate: 0.1, warmupEpochs: 1, epochs: 3 }, 4);
    expect(s.totalSteps).toBe(12);
    expect(s.warmupSteps).toBe(4);
    const got = [0, 1, 2, 3, 4, 11].map((i) => s.at(i));
    [0.025, 0.05, 0.075, 0.1, 0.1, 0.1].forEach((v, i) => expect(got[i]).toBeCloseTo(v, 12));
  });

  it('step decays by gamma every stepEvery epochs and holds after the end', () => {
    const got = rates({ schedule: 'step', stepEvery: 2, stepGamma: 0.1, epochs: 6 }, 5, [0, 9, 10, 19, 20, 29, 100]);
    [1, 1, 0.1, 0.1, 0.01, 0.01, 0.01].forEach((v, i) => expect(got[i]).toBeCloseTo(v, 12));
  });

  it('cosine falls from the peak to the floor on the last step', () => {
    const got = rates({ schedule: 'cosine', minLearningRateFraction: 0.1, epochs: 5 }, 1, [0, 1, 2, 3, 4]);
    // 0.1 + 0.45 * (1 + cos(k·π/4))
    [1, 0.8681980515, 0.55, 0.2318019485, 0.1].forEach((v, i) => expect(got[i]).toBeCloseTo(v, 9));
  });

  it('cosine after warm-up', () => {
    const got = rates({ schedule: 'cosine', warmupEpochs: 2, epochs: 6 }, 1, [0, 1, 2, 3, 4, 5]);
    [0.5, 1, 1, 0.75, 0.25, 0].forEach((v, i) => expect(got[i]).toBeCloseTo(v, 12));
  });

  it('one-cycle rises from peak/25 over 30% of training, then falls to the floor', () => {
    const s = makeSchedule({ ...base, schedule: 'onecycle', epochs: 10 }, 1);
    expect(s.warmupSteps).toBe(3);
    const got = [0, 1, 2, 3, 6, 9].map((i) => s.at(i));
    // rise: 1 - 0.96·(1 + cos(πt))/2 at t = 0, 1/3, 2/3, 1; fall: (1 + cos(πt))/2 at t = 0, 1/2, 1
    [0.04, 0.28, 0.76, 1, 0.5, 0].forEach((v, i) => expect(got[i]).toBeCloseTo(v, 12));
  });

  it('one-cycle uses warmupEpochs as its rise when given', () => {
    const s = makeSchedule({ ...base, schedule: 'onecycle', warmupEpochs: 1, minLearningRateFraction: 0.5, epochs: 3 }, 2);
    expect(s.warmupSteps).toBe(2);
    expect(s.at(2)).toBeCloseTo(1, 12);
    expect(s.at(5)).toBeCloseTo(0.5, 12);
  });

  it('rejects a run with no steps per epoch', () => {
    expect(() => makeSchedule(base, 0)).toThrow(/at least one step/);
  });
});
