import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { registerFastCpuKernels } from '../backend/backend-cpu-kernels';
import type { TrainEvent } from '../../src/protocol/train';
import { SupervisedRun } from './supervised-run';
import { Trainer } from './trainer';
import { chainPlan, smallConvNet } from './train-test-plans';

beforeAll(async () => {
  await tf.setBackend('cpu');
  registerFastCpuKernels();
});

const dataset = { source: 'synthetic', numClasses: 4, imageSize: 8, channels: 3, samples: 256, seed: 11, validationSplit: 0.25 };
const plan = (optimizer: Record<string, unknown> = {}) =>
  chainPlan({
    dataset,
    augmentation: { randomFlip: true, padCrop: 0, normalize: 'per-channel' },
    layers: smallConvNet(4),
    optimizer: { optimizer: 'adam', learningRate: 0.01, epochs: 3, batchSize: 16, ...optimizer },
    evaluator: { samplePredictions: 4 },
  });

function collect(): { events: TrainEvent[]; emit: (e: TrainEvent) => void; of: <T extends TrainEvent['type']>(t: T) => Extract<TrainEvent, { type: T }>[] } {
  const events: TrainEvent[] = [];
  return {
    events,
    emit: (e) => events.push(e),
    of: (t) => events.filter((e) => e.type === t) as never,
  };
}

