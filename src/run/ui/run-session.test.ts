import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { registry } from '../../../nodes/registry';
import { presetById } from '../../../presets';
import { compile } from '../../graph';
import type { TrainingPlan } from '../../graph/plan';
import type { RunEvent, RunClient, StartOptions } from '../client-types';
import { RunRepository, openRunsDatabase } from '../runs-db';
import { hashPlan } from '../runs-db-hash';
import type { FrameClock } from './frame-throttle';
import { RunSession } from './run-session';
import { nextBackend } from './run-state';
import { doneEvent, epochEvent, progressEvent, stepEvent } from './test-events';

function planOf(id: 'resnet-cifar' | 'dqn-driver'): TrainingPlan {
  const r = compile(presetById(id)!.doc, registry);
  if (!r.ok) throw new Error('preset does not compile');
  return r.plan;
}

/** A worker client driven by the test: it records calls and lets the test emit events. */
class ScriptedClient implements RunClient {
  started: StartOptions | undefined;
  calls: string[] = [];
  disposed = false;
  constructor(readonly emit: (e: RunEvent) => void) {}
  async start(options: StartOptions) {
    this.started = options;
  }
  async pause() {
    this.calls.push('pause');
    this.emit({ type: 'paused', step: 0 });
  }
  async resume() {
    this.calls.push('resume');
    this.emit({ type: 'resumed', step: 0 });
  }
  async stop() {
    this.calls.push('stop');
    this.emit(doneEvent('stopped'));
  }
  async latestCheckpoint() {
    return undefined;
  }
  dispose() {
    this.disposed = true;
  }
}

function setup() {
  const db = openRunsDatabase(`session-${Math.random()}`, { indexedDB: new IDBFactory(), IDBKeyRange });
  let wall = 1_000;
  // Every write gets a later time, so an unwanted write always shows in updatedAt.
  const repo = new RunRepository(db, { sessionId: 'load-1', tabId: 'tab-1' }, () => ++wall);
  const clients: ScriptedClient[] = [];
  let t = 0;
  const frames: (() => void)[] = [];
  const clock: FrameClock = { requestFrame: (cb) => frames.push(cb), cancelFrame: () => undefined, now: () => t };
  const session = new RunSession(repo, (_plan, onEvent) => {
    const c = new ScriptedClient(onEvent);
    clients.push(c);
    return c;
  }, clock, 10);
  const frame = (dt = 16) => {
    t += dt;
    for (const cb of frames.splice(0)) cb();
  };
  return { db, repo, session, clients, frame, advance: (dt: number) => (t += dt) };
}

