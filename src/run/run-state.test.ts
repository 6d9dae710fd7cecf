import { describe, expect, it } from 'vitest';
import type { StepEvent, TrainEvent } from '../protocol/train';
import { initialRunState, isActive, nextBackendAfter, runReducer, type RunAction, type RunState } from './run-state';

const preference = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
const step = (n: number): StepEvent => ({
  type: 'step',
  step: n,
  totalSteps: 100,
  epoch: 0,
  epochStep: n,
  stepsPerEpoch: 100,
  loss: 2 / n,
  acc: 0.1 * n,
  lr: 0.1,
  imagesPerSec: 500,
  elapsedMs: 10 * n,
});
const backendEvent: TrainEvent = {
  type: 'backend',
  backend: 'webgl',
  attempts: [
    { backend: 'webgpu', ok: false, reason: 'no navigator.gpu', ms: 1 },
    { backend: 'webgl', ok: true, ms: 40 },
  ],
};
const run = (actions: RunAction[], from: RunState = initialRunState) => actions.reduce(runReducer, from);

describe('runReducer', () => {
  it('walks a run through starting, compiling, running, paused and done', () => {
    const starting = run([{ type: 'start', preference }]);
    expect(starting).toMatchObject({ phase: 'starting', preference, attempts: [], epochs: [] });
    const chosen = runReducer(starting, backendEvent);
    expect(chosen).toMatchObject({ phase: 'starting', backend: 'webgl' });
    expect(chosen.phase !== 'idle' && chosen.attempts[0]!.reason).toBe('no navigator.gpu');
    const compiling = runReducer(chosen, { type: 'status', phase: 'compiling', text: 'compiling webgl kernels (first step)' });
    expect(compiling).toMatchObject({ phase: 'compiling', status: 'compiling webgl kernels (first step)' });
    const running = run([step(1), step(2)], compiling);
    expect(running).toMatchObject({ phase: 'running', lastStep: { step: 2 } });
    const paused = runReducer(running, { type: 'paused', step: 2 });
    expect(paused.phase).toBe('paused');
    const resumed = run([{ type: 'resumed', step: 2 }, { type: 'epoch', epoch: 0, trainLoss: 1, trainAcc: 0.5, valLoss: 1.1, valAcc: 0.45, elapsedMs: 99 }], paused);
    expect(resumed).toMatchObject({ phase: 'running', epochs: [{ epoch: 0, valAcc: 0.45 }] });
    const ended = run(
      [
        { type: 'checkpoint', checkpoint: { format: 'tensorloom-checkpoint', version: 1, epoch: 1, step: 100, modelTopology: {}, weightSpecs: [], weightData: new ArrayBuffer(12) } },
        { type: 'done', reason: 'completed', step: 100, elapsedMs: 1000 },
      ],
      resumed,
    );
    expect(ended).toMatchObject({ phase: 'done', reason: 'completed', lastCheckpoint: { epoch: 1, step: 100, bytes: 12 }, backend: 'webgl' });
    expect(isActive(ended)).toBe(false);
    expect(runReducer(ended, { type: 'reset' })).toEqual(initialRunState);
  });

  it('goes straight from starting to running on backends without a compile phase', () => {
    const s = run([{ type: 'start', preference: ['cpu'] }, { type: 'status', phase: 'training', text: 'training' }, step(1)]);
    expect(s.phase).toBe('running');
  });

  it('stops through a stopping phase', () => {
    const s = run([{ type: 'start', preference }, backendEvent, step(1), { type: 'stop-requested' }]);
    expect(s.phase).toBe('stopping');
    expect(isActive(s)).toBe(true);
    const late = runReducer(s, step(2));
    expect(late).toMatchObject({ phase: 'stopping', lastStep: { step: 2 } });
    expect(runReducer(late, { type: 'done', reason: 'stopped', step: 2, elapsedMs: 5 })).toMatchObject({ phase: 'done', reason: 'stopped' });
  });

  it('offers the next backend after a backend failure, but not after divergence', () => {
    const started = run([{ type: 'start', preference }, backendEvent, step(1)]);
    const broken = runReducer(started, { type: 'failed', kind: 'backend', reason: 'WebGL context lost', backend: 'webgl' });
    expect(broken).toMatchObject({ phase: 'failed', kind: 'backend', reason: 'WebGL context lost', nextBackend: 'wasm' });
    const diverged = runReducer(started, { type: 'failed', kind: 'diverged', reason: 'loss became NaN at step 3', backend: 'webgl' });
    expect(diverged).toMatchObject({ phase: 'failed', kind: 'diverged' });
    expect('nextBackend' in diverged).toBe(false);
    const last = run([{ type: 'start', preference: ['wasm', 'cpu'] }, { ...backendEvent, backend: 'cpu' }, { type: 'failed', kind: 'unknown', reason: 'x' }]);
    expect(last.phase).toBe('failed');
    expect('nextBackend' in last).toBe(false);
  });

  it('ignores events that do not fit the phase', () => {
    expect(runReducer(initialRunState, step(1))).toBe(initialRunState);
    const running = run([{ type: 'start', preference }, step(1)]);
    expect(runReducer(running, { type: 'start', preference: ['cpu'] })).toBe(running);
    expect(runReducer(running, { type: 'reset' })).toBe(running);
    expect(runReducer(running, { type: 'resumed', step: 1 })).toBe(running);
    const done = runReducer(running, { type: 'done', reason: 'completed', step: 1, elapsedMs: 1 });
    expect(runReducer(done, step(2))).toBe(done);
    expect(runReducer(done, { type: 'start', preference: ['cpu'] })).toMatchObject({ phase: 'starting', preference: ['cpu'], epochs: [] });
  });
});

describe('nextBackendAfter', () => {
  it('names the next backend to retry on', () => {
    expect(nextBackendAfter(preference, 'webgl')).toBe('wasm');
    expect(nextBackendAfter(['webgpu', 'cpu'], 'cpu')).toBeUndefined();
    expect(nextBackendAfter(['cpu'], 'wasm')).toBeUndefined();
  });
});
