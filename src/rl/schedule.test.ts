import { describe, expect, it } from 'vitest';
import { agentParams, DEFAULT_AGENT_PARAMS, epsilonAt, gradientStepsAfter, learningRateAt, syncTargetAfter } from './schedule';
import { Agent } from '../../nodes/rl/agent';

describe('DQN schedules', () => {
  it('decays ε linearly, then holds it', () => {
    const p = { epsilonStart: 1, epsilonEnd: 0.05, epsilonDecaySteps: 1000 };
    expect(epsilonAt(p, 0)).toBe(1);
    expect(epsilonAt(p, 500)).toBeCloseTo(0.525, 9);
    expect(epsilonAt(p, 1000)).toBeCloseTo(0.05, 9);
    expect(epsilonAt(p, 50_000)).toBeCloseTo(0.05, 9);
  });

  it('trains only after learningStarts, every trainEvery steps', () => {
    const p = { learningStarts: 10, trainEvery: 4, gradientSteps: 2 };
    const steps = Array.from({ length: 20 }, (_, k) => gradientStepsAfter(p, k + 1));
    // Steps 12, 16 and 20 are past learningStarts and multiples of 4: two gradient steps each.
    expect(steps.map((n, k) => (n > 0 ? k + 1 : 0)).filter(Boolean)).toEqual([12, 16, 20]);
    expect(steps.reduce((a, b) => a + b)).toBe(6);
  });

  it('keeps the learning rate, or takes it linearly to 0 at totalSteps', () => {
    const constant = { learningRate: 1e-3, learningRateSchedule: 'constant' as const, totalSteps: 1000 };
    expect([0, 500, 1000].map((s) => learningRateAt(constant, s))).toEqual([1e-3, 1e-3, 1e-3]);
    const linear = { ...constant, learningRateSchedule: 'linear' as const };
    expect(learningRateAt(linear, 0)).toBe(1e-3);
    expect(learningRateAt(linear, 250)).toBeCloseTo(7.5e-4, 12);
    expect(learningRateAt(linear, 1000)).toBe(0);
    expect(learningRateAt(linear, 1500)).toBe(0);
  });

  it('syncs the target every targetSync environment steps', () => {
    expect([49, 50, 51, 100].map((s) => syncTargetAfter({ targetSync: 50 }, s))).toEqual([false, true, false, true]);
  });

  it('is the Agent node\'s own settings schema (defined once), and its defaults are that schema\'s', () => {
    expect(Agent.params).toBe(agentParams);
    expect(DEFAULT_AGENT_PARAMS).toEqual(agentParams.parse({}));
  });
});