describe('RunSession', () => {
  it('records a supervised run: backend, metrics, checkpoints, evaluation, final status', async () => {
    const { repo, session, clients, frame } = setup();
    const plan = planOf('resnet-cifar');
    await session.start({ plan, backendRequest: 'auto' });
    const client = clients[0]!;
    expect(client.started?.backends).toEqual(['webgpu', 'webgl', 'wasm', 'cpu']);
    expect(session.getFrame().view.phase).toBe('starting');

    client.emit({ type: 'backend', report: { used: 'wasm', skipped: [{ backend: 'webgpu', reason: 'no adapter' }, { backend: 'webgl', reason: 'no context' }] } });
    for (let step = 1; step <= 30; step++) {
      client.emit(stepEvent({ step, epoch: 0, epochStep: step, stepsPerEpoch: 30, totalSteps: 60, loss: 2.3 - step * 0.01, accuracy: step / 100, learningRate: 0.1, imagesPerSecond: 50 }));
    }
    client.emit(epochEvent({ epoch: 1, step: 30, epochLoss: 2.2, epochAccuracy: 0.2, valLoss: 2.25, valAccuracy: 0.18 }));
    const weights = new Float32Array([1, 2, 3]).buffer;
    client.emit({ type: 'checkpoint', epoch: 1, step: 30, payload: { format: 'x', weights }, bytes: 12 });
    expect(session.getFrame().view.phase).toBe('running');
    // Progress shows on the next throttled paint, not per event.
    expect(session.getFrame().view.progress.step).toBe(1);
    frame(200);
    expect(session.getFrame().view.progress).toEqual({ epoch: 1, epochs: 30, step: 30, steps: 60 });
    client.emit({
      type: 'evaluation',
      evaluation: { kind: 'classification', split: 'test', count: 10, loss: 2, accuracy: 0.3, perClassAccuracy: [], confusion: [], samples: [] },
    });
    client.emit(doneEvent('completed'));
    await session.flushWrites();

    expect(session.getFrame().view.phase).toBe('completed');
    const list = await repo.list();
    expect(list).toHaveLength(1);
    const entry = list[0]!;
    if (!entry.ok) throw new Error(entry.problem);
    const run = entry.run;
    expect(run.status).toBe('completed');
    expect(run.planHash).toBe(await hashPlan(plan));
    expect(run.backend).toBe('wasm');
    expect(run.skippedBackends.map((s) => s.backend)).toEqual(['webgpu', 'webgl']);
    expect(run.history.loss!.y).toHaveLength(30);
    expect(run.history.valAccuracy).toEqual({ x: [30], y: [0.18] });
    expect(run.evaluation).toMatchObject({ kind: 'classification', accuracy: 0.3 });
    expect(run.lastCheckpoint).toBe(1);
    const checkpoint = await repo.latestCheckpoint(run.id);
    expect(new Float32Array((checkpoint!.payload as { weights: ArrayBuffer }).weights)).toEqual(new Float32Array([1, 2, 3]));
    // The finished worker is kept for export until the next run starts.
    expect(client.disposed).toBe(false);
  });

  it('repaints at most once per frame and maxHz, however many events arrive', async () => {
    const { session, clients, frame } = setup();
    await session.start({ plan: planOf('dqn-driver'), backendRequest: 'cpu' });
    let paints = 0;
    session.subscribe(() => paints++);
    const client = clients[0]!;
    client.emit(progressEvent({ step: 1, episode: 0, epsilon: 1 })); // phase change: paints at once
    expect(paints).toBe(1);
    for (let k = 0; k < 100; k++) {
      for (let i = 0; i < 50; i++) client.emit(progressEvent({ step: 2 + k * 50 + i, episode: 0, epsilon: 0.9 }));
      frame(10); // 100 fps of frames for one second, 5,000 events
    }
    expect(paints).toBeGreaterThanOrEqual(9);
    expect(paints).toBeLessThanOrEqual(12);
    expect(session.metrics.get('epsilon')!.length).toBeGreaterThan(0);
  });

  it('offers the next backend after a retryable failure, not after a diverged loss', async () => {
    const { session, clients } = setup();
    await session.start({ plan: planOf('resnet-cifar'), backendRequest: 'webgpu' });
    expect(clients[0]!.started?.backends).toEqual(['webgpu']);
    clients[0]!.emit({ type: 'backend', report: { used: 'webgpu', skipped: [] } });
    clients[0]!.emit({ type: 'failed', kind: 'backend', message: 'GPU device was lost' });
    const failed = session.getFrame().view;
    expect(failed.phase).toBe('failed');
    expect(nextBackend(failed)).toBe('webgl');

    await session.start({ plan: planOf('resnet-cifar'), backendRequest: 'webgl' });
    expect(clients[0]!.disposed).toBe(true);
    clients[1]!.emit({ type: 'backend', report: { used: 'webgl', skipped: [] } });
    clients[1]!.emit({ type: 'failed', kind: 'diverged', message: 'loss became NaN' });
    expect(session.getFrame().view).toMatchObject({ phase: 'failed', workerLost: false });
    expect(session.getFrame().view).not.toHaveProperty('failedBackend');
  });

  it('never writes to a stored run it only shows', async () => {
    const { repo, session } = setup();
    const plan = planOf('dqn-driver');
    const old = await repo.create({
      mode: 'rl', name: plan.name, planHash: await hashPlan(plan), plan, backendRequest: 'auto', backend: 'cpu',
      skippedBackends: [], status: 'completed', progress: { epoch: 0, epochs: 0, step: 300, steps: 300 }, history: {},
    });
    session.show(old);
    expect(session.getFrame().view.phase).toBe('completed');
    await session.flushWrites();
    const after = await repo.get(old.id);
    expect(after?.ok && after.run.updatedAt).toBe(old.updatedAt);
  });

  it('pauses, resumes and stops through the client; a stopped run is stored as stopped', async () => {
    const { repo, session, clients } = setup();
    await session.start({ plan: planOf('dqn-driver'), backendRequest: 'auto' });
    const c = clients[0]!;
    c.emit(progressEvent({ step: 10, episode: 0 }));
    await session.pause();
    expect(session.getFrame().view.phase).toBe('paused');
    await session.resumePaused();
    expect(session.getFrame().view.phase).toBe('running');
    await session.stop();
    await session.flushWrites();
    expect(c.calls).toEqual(['pause', 'resume', 'stop']);
    const entry = (await repo.list())[0]!;
    expect(entry.ok && entry.run.status).toBe('stopped');
  });

  it('resumes an interrupted run from its newest checkpoint, keeping its metric history', async () => {
    const { repo, session, clients } = setup();
    const plan = planOf('resnet-cifar');
    const old = await new RunRepository(repo.db, { sessionId: 'load-0', tabId: 'tab-1' }).create({
      mode: 'supervised',
      name: plan.name,
      planHash: await hashPlan(plan),
      plan,
      backendRequest: 'wasm',
      backend: 'wasm',
      skippedBackends: [],
      status: 'running',
      progress: { epoch: 2, epochs: 30, step: 70, steps: 900 },
      history: { loss: { x: [10, 20, 30, 65, 70], y: [2, 1.8, 1.7, 1.65, 1.62] } },
    });
    await repo.saveCheckpoint(old.id, 1, 30, { epoch: 1 }, 10);
    await repo.saveCheckpoint(old.id, 2, 60, { epoch: 2 }, 10);
    expect(await repo.markInterrupted()).toEqual([old.id]);
    const stored = await repo.get(old.id);
    if (!stored?.ok) throw new Error('missing');

    await session.resume(stored.run);
    const c = clients[0]!;
    expect(c.started?.backends).toEqual(['wasm']);
    expect(c.started?.checkpoint).toEqual({ payload: { epoch: 2 }, epoch: 2, step: 60 });
    expect(session.getFrame().view.progress.step).toBe(60);
    c.emit(stepEvent({ step: 61, epoch: 2, epochProgress: 0.03, loss: 1.6 }));
    c.emit(doneEvent('completed'));
    await session.flushWrites();
    const after = await repo.get(old.id);
    if (!after?.ok) throw new Error('missing');
    expect(after.run.status).toBe('completed');
    expect(after.run.sessionId).toBe('load-1');
    // Points logged after the checkpoint (step 70 was reached) are dropped: those steps were redone.
    expect(after.run.history.loss).toEqual({ x: [10, 20, 30, 61], y: [2, 1.8, 1.7, 1.6] });
  });
});
