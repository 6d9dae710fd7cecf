/**
 * Learning-rate schedules, evaluated per optimizer step. Pure (no TF.js), so the supervised worker
 * trains by it and the Optimizer node's tests chart it from the same settings, to the last digit.
 */
import type { OptimizerSettings } from './optimizer';

export type ScheduleKind = OptimizerSettings['schedule'];

/** The Optimizer settings a schedule reads. */
export type ScheduleParams = Pick<
  OptimizerSettings,
  'learningRate' | 'schedule' | 'warmupEpochs' | 'stepEvery' | 'stepGamma' | 'minLearningRateFraction' | 'epochs'
>;

/**
 * One-cycle starts at peak / 25, as in Smith & Topin's "super-convergence" runs and PyTorch's
 * `OneCycleLR` default; its rising phase is `warmupEpochs`, or 30% of training when that is 0.
 */
export const ONECYCLE_START_DIVISOR = 25;
export const ONECYCLE_DEFAULT_RISE = 0.3;

/** Cosine interpolation from `from` (t = 0) to `to` (t = 1). */
function cosineBetween(from: number, to: number, t: number): number {
  const c = Math.min(1, Math.max(0, t));
  return to + (from - to) * 0.5 * (1 + Math.cos(Math.PI * c));
}

/** A schedule bound to a run length: the rate for any step, and how many steps there are. */
export interface LearningRateSchedule {
  totalSteps: number;
  warmupSteps: number;
  /** The rate for 0-based optimizer step `step`; steps past the end keep the last rate. */
  at(step: number): number;
}

/**
 * Builds the schedule for `stepsPerEpoch` optimizer steps per epoch.
 *
 * - Warm-up (constant, step, cosine): the rate climbs linearly, `peak × (step + 1) / warmupSteps`,
 *   then the schedule proper takes over.
 * - `step`: `peak × stepGamma ^ floor(epoch / stepEvery)`, counting whole epochs from the start.
 * - `cosine`: from the peak after warm-up down to `peak × minLearningRateFraction` at the end.
 * - `onecycle`: cosine rise from peak/25 to the peak, then cosine fall to the floor.
 */
export function makeSchedule(p: ScheduleParams, stepsPerEpoch: number): LearningRateSchedule {
  if (!(stepsPerEpoch >= 1)) throw new Error(`a schedule needs at least one step per epoch, got ${stepsPerEpoch}`);
  const peak = p.learningRate;
  const floor = peak * p.minLearningRateFraction;
  const totalSteps = Math.max(1, Math.round(p.epochs * stepsPerEpoch));
  const warmupSteps = Math.min(totalSteps, Math.round(p.warmupEpochs * stepsPerEpoch));

  if (p.schedule === 'onecycle') {
    const rise = Math.max(1, p.warmupEpochs > 0 ? warmupSteps : Math.round(ONECYCLE_DEFAULT_RISE * totalSteps));
    const start = peak / ONECYCLE_START_DIVISOR;
    // The last step lands exactly on the floor, as PyTorch's OneCycleLR does.
    const fall = Math.max(1, totalSteps - 1 - rise);
    return {
      totalSteps,
      warmupSteps: rise,
      at(step) {
        const s = Math.min(Math.max(0, step), totalSteps - 1);
        if (s < rise) return cosineBetween(start, peak, s / rise);
        return cosineBetween(peak, floor, (s - rise) / fall);
      },
    };
  }

  const decaySteps = Math.max(1, totalSteps - 1 - warmupSteps);
  const base = (s: number): number => {
    if (p.schedule === 'step') return peak * p.stepGamma ** Math.floor(s / stepsPerEpoch / p.stepEvery);
    if (p.schedule === 'cosine') return cosineBetween(peak, floor, (s - warmupSteps) / decaySteps);
    return peak;
  };
  return {
    totalSteps,
    warmupSteps,
    at(step) {
      const s = Math.min(Math.max(0, step), totalSteps - 1);
      if (s < warmupSteps) return (base(s) * (s + 1)) / warmupSteps;
      return base(s);
    },
  };
}
