/** "Train for N minutes": the run's clock, its deadline, pauses and resumes, driven by an injected clock. */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerFastCpuKernels } from '../backend/backend-cpu-kernels';
import type { TrainEvent } from '../../src/protocol/train';
import type { Checkpoint } from './checkpoint';
import { SupervisedRun, estimatedSteps } from './supervised-run';
import { chainPlan, smallConvNet } from './train-test-plans';

beforeAll(async () => {
  await tf.setBackend('cpu');
  registerFastCpuKernels();
});

// 192 training images / 16 = 12 steps an epoch; a 0.1-minute budget is 6 s of the test's clock.
const PLAN_PARTS = {
  dataset: { source: 'synthetic', numClasses: 4, imageSize: 8, channels: 3, samples: 256, seed: 11, validationSplit: 0.25 },
  augmentation: { randomFlip: false, padCrop: 0, normalize: 'per-channel' },
  layers: smallConvNet(4),
  optimizer: { optimizer: 'adam', learningRate: 0.01, epochs: 50, batchSize: 16, schedule: 'cosine', budgetMinutes: 0.1, budgetWarmupFraction: 0.5 },
} as const;
const plan = chainPlan(PLAN_PARTS);

/**
 * Runs the plan on a clock that moves only when the test says: each step takes one second
 * (reported after it), and a pause, when `pauseAt` asks for one, lasts 100 s of the clock.
 */
async function timedRun(o: { resumeFrom?: Checkpoint; stopAt?: number; pauseAt?: number; validationMs?: number; plan?: typeof plan } = {}) {
  const events: TrainEvent[] = [];
  let clock = 0;
  let run: SupervisedRun | undefined = undefined;
  const emit = (e: TrainEvent): void => {
    events.push(e);
    if (e.type === 'step') {
      clock += 1000;
      if (e.step === o.stopAt) run!.stop();
      if (e.step === o.pauseAt) run!.pause();
    }
    // Validation takes `validationMs` of the clock (it starts with this status).
    if (e.type === 'status' && e.stage === 'evaluating' && e.text.startsWith('validating')) clock += o.validationMs ?? 0;
    if (e.type === 'paused') {
      clock += 100_000;
      setTimeout(() => run!.resume(), 0);
    }
  };
  run = new SupervisedRun(o.plan ?? plan, undefined, { backend: 'cpu', emit, stepEventIntervalMs: 0, now: () => clock, ...(o.resumeFrom ? { resumeFrom: o.resumeFrom } : {}) });
  const outcome = await run.run();
  const of = <T extends TrainEvent['type']>(t: T) => events.filter((e) => e.type === t) as Extract<TrainEvent, { type: T }>[];
  return { outcome, events, of };
}

// Cosine under a 6 s budget with half of it warm-up, the rate at 0..5 s (each step reads the clock before it runs).
const RATES = [0, 0.01 / 3, 0.02 / 3, 0.01, 0.0075, 0.0025];

describe('SupervisedRun with a time budget', () => {
  it('follows the time schedule, stops at the deadline mid-epoch, then validates and evaluates', async () => {
    const r = await timedRun();
    expect(r.outcome).toBe('completed');
    const steps = r.of('step');
    expect(steps.map((s) => s.step)).toEqual([1, 2, 3, 4, 5, 6]);
    steps.forEach((s, i) => expect(s.learningRate).toBeCloseTo(RATES[i]!, 12));
    expect(steps.map((s) => s.timeLeftMs)).toEqual([6000, 5000, 4000, 3000, 2000, 1000]);
    // The epoch cut short by the deadline is reported (its 6 batches' means) and validated.
    const epochs = r.of('epoch');
    expect(epochs.map((e) => [e.epoch, e.step])).toEqual([[1, 6]]);
    expect(epochs[0]!.valAccuracy).toBeGreaterThanOrEqual(0);
    expect(r.of('evaluation')).toHaveLength(1);
    expect(r.of('checkpoint').at(-1)!.payload).toMatchObject({ epoch: 1, step: 6, trainedMs: 6000 });
    expect(r.events.at(-1)).toMatchObject({ type: 'done', reason: 'completed', step: 6, elapsedMs: 6000 });
  });

  it('leaves pauses out of the budget', async () => {
    const r = await timedRun({ pauseAt: 3 });
    expect(r.of('paused')).toHaveLength(1);
    expect(r.of('step').map((s) => s.step)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(r.events.at(-1)).toMatchObject({ type: 'done', reason: 'completed', step: 6 });
  });

  it('leaves validation out of the budget: a slow validation after the first epoch still leaves 6 s of steps', async () => {
    // Batches of 64: 3 steps an epoch, so the budget spans two epochs and a validation between them.
    const wide = chainPlan({ ...PLAN_PARTS, optimizer: { ...PLAN_PARTS.optimizer, batchSize: 64 } });
    const r = await timedRun({ plan: wide, validationMs: 50_000 });
    expect(r.of('step').map((s) => s.step)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(r.of('step').map((s) => s.timeLeftMs)).toEqual([6000, 5000, 4000, 3000, 2000, 1000]);
    expect(r.of('epoch').map((e) => e.step)).toEqual([3, 6]);
    expect(r.of('checkpoint').at(-1)!.payload).toMatchObject({ step: 6, trainedMs: 6000 });
  });

  it('a resumed run keeps the training time of its checkpoint', async () => {
    const first = await timedRun({ stopAt: 4 });
    expect(first.outcome).toBe('stopped');
    const ckpt = first.of('checkpoint').at(-1)!.payload;
    expect(ckpt).toMatchObject({ step: 4, trainedMs: 4000, within: { batches: 4 } });
    const second = await timedRun({ resumeFrom: ckpt });
    const steps = second.of('step');
    expect(steps.map((s) => s.step)).toEqual([5, 6]);
    steps.forEach((s, i) => expect(s.learningRate).toBeCloseTo(RATES[4 + i]!, 12));
    expect(second.of('checkpoint').at(-1)!.payload).toMatchObject({ step: 6, trainedMs: 6000 });
    // Evaluating the finished run again trains nothing: its budget is spent.
    const again = await timedRun({ resumeFrom: second.of('checkpoint').at(-1)!.payload });
    expect(again.of('step')).toEqual([]);
    expect(again.of('evaluation')).toHaveLength(1);
    expect(again.events.at(-1)).toMatchObject({ type: 'done', reason: 'completed', step: 6 });
  });

  it('estimates the run’s steps at its pace so far', () => {
    expect(estimatedSteps(30, 60_000, 600_000)).toBe(300);
    expect(estimatedSteps(3, 0, 600_000)).toBe(3);
  });
});
