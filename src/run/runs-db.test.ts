import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { compile } from '../graph';
import type { TrainingPlan } from '../graph/plan';
import { registry } from '../../nodes/registry';
import { presetById } from '../../presets';
import {
  CHECKPOINTS_KEPT,
  DatasetCache,
  HEARTBEAT_STALE_MS,
  RunRepository,
  openRunsDatabase,
  newRunOf,
  wasInterrupted,
  type NewRun,
  type RunIdentity,
} from './runs-db';
import { hashPlan } from './runs-db-hash';
import { readRunRecord, type RunRecord } from './runs-db-record';

function freshDb() {
  return openRunsDatabase(`runs-test-${Math.random()}`, { indexedDB: new IDBFactory(), IDBKeyRange });
}

function planOf(id: 'resnet-cifar' | 'dqn-driver'): TrainingPlan {
  const r = compile(presetById(id)!.doc, registry);
  if (!r.ok) throw new Error(`preset ${id} does not compile`);
  return r.plan;
}

function newRun(plan: TrainingPlan, extra: Partial<NewRun> = {}): Promise<NewRun> {
  return newRunOf(plan, { backendRequest: 'auto', status: 'running', progress: { epoch: 0, epochs: 30, step: 0, steps: 0 }, ...extra });
}

describe('RunRepository', () => {
  it('stores a run and reads it back after the database is reopened', async () => {
    const factory = new IDBFactory();
    const name = 'runs-reopen';
    const me: RunIdentity = { sessionId: 's1', tabId: 't1' };
    const plan = planOf('resnet-cifar');
    const repo = new RunRepository(openRunsDatabase(name, { indexedDB: factory, IDBKeyRange }), me, () => 1000);
    const run = await repo.create(await newRun(plan));
    await repo.update(run.id, {
      backend: 'webgpu',
      skippedBackends: [],
      history: { loss: { x: [1, 2, 3], y: [2.3, 2.1, 1.9] } },
      progress: { epoch: 1, epochs: 30, step: 3, steps: 90 },
      evaluation: { accuracy: 0.42 },
      status: 'completed',
    });
    repo.db.close();

    const again = new RunRepository(openRunsDatabase(name, { indexedDB: factory, IDBKeyRange }), { sessionId: 's2', tabId: 't1' });
    const list = await again.list();
    expect(list).toHaveLength(1);
    const entry = list[0]!;
    if (!entry.ok) throw new Error(entry.problem);
    expect(entry.run.backend).toBe('webgpu');
    expect(entry.run.history.loss).toEqual({ x: [1, 2, 3], y: [2.3, 2.1, 1.9] });
    expect(entry.run.evaluation).toEqual({ accuracy: 0.42 });
    expect(entry.run.planHash).toBe(await hashPlan(plan));
    expect(entry.run.plan.model.totalParams).toBe(plan.model.totalParams);
  });

  it('marks a live run as interrupted after a reload of its tab, leaves finished runs alone', async () => {
    const db = freshDb();
    const plan = planOf('dqn-driver');
    const before = new RunRepository(db, { sessionId: 'load-1', tabId: 'tab-A' }, () => 5000);
    const live = await before.create(await newRun(plan));
    const done = await before.create(await newRun(plan, { status: 'completed' }));

    const sameLoad = await before.markInterrupted();
    expect(sameLoad).toEqual([]);

    const reloaded = new RunRepository(db, { sessionId: 'load-2', tabId: 'tab-A' }, () => 6000);
    expect(await reloaded.markInterrupted()).toEqual([live.id]);
    const got = await reloaded.get(live.id);
    expect(got?.ok && got.run.status).toBe('interrupted');
    const other = await reloaded.get(done.id);
    expect(other?.ok && other.run.status).toBe('completed');
  });

  it('leaves another tab’s live run alone while its heartbeat is fresh', () => {
    const me = { sessionId: 'mine', tabId: 'tab-B' };
    const run = { status: 'running' as const, sessionId: 'theirs', tabId: 'tab-A', heartbeatAt: 10_000 };
    expect(wasInterrupted(run, me, 10_000 + HEARTBEAT_STALE_MS - 1)).toBe(false);
    expect(wasInterrupted(run, me, 10_000 + HEARTBEAT_STALE_MS + 1)).toBe(true);
    expect(wasInterrupted({ ...run, status: 'failed' }, me, 10_000 + 10 * HEARTBEAT_STALE_MS)).toBe(false);
  });

  it('keeps the newest checkpoints only and finds the latest', async () => {
    const db = freshDb();
    const repo = new RunRepository(db, { sessionId: 's', tabId: 't' });
    const run = await repo.create(await newRun(planOf('resnet-cifar')));
    for (let epoch = 1; epoch <= CHECKPOINTS_KEPT + 2; epoch++) {
      await repo.saveCheckpoint(run.id, epoch, epoch * 10, { weights: new Float32Array([epoch]).buffer }, 4);
    }
    const stored = await db.checkpoints.where('runId').equals(run.id).toArray();
    expect(stored.map((c) => c.epoch).sort((a, b) => a - b)).toEqual([3, 4, 5]);
    const latest = await repo.latestCheckpoint(run.id);
    expect(latest?.epoch).toBe(CHECKPOINTS_KEPT + 2);
    expect(new Float32Array((latest!.payload as { weights: ArrayBuffer }).weights)[0]).toBe(5);
    const after = await repo.get(run.id);
    expect(after?.ok && after.run.lastCheckpoint).toBe(5);
    await repo.delete(run.id);
    expect(await db.checkpoints.count()).toBe(0);
  });

  it('keeps a stop point apart from its epoch’s checkpoint, and resumes from the stop point', async () => {
    const db = freshDb();
    const repo = new RunRepository(db, { sessionId: 's', tabId: 't' });
    const run = await repo.create(await newRun(planOf('resnet-cifar')));
    await repo.saveCheckpoint(run.id, 1, 10, { at: 'epoch 1' }, 4);
    // Stopped at step 18: still one complete epoch, 8 steps into the second.
    await repo.saveCheckpoint(run.id, 1, 18, { at: 'stop' }, 4);
    const stored = await db.checkpoints.where('runId').equals(run.id).toArray();
    expect(stored.map((c) => c.step).sort((a, b) => a - b)).toEqual([10, 18]);
    expect((await repo.latestCheckpoint(run.id))?.payload).toEqual({ at: 'stop' });
    const after = await repo.get(run.id);
    expect(after?.ok && [after.run.lastCheckpoint, after.run.lastCheckpointStep]).toEqual([1, 18]);
  });

  it('renews the heartbeat only for writes that say the worker is alive', async () => {
    const db = freshDb();
    let t = 1_000;
    const repo = new RunRepository(db, { sessionId: 's', tabId: 't' }, () => (t += 1_000));
    const run = await repo.create(await newRun(planOf('resnet-cifar')));
    const quiet = await repo.update(run.id, { progress: { ...run.progress, step: 1 } }, { alive: false });
    expect(quiet?.heartbeatAt).toBe(run.heartbeatAt);
    expect(quiet?.updatedAt).toBeGreaterThan(run.updatedAt);
    const beat = await repo.update(run.id, { progress: { ...run.progress, step: 2 } });
    expect(beat?.heartbeatAt).toBe(beat?.updatedAt);
  });

  it('refuses to write an invalid record and lists an unreadable one with its problem', async () => {
    const db = freshDb();
    const repo = new RunRepository(db, { sessionId: 's', tabId: 't' });
    const plan = planOf('dqn-driver');
    await expect(repo.create({ ...(await newRun(plan)), planHash: 'not-a-hash' })).rejects.toThrow(/planHash/);
    await db.runs.put({ id: 'broken', schemaVersion: 99 } as unknown as RunRecord);
    const list = await repo.list();
    expect(list).toEqual([{ ok: false, id: 'broken', problem: 'unsupported run record version 99' }]);
  });

  it('applies record migrations in order on read', async () => {
    const plan = planOf('dqn-driver');
    const current = { ...(await newRun(plan)), id: 'r', schemaVersion: 1, createdAt: 0, updatedAt: 0, heartbeatAt: 0, sessionId: 's', tabId: 't' };
    // A hypothetical version 2 that renamed progress.step; a version-1 record must come up to it.
    const { progress, ...rest } = current;
    const old = { ...rest, progress: { epoch: 0, epochs: 30, steps: 0, stepsDone: 12 } };
    const migrations = [
      {
        from: 1,
        up: (r: Record<string, unknown>) => {
          const p = r.progress as { stepsDone: number; epoch: number; epochs: number; steps: number };
          return { ...r, progress: { epoch: p.epoch, epochs: p.epochs, steps: p.steps, step: p.stepsDone } };
        },
      },
    ];
    const read = readRunRecord(old, migrations, 2);
    if (!read.ok) throw new Error(read.problem);
    expect(read.run.schemaVersion).toBe(2);
    expect(read.run.progress).toEqual({ ...progress, step: 12 });
    expect(readRunRecord(old, [], 2)).toEqual({ ok: false, problem: 'no migration from run record version 1' });
    expect(readRunRecord(old).ok).toBe(false); // without the migration, the old shape is refused
  });
});

describe('DatasetCache', () => {
  it('replaces, lists and loads batches in numeric order', async () => {
    const cache = new DatasetCache(freshDb(), () => 7);
    const big = new Uint8Array(100);
    await cache.replace('cifar10', [
      { name: 'data_batch_10.bin', role: 'train', bytes: new Uint8Array([10]) },
      { name: 'data_batch_2.bin', role: 'train', bytes: big.subarray(0, 3) },
      { name: 'test_batch.bin', role: 'test', bytes: new Uint8Array([9]) },
    ]);
    expect((await cache.summary('cifar10')).map((b) => b.name)).toEqual(['data_batch_2.bin', 'data_batch_10.bin', 'test_batch.bin']);
    const rows = await cache.load('cifar10');
    // A view into a larger buffer is stored as just its own bytes.
    expect(rows.find((r) => r.name === 'data_batch_2.bin')!.bytes.byteLength).toBe(3);
    await cache.replace('cifar10', [{ name: 'data_batch_1.bin', role: 'train', bytes: new Uint8Array([1]) }]);
    expect((await cache.summary('cifar10')).map((b) => b.name)).toEqual(['data_batch_1.bin']);
    await cache.clear('cifar10');
    expect(await cache.summary('cifar10')).toEqual([]);
  });
});