describe('SupervisedRun', () => {
  it('trains a synthetic dataset to the end and reports every stage', async () => {
    const c = collect();
    const before = tf.memory().numTensors;
    const outcome = await new SupervisedRun(plan(), undefined, { backend: 'cpu', emit: c.emit, stepEventIntervalMs: 0 }).run();
    expect(outcome).toBe('completed');
    expect(tf.memory().numTensors).toBe(before);
    const steps = c.of('step');
    // 192 training images / 16 = 12 steps per epoch, 3 epochs; interval 0 reports every step
    expect(steps.map((s) => s.step)).toEqual(Array.from({ length: 36 }, (_, i) => i + 1));
    expect(steps[0]).toMatchObject({ epoch: 0, epochStep: 1, stepsPerEpoch: 12, totalSteps: 36, learningRate: 0.01 });
    expect(steps.every((s) => s.imagesPerSecond > 0 && Number.isFinite(s.loss))).toBe(true);
    const epochs = c.of('epoch');
    // Epochs counted one way: an epoch event says how many are complete, at the step it ended on.
    expect(epochs.map((e) => [e.epoch, e.step])).toEqual([[1, 12], [2, 24], [3, 36]]);
    expect(epochs[2]!.valAccuracy).toBeGreaterThan(0.8);
    expect(epochs[2]!.epochLoss).toBeLessThan(epochs[0]!.epochLoss);
    expect(c.of('checkpoint').map((e) => [e.epoch, e.step, e.payload.epoch, e.payload.step])).toEqual([[1, 12, 1, 12], [2, 24, 2, 24], [3, 36, 3, 36]]);
    expect(c.of('checkpoint').every((e) => e.bytes === e.payload.weightData.byteLength + (e.payload.optimizer?.data.byteLength ?? 0))).toBe(true);
    const evaluation = c.of('evaluation').map((e) => e.evaluation);
    expect(evaluation).toHaveLength(1);
    expect(evaluation[0]).toMatchObject({ kind: 'classification', split: 'validation', count: 64 });
    expect(evaluation[0]?.kind === 'classification' && evaluation[0].samples).toHaveLength(4);
    expect(c.events.at(-1)).toMatchObject({ type: 'done', reason: 'completed', step: 36 });
    expect(c.of('status').map((s) => s.stage)).toContain('evaluating');
  });

  it('evaluates the held-out images once after the last epoch: its validation is the final evaluation', async () => {
    const c = collect();
    const evaluate = vi.spyOn(Trainer.prototype, 'evaluate');
    try {
      expect(await new SupervisedRun(plan({ epochs: 2 }), undefined, { backend: 'cpu', emit: c.emit }).run()).toBe('completed');
      // One pass per epoch; without the reuse the final evaluation made it three.
      expect(evaluate).toHaveBeenCalledTimes(2);
      const [evaluation] = c.of('evaluation').map((e) => e.evaluation);
      expect(evaluation?.kind === 'classification' && evaluation.samples).toHaveLength(4);
      expect(evaluation?.kind === 'classification' && evaluation.accuracy).toBe(c.of('epoch').at(-1)!.valAccuracy);
    } finally {
      evaluate.mockRestore();
    }
  });

  it('folds fast steps into ~20 Hz step events and always reports an epoch’s last step', async () => {
    const c = collect();
    let clock = 0;
    const run = new SupervisedRun(plan({ epochs: 1 }), undefined, {
      backend: 'cpu',
      emit: c.emit,
      now: () => (clock += 10), // every clock read advances 10 ms
    });
    await run.run();
    const steps = c.of('step');
    expect(steps.length).toBeLessThan(12);
    expect(steps.length).toBeGreaterThan(1);
    expect(steps.at(-1)!.step).toBe(12);
    expect(steps.at(-1)!.epochStep).toBe(12);
  });

  it('pauses, resumes and stops at step boundaries', async () => {
    const c = collect();
    let run: SupervisedRun | undefined = undefined;
    const emit = (e: TrainEvent) => {
      c.emit(e);
      if (e.type === 'step' && e.step === 3) {
        run!.pause();
        setTimeout(() => run!.resume(), 30);
      }
      if (e.type === 'step' && e.step === 16) run!.stop();
    };
    run = new SupervisedRun(plan(), undefined, { backend: 'cpu', emit, stepEventIntervalMs: 0 });
    const outcome = await run.run();
    expect(outcome).toBe('stopped');
    const kinds = c.events.map((e) => (e.type === 'step' ? `step${e.step}` : e.type));
    expect(kinds.slice(kinds.indexOf('step3'), kinds.indexOf('step3') + 4)).toEqual(['step3', 'paused', 'resumed', 'step4']);
    expect(c.of('step').at(-1)!.step).toBe(16);
    expect(c.of('evaluation')).toHaveLength(0);
    expect(c.events.at(-2)).toMatchObject({ type: 'checkpoint', step: 16, epoch: 1, payload: { step: 16, epoch: 1 } });
    expect(c.events.at(-1)).toMatchObject({ type: 'done', reason: 'stopped', step: 16 });
  });

  it('resumes from a checkpoint at its epoch and step', async () => {
    const first = collect();
    await new SupervisedRun(plan({ epochs: 1 }), undefined, { backend: 'cpu', emit: first.emit }).run();
    const ckpt = first.of('checkpoint').at(-1)!.payload;
    const second = collect();
    await new SupervisedRun(plan({ epochs: 2 }), undefined, { backend: 'cpu', emit: second.emit, resumeFrom: ckpt, stepEventIntervalMs: 0 }).run();
    const steps = second.of('step');
    expect(steps[0]).toMatchObject({ step: 13, epoch: 1, epochStep: 1 });
    // the restored weights are already trained: the first resumed steps are far from chance
    expect(steps[0]!.accuracy).toBeGreaterThan(0.5);
    expect(second.of('epoch').map((e) => e.epoch)).toEqual([2]);
  });

  it.each(['adam', 'sgd'])('continues the same %s optimization after a resume, moments included', async (optimizer) => {
    // No random augmentation, so the uninterrupted run and the resumed one see identical batches.
    const exact = (epochs: number): ReturnType<typeof chainPlan> =>
      chainPlan({
        dataset,
        augmentation: { randomFlip: false, padCrop: 0, normalize: 'per-channel' },
        layers: smallConvNet(4),
        optimizer: { optimizer, learningRate: 0.01, momentum: 0.9, epochs, batchSize: 16 },
      });
    const whole = collect();
    await new SupervisedRun(exact(2), undefined, { backend: 'cpu', emit: whole.emit, stepEventIntervalMs: 0 }).run();
    // The checkpoint after the first of the two epochs (the schedule spans both).
    const ckpt = structuredClone(whole.of('checkpoint').find((c) => c.epoch === 1)!.payload);
    expect(ckpt.optimizer?.data.byteLength).toBeGreaterThan(0);
    const resumed = collect();
    await new SupervisedRun(exact(2), undefined, { backend: 'cpu', emit: resumed.emit, resumeFrom: ckpt, stepEventIntervalMs: 0 }).run();
    const expected = whole.of('step').filter((s) => s.epoch === 1).map((s) => s.loss);
    const got = resumed.of('step').map((s) => s.loss);
    expect(got).toHaveLength(expected.length);
    got.forEach((loss, i) => expect(loss).toBeCloseTo(expected[i]!, 5));
    // Without the optimizer's state the same resume drifts off the uninterrupted run.
    const { optimizer: _, ...weightsOnly } = ckpt;
    const fresh = collect();
    await new SupervisedRun(exact(2), undefined, { backend: 'cpu', emit: fresh.emit, resumeFrom: weightsOnly, stepEventIntervalMs: 0 }).run();
    const drift = Math.max(...fresh.of('step').map((s, i) => Math.abs(s.loss - expected[i]!)));
    expect(drift).toBeGreaterThan(1e-3);
  });

  it('keeps the epoch checkpoint when stopped mid-epoch, and resumes exactly at the stop point', async () => {
    // 200 images, 20% held out: 160 to train in batches of 16, so 10 steps an epoch and 30 in all.
    // Random flips and a cosine rate: the resumed run must draw the same flips and rates.
    const exact = (): ReturnType<typeof chainPlan> =>
      chainPlan({
        dataset: { ...dataset, samples: 200, validationSplit: 0.2 },
        augmentation: { randomFlip: true, padCrop: 1, normalize: 'per-channel' },
        layers: smallConvNet(4),
        optimizer: { optimizer: 'adam', learningRate: 0.01, epochs: 3, batchSize: 16, schedule: 'cosine' },
      });
    const whole = collect();
    await new SupervisedRun(exact(), undefined, { backend: 'cpu', emit: whole.emit, stepEventIntervalMs: 0 }).run();
    expect(whole.of('step').map((s) => s.step)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));

    // Model weights start from TF.js's unseeded initializers, so the interrupted run continues the
    // uninterrupted one from its first epoch's checkpoint and is stopped at step 18.
    const afterEpoch1 = structuredClone(whole.of('checkpoint')[0]!.payload);
    expect([afterEpoch1.epoch, afterEpoch1.step]).toEqual([1, 10]);
    const first = collect();
    let run: SupervisedRun | undefined = undefined;
    run = new SupervisedRun(exact(), undefined, {
      backend: 'cpu',
      emit: (e: TrainEvent) => {
        first.emit(e);
        if (e.type === 'step' && e.step === 18) run!.stop();
      },
      resumeFrom: afterEpoch1,
      stepEventIntervalMs: 0,
    });
    expect(await run.run()).toBe('stopped');
    // The stop point is a checkpoint of its own: epoch 1 complete, 8 batches of the second done.
    const stopPoint = structuredClone(first.of('checkpoint').at(-1)!.payload);
    expect([stopPoint.epoch, stopPoint.step, stopPoint.within?.batches]).toEqual([1, 18, 8]);

    const resumed = collect();
    expect(await new SupervisedRun(exact(), undefined, { backend: 'cpu', emit: resumed.emit, resumeFrom: stopPoint, stepEventIntervalMs: 0 }).run()).toBe('completed');
    const steps = [...first.of('step'), ...resumed.of('step')];
    expect(steps.map((s) => s.step)).toEqual(Array.from({ length: 20 }, (_, i) => i + 11));
    expect(resumed.of('step')[0]).toMatchObject({ step: 19, epoch: 1, epochStep: 9 });
    expect(resumed.events.at(-1)).toMatchObject({ type: 'done', reason: 'completed', step: 30 });
    const expected = whole.of('step').slice(10);
    steps.forEach((s, i) => {
      expect(s.learningRate).toBe(expected[i]!.learningRate);
      expect(s.loss).toBeCloseTo(expected[i]!.loss, 4);
    });
    // The interrupted epoch's mean counts its batches from before the stop too.
    expect(resumed.of('epoch')[0]!.epochLoss).toBeCloseTo(whole.of('epoch')[1]!.epochLoss, 4);
  });

  it('fails with a kind and a reason instead of throwing', async () => {
    const noData = collect();
    const cifar = chainPlan({ dataset: { source: 'cifar10' }, layers: smallConvNet(10) });
    expect(await new SupervisedRun(cifar, undefined, { backend: 'cpu', emit: noData.emit }).run()).toBe('failed');
    expect(noData.events.at(-1)).toMatchObject({ type: 'failed', kind: 'data', backend: 'cpu', message: expect.stringMatching(/CIFAR-10 images are not loaded/) });

    const diverge = collect();
    const wild = chainPlan({
      dataset,
      augmentation: { randomFlip: false, padCrop: 0, normalize: 'none' },
      // MSE on a linear model of raw 0–255 pixels: each step multiplies the error by ~10^8
      layers: [['Flatten'], ['Dense', { units: 4 }]],
      loss: { loss: 'mse' },
      optimizer: { optimizer: 'sgd', learningRate: 10, momentum: 0.9, epochs: 2, batchSize: 16 },
    });
    expect(await new SupervisedRun(wild, undefined, { backend: 'cpu', emit: diverge.emit }).run()).toBe('failed');
    const failed = diverge.events.at(-1);
    expect(failed).toMatchObject({ type: 'failed', kind: 'diverged' });
    expect(failed?.type === 'failed' && failed.message).toMatch(/loss became (NaN|Infinity)/);
  });
});
