/**
 * Worker events for the page's tests, with plausible values for the fields a test does not care
 * about. Test-only (the import rules exempt `test-*.ts`).
 */
import type { EpochEvent, ProgressEvent, RunEvent, StepEvent } from '../../protocol/events';

/** A supervised step event; `epochProgress` sets `epochStep` of a 100-step epoch. */
export function stepEvent(fields: Partial<StepEvent> & { step: number; epochProgress?: number }): StepEvent {
  const { epochProgress = 0.5, ...rest } = fields;
  return {
    type: 'step',
    totalSteps: 0,
    epoch: 0,
    epochStep: Math.round(epochProgress * 100),
    stepsPerEpoch: 100,
    loss: 2.3,
    accuracy: 0.1,
    learningRate: 0.01,
    imagesPerSecond: 100,
    elapsedMs: 0,
    ...rest,
  };
}

export function epochEvent(fields: Partial<EpochEvent> & { epoch: number; step: number }): EpochEvent {
  return { type: 'epoch', epochLoss: 2.2, epochAccuracy: 0.2, elapsedMs: 0, ...fields };
}

/** An RL progress event without a world frame. */
export function progressEvent(fields: Partial<ProgressEvent> & { step: number }): ProgressEvent {
  return { type: 'progress', totalSteps: 0, episode: 0, epsilon: 1, stepsPerSecond: 100, elapsedMs: 0, frame: null, ...fields };
}

export function doneEvent(reason: 'completed' | 'stopped', step = 0): RunEvent {
  return { type: 'done', reason, step, elapsedMs: 0 };
}
