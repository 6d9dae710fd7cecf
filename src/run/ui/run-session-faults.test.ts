/**
 * Fault injection into the run session (issue 13): storage that refuses checkpoints, a worker that
 * dies, a worker that does not answer Stop, a worker that goes quiet while the page keeps saving.
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { registry } from '../../../nodes/registry';
import { presetById } from '../../../presets';
import { compile } from '../../graph';
import type { TrainingPlan } from '../../graph/plan';
import type { RunEvent, RunClient, StartOptions } from '../client-types';
import { RunRepository, openRunsDatabase } from '../runs-db';
import type { FrameClock } from './frame-throttle';
import { RunSession, SAVE_INTERVAL_MS, STOP_DEADLINE_MS } from './run-session';
import { warningOf } from './run-state';
import { doneEvent, stepEvent } from './test-events';

function planOf(id: 'resnet-cifar' | 'dqn-driver'): TrainingPlan {
  const r = compile(presetById(id)!.doc, registry);
  if (!r.ok) throw new Error('preset does not compile');
  return r.plan;
}

/** A supervised checkpoint as the worker sends it: a whole (tiny) model. */
function checkpoint(epoch: number, step: number) {
  return {
    format: 'tensorloom-checkpoint',
    version: 1,
    epoch,
    step,
    modelTopology: { class_name: 'Sequential' },
    weightSpecs: [{ name: 'w', shape: [2], dtype: 'float32' }],
    weightData: new Float32Array([epoch, step]).buffer,
  };
}

/** A worker client the test drives; `answersStop: false` plays a worker stuck in synchronous work. */
class FaultyClient implements RunClient {
  disposed = false;
  answersStop = true;
  held: unknown;
  constructor(readonly emit: (e: RunEvent) => void) {}
  async start(_options: StartOptions) {}
  async pause() {}
  async resume() {}
  async stop() {
    if (this.answersStop) this.emit(doneEvent('stopped'));
    else await new Promise(() => undefined);
  }
  async latestCheckpoint() {
    return this.held;
  }
  sendCheckpoint(epoch: number, step: number) {
    this.held = checkpoint(epoch, step);
    this.emit({ type: 'checkpoint', epoch, step, payload: checkpoint(epoch, step), bytes: 8 });
  }
  dispose() {
    this.disposed = true;
  }
}

/** A repository whose checkpoint writes fail while `full` is set, as IndexedDB does at its quota. */
class FullRepository extends RunRepository {
  full = false;
  override async saveCheckpoint(...args: Parameters<RunRepository['saveCheckpoint']>): Promise<void> {
    if (this.full) throw Object.assign(new Error('The quota has been exceeded.'), { name: 'QuotaExceededError' });
    return super.saveCheckpoint(...args);
  }
}

function setup() {
  const db = openRunsDatabase(`faults-${Math.random()}`, { indexedDB: new IDBFactory(), IDBKeyRange });
  let wall = 1_000;
  const repo = new FullRepository(db, { sessionId: 'load-1', tabId: 'tab-1' }, () => (wall += 10));
  const clients: FaultyClient[] = [];
  const clock: FrameClock = { requestFrame: () => 0, cancelFrame: () => undefined, now: () => 0 };
  const session = new RunSession(repo, (_plan, onEvent) => {
    const c = new FaultyClient(onEvent);
    clients.push(c);
    return c;
  }, clock);
  const stored = async () => {
    const entry = (await repo.list())[0];
    if (!entry?.ok) throw new Error('no run stored');
    return entry.run;
  };
  return { repo, session, clients, stored };
}

/** Lets promise chains (IndexedDB writes included) run. */
const settle = () => new Promise((r) => setTimeout(r, 20));

afterEach(() => vi.useRealTimers());

