import { describe, expect, it } from 'vitest';
import { DEFAULT_BACKEND_PREFERENCE, RL_BACKEND_PREFERENCE, type Backend } from '../../graph/plan';
import type { RunRecord } from '../runs-db-record';
import { IDLE, nextBackend, reduceRun, storedStatus, warningOf, type RunAction, type RunView } from './run-state';
import { doneEvent, stepEvent } from './test-events';

function run(actions: RunAction[], from: RunView = IDLE): RunView {
  return actions.reduce(reduceRun, from);
}

const start: RunAction = { type: 'start-requested', runId: 'r1', progress: { epoch: 0, epochs: 2, step: 0, steps: 0 }, backendOrder: ['webgpu', 'webgl', 'wasm', 'cpu'] };

describe('reduceRun', () => {
  it('says WebGPU is compiling until the first step, then shows training progress', () => {
    const s1 = run([start, { type: 'backend', report: { used: 'webgpu', skipped: [] } }]);
    expect(s1.phase).toBe('starting');
    expect(s1.status).toMatch(/Compiling WebGPU kernels/);
    const s2 = reduceRun(s1, stepEvent({ step: 1, epoch: 0, epochProgress: 0.1, totalSteps: 20 }));
    expect(s2.phase).toBe('running');
    expect(s2.status).toBe('Training: epoch 1 of 2');
    expect(s2.progress).toEqual({ epoch: 0, epochs: 2, step: 1, steps: 20 });
  });

  it('with a time budget shows the training time left instead of the epoch count', () => {
    const timed: RunAction = { ...start, progress: { epoch: 0, epochs: 10, step: 0, steps: 0, budgetMs: 600_000 } } as RunAction;
    const s = run([timed, { type: 'backend', report: { used: 'wasm', skipped: [] } }, stepEvent({ step: 40, epoch: 2, totalSteps: 400, timeLeftMs: 200_000 })]);
    expect(s.status).toBe('Training: epoch 3, 3 min 20 s left');
    expect(s.progress).toEqual({ epoch: 2, epochs: 10, step: 40, steps: 400, budgetMs: 600_000, timeLeftMs: 200_000 });
  });

  it('ignores stragglers after the run ended, and a stop overrides a late pause', () => {
    const done = run([start, stepEvent({ step: 1, epoch: 0, epochProgress: 0.5 }), doneEvent('completed')]);
    expect(done.phase).toBe('completed');
    expect(reduceRun(done, stepEvent({ step: 2, epoch: 0, epochProgress: 1 }))).toBe(done);
    const stopping = run([start, { type: 'stop-requested' }, { type: 'paused', step: 1 }, { type: 'status', stage: 'training', text: 'training' }]);
    expect(stopping.phase).toBe('stopping');
    expect(stopping.status).toBe('Stopping…');
  });

  it('shows a stored interrupted run as interrupted, with its backend and evaluation', () => {
    const record = {
      id: 'r9',
      status: 'interrupted',
      progress: { epoch: 3, epochs: 30, step: 99, steps: 900 },
      backend: 'webgl',
      skippedBackends: [{ backend: 'webgpu', reason: 'no adapter' }],
      evaluation: { kind: 'classification', accuracy: 0.5 },
      plan: { backendPreference: DEFAULT_BACKEND_PREFERENCE },
    } as unknown as RunRecord;
    const s = reduceRun(IDLE, { type: 'show-record', run: record });
    expect(s).toMatchObject({
      phase: 'interrupted',
      backend: { used: 'webgl', skipped: [{ backend: 'webgpu', reason: 'no adapter' }] },
      evaluation: { accuracy: 0.5 },
    });
  });

  it('gives each phase only what it has: a failure its error, an end its lost checkpoint, a live run its warning', () => {
    const warned = run([start, stepEvent({ step: 1, epoch: 0 }), { type: 'checkpoint-failed', message: 'storage is full' }]);
    expect(warned).toMatchObject({ phase: 'running', stepped: true, warning: 'storage is full' });
    const failed = reduceRun(warned, { type: 'failed', kind: 'diverged', message: 'loss became NaN' });
    expect(failed).toEqual({ phase: 'failed', status: 'Failed', runId: 'r1', progress: warned.progress, backendOrder: ['webgpu', 'webgl', 'wasm', 'cpu'], error: 'loss became NaN', workerLost: false });
    const stopped = reduceRun(warned, { type: 'run-ended', reason: 'stopped', checkpointLost: 'storage is full' });
    expect(stopped).toMatchObject({ phase: 'stopped', warning: 'storage is full' });
    expect(stopped).not.toHaveProperty('stepped');
    expect(warningOf(reduceRun(warned, { type: 'run-ended', reason: 'completed', checkpointLost: 'storage is full' }))).toBe('storage is full');
    // A record keeps the error of a failure it later recovered from: only a failed run shows it.
    const record = (status: string) => ({ id: 'r3', status, error: 'old failure', progress: warned.progress, skippedBackends: [], plan: { backendPreference: DEFAULT_BACKEND_PREFERENCE } }) as unknown as RunRecord;
    expect(reduceRun(IDLE, { type: 'show-record', run: record('completed') })).not.toHaveProperty('error');
    expect(reduceRun(IDLE, { type: 'show-record', run: record('failed') })).toMatchObject({ phase: 'failed', error: 'old failure' });
    expect(warningOf(reduceRun(IDLE, { type: 'show-record', run: record('completed-without-checkpoint') }))).toMatch(/could not be stored/);
  });

  it('maps phases to stored statuses', () => {
    expect(storedStatus('stopping')).toBe('running');
    expect(storedStatus('paused')).toBe('paused');
    expect(storedStatus('idle')).toBeUndefined();
  });

  it("offers the backend after the failed one in the run's own order", () => {
    const failOn = (backendOrder: readonly Backend[], used: Backend) =>
      run([{ ...start, backendOrder } as RunAction, { type: 'backend', report: { used, skipped: [] } }, { type: 'failed', kind: 'backend', message: 'kernel failed' }]);
    // A supervised run tries webgpu → webgl → wasm → cpu.
    expect(DEFAULT_BACKEND_PREFERENCE.map((b) => nextBackend(failOn(DEFAULT_BACKEND_PREFERENCE, b)))).toEqual(['webgl', 'wasm', 'cpu', undefined]);
    // An RL run starts on wasm: after wasm comes webgpu, not cpu.
    expect(nextBackend(failOn(RL_BACKEND_PREFERENCE, 'wasm'))).toBe('webgpu');
    expect(nextBackend(failOn(RL_BACKEND_PREFERENCE, 'webgl'))).toBe('cpu');
    expect(nextBackend(failOn(RL_BACKEND_PREFERENCE, 'cpu'))).toBeUndefined();
    // A stored RL run shown from the history keeps its plan's order.
    const stored = { id: 'r2', status: 'failed', error: 'x', progress: { epoch: 0, epochs: 0, step: 10, steps: 300 }, skippedBackends: [], plan: { backendPreference: RL_BACKEND_PREFERENCE } } as unknown as RunRecord;
    expect(reduceRun(IDLE, { type: 'show-record', run: stored })).toMatchObject({ phase: 'failed', error: 'x', backendOrder: RL_BACKEND_PREFERENCE });
  });
});
