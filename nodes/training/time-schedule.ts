/**
 * The learning-rate schedule of a run with a time budget ("train for N minutes"): it runs over
 * training time, not steps, since how many steps fit in the budget is unknown until they are
 * taken (the machine, the backend, other tabs). Warm-up takes the first `budgetWarmupFraction` of
 * the budget; cosine and one-cycle then decay to the floor exactly at the deadline, where the run
 * stops. Pure, like `lr-schedule.ts`, so tests compute it by hand.
 */
import { ONECYCLE_START_DIVISOR, type ScheduleParams } from './lr-schedule';
import type { OptimizerSettings } from './optimizer';

/** The Optimizer settings a time-budget schedule reads. */
export type TimeScheduleParams = ScheduleParams & Pick<OptimizerSettings, 'budgetMinutes' | 'budgetWarmupFraction'>;

/** A schedule bound to a time budget: the rate at any training time, and the deadline. */
export interface TimeSchedule {
  budgetMs: number;
  /** The rate after `elapsedMs` of training (pauses excluded) at optimizer step `step` (0-based). */
  at(elapsedMs: number, step: number): number;
}

function cosineBetween(from: number, to: number, t: number): number {
  return to + (from - to) * 0.5 * (1 + Math.cos(Math.PI * Math.min(1, Math.max(0, t))));
}

/**
 * Builds the schedule for a budget of `p.budgetMinutes` (must be > 0). With `f` the share of the
 * budget used and `w` the warm-up share:
 *
 * - `onecycle`: cosine rise from peak/25 to the peak over `w`, cosine fall to the floor at f = 1.
 * - `cosine`: linear rise `peak × f / w`, then cosine fall from the peak to the floor at f = 1.
 * - `constant`: linear rise, then the peak.
 * - `step`: linear rise, then `peak × stepGamma ^ floor(epoch / stepEvery)` by the step's epoch.
 */
export function makeTimeSchedule(p: TimeScheduleParams, stepsPerEpoch: number): TimeSchedule {
  if (!(p.budgetMinutes > 0)) throw new Error(`a time budget must be positive, got ${p.budgetMinutes} minutes`);
  if (!(stepsPerEpoch >= 1)) throw new Error(`a schedule needs at least one step per epoch, got ${stepsPerEpoch}`);
  const budgetMs = p.budgetMinutes * 60_000;
  const peak = p.learningRate;
  const floor = peak * p.minLearningRateFraction;
  const w = Math.min(0.99, Math.max(0, p.budgetWarmupFraction));
  const decay = (f: number): number => (f - w) / (1 - w);
  return {
    budgetMs,
    at(elapsedMs, step) {
      const f = Math.min(1, Math.max(0, elapsedMs / budgetMs));
      if (p.schedule === 'onecycle') {
        return f < w ? cosineBetween(peak / ONECYCLE_START_DIVISOR, peak, f / w) : cosineBetween(peak, floor, decay(f));
      }
      if (f < w) return (peak * f) / w;
      if (p.schedule === 'cosine') return cosineBetween(peak, floor, decay(f));
      if (p.schedule === 'step') return peak * p.stepGamma ** Math.floor(Math.floor(step / stepsPerEpoch) / p.stepEvery);
      return peak;
    },
  };
}