describe('RunSession under faults', () => {
  it('warns at once when a checkpoint cannot be stored, ends "finished without checkpoint", and still exports from the worker', async () => {
    const { repo, session, clients, stored } = setup();
    await session.start({ plan: planOf('resnet-cifar'), backendRequest: 'cpu' });
    const c = clients[0]!;
    c.emit(stepEvent({ step: 1, epoch: 0, epochProgress: 0.5 }));
    repo.full = true;
    c.sendCheckpoint(1, 2);
    await settle();
    expect(session.getFrame().view).toMatchObject({
      phase: 'running',
      warning: expect.stringMatching(/Checkpoint not saved — storage is full: delete old runs .* or cached datasets/),
    });
    c.sendCheckpoint(2, 4);
    c.emit(doneEvent('completed'));
    await session.flushWrites();
    expect(session.getFrame().view).toMatchObject({
      phase: 'completed-without-checkpoint',
      status: 'Finished without checkpoint',
      warning: expect.stringMatching(/storage is full/),
    });
    expect((await stored()).status).toBe('completed-without-checkpoint');
    expect(c.disposed).toBe(false);
    expect(session.canExport).toBe(true);
    const exported = await session.exportModel('resnet');
    expect(new Float32Array(exported!.weights)).toEqual(new Float32Array([2, 4]));
  });

  it('clears the warning once a later checkpoint is stored, and then finishes normally', async () => {
    const { repo, session, clients, stored } = setup();
    await session.start({ plan: planOf('resnet-cifar'), backendRequest: 'cpu' });
    const c = clients[0]!;
    repo.full = true;
    c.sendCheckpoint(1, 2);
    await settle();
    expect(warningOf(session.getFrame().view)).toBeDefined();
    repo.full = false;
    c.sendCheckpoint(2, 4);
    c.emit(doneEvent('completed'));
    await session.flushWrites();
    expect(warningOf(session.getFrame().view)).toBeUndefined();
    expect(session.getFrame().view.phase).toBe('completed');
    expect((await stored()).status).toBe('completed');
  });

  it('ends a worker that has not stopped within 1.5 s of Stop; the run is stopped with its stored checkpoint', async () => {
    const { session, clients, stored } = setup();
    await session.start({ plan: planOf('resnet-cifar'), backendRequest: 'cpu' });
    const c = clients[0]!;
    c.sendCheckpoint(1, 10);
    await settle();
    c.answersStop = false;
    const t0 = Date.now();
    void session.stop();
    expect(session.getFrame().view.phase).toBe('stopping');
    await vi.waitFor(() => expect(session.getFrame().view.phase).toBe('stopped'), { timeout: 3000, interval: 20 });
    const took = Date.now() - t0;
    expect(took).toBeGreaterThanOrEqual(STOP_DEADLINE_MS - 5);
    expect(took).toBeLessThan(2000);
    expect(c.disposed).toBe(true);
    expect(session.getFrame().view.status).toMatch(/did not answer in time and was ended/);
    await session.flushWrites();
    const run = await stored();
    expect(run.status).toBe('stopped');
    expect([run.lastCheckpoint, run.lastCheckpointStep]).toEqual([1, 10]);
    // Late words of the ended worker change nothing.
    c.emit(doneEvent('completed'));
    expect(session.getFrame().view.phase).toBe('stopped');
  });

  it('marks the run failed when its worker dies, ends it, and offers the stored checkpoint to resume', async () => {
    const { session, clients, stored } = setup();
    await session.start({ plan: planOf('resnet-cifar'), backendRequest: 'wasm' });
    const c = clients[0]!;
    c.emit({ type: 'backend', report: { used: 'wasm', skipped: [] } });
    c.sendCheckpoint(1, 10);
    await settle();
    c.emit({ type: 'failed', kind: 'worker-lost', message: 'the training worker stopped unexpectedly (it closed or crashed)' });
    const view = session.getFrame().view;
    expect(view).toMatchObject({ phase: 'failed', workerLost: true });
    // Another backend is not the remedy for a dead worker: Resume (or Retry) is.
    expect(view).not.toHaveProperty('failedBackend');
    expect(c.disposed).toBe(true);
    await session.flushWrites();
    const run = await stored();
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/stopped unexpectedly/);
    expect(session.current?.lastCheckpoint).toBe(1);
  });

  it('renews the run record’s heartbeat only when the worker was heard from, not on every save', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const { session, clients, stored } = setup();
    await session.start({ plan: planOf('resnet-cifar'), backendRequest: 'cpu' });
    const c = clients[0]!;
    c.emit({ type: 'alive' });
    vi.advanceTimersByTime(SAVE_INTERVAL_MS);
    await settle();
    const heard = await stored();
    expect(heard.heartbeatAt).toBe(heard.updatedAt);
    // The worker is gone: the page keeps saving, the heartbeat stays where the worker left it.
    vi.advanceTimersByTime(SAVE_INTERVAL_MS);
    await settle();
    vi.advanceTimersByTime(SAVE_INTERVAL_MS);
    await settle();
    const silent = await stored();
    expect(silent.updatedAt).toBeGreaterThan(heard.updatedAt);
    expect(silent.heartbeatAt).toBe(heard.heartbeatAt);
  });

  it('says the GPU device was lost instead of quoting mapAsync', async () => {
    const { session, clients } = setup();
    await session.start({ plan: planOf('resnet-cifar'), backendRequest: 'webgpu' });
    clients[0]!.emit({ type: 'failed', kind: 'backend', message: "Failed to execute 'mapAsync' on 'GPUBuffer': Device is lost", backend: 'webgpu' });
    expect(session.getFrame().view).toMatchObject({ phase: 'failed', error: expect.stringMatching(/^the GPU device was lost/), failedBackend: 'webgpu' });
  });
});
