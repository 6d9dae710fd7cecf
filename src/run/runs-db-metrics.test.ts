import Dexie from 'dexie';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { compile } from '../graph';
import type { TrainingPlan } from '../graph/plan';
import { registry } from '../../nodes/registry';
import { presetById } from '../../presets';
import { RunRepository, newRunOf, openRunsDatabase, type RunIdentity } from './runs-db';
import { packMetrics, packedTraces, unpackMetrics } from './runs-db-metrics';

const me: RunIdentity = { sessionId: 's1', tabId: 't1' };

function plan(): TrainingPlan {
  const r = compile(presetById('resnet-cifar')!.doc, registry);
  if (!r.ok) throw new Error('preset does not compile');
  return r.plan;
}

function repoOn(factory: IDBFactory, name: string, now = () => 1000): RunRepository {
  return new RunRepository(openRunsDatabase(name, { indexedDB: factory, IDBKeyRange }), me, now);
}

async function newRun(repo: RunRepository) {
  return repo.create(await newRunOf(plan(), { backendRequest: 'auto', status: 'completed', progress: { epoch: 2, epochs: 2, step: 6, steps: 6 } }));
}

describe('packed metrics', () => {
  it('packs every series into one buffer and reads the same points back', () => {
    const history = { loss: { x: [1, 2, 3], y: [2.3, 2.1, 1.9] }, valAccuracy: { x: [3], y: [0.41] }, empty: { x: [], y: [] } };
    const record = packMetrics('r', history);
    expect(record.data.length).toBe(2 * 4);
    expect(Array.from(packedTraces(record).valAccuracy!.y)).toEqual([0.41]);
    expect(unpackMetrics(record)).toEqual(history);
  });

  it('refuses a series whose x and y differ in length', () => {
    expect(() => packMetrics('r', { loss: { x: [1, 2], y: [1] } })).toThrow(/loss: x and y differ/);
  });
});

describe('RunRepository metrics', () => {
  it('moves the metrics of records stored before version 3 into their own rows', async () => {
    const factory = new IDBFactory();
    const name = 'runs-v2';
    // A database as version 2 of the app left it: metrics inside the run record.
    const old = new Dexie(name, { indexedDB: factory, IDBKeyRange });
    old.version(1).stores({ runs: '&id, updatedAt, status, planHash', checkpoints: '&id, runId, [runId+epoch]', datasets: '&id, dataset' });
    old.version(2).stores({ checkpoints: '&id, runId, [runId+epoch], [runId+step]' });
    const fields = await newRunOf(plan(), { backendRequest: 'auto', status: 'completed', progress: { epoch: 1, epochs: 1, step: 3, steps: 3 } });
    const record = { ...fields, id: 'old', schemaVersion: 1, createdAt: 1, updatedAt: 1, heartbeatAt: 1, sessionId: 'x', tabId: 'y', history: { loss: { x: [1, 2, 3], y: [3, 2, 1] } } };
    await old.table('runs').add(record);
    old.close();

    const repo = repoOn(factory, name);
    const [entry] = await repo.list();
    if (!entry?.ok) throw new Error('old run unreadable');
    expect(entry.run.history).toEqual({ loss: { x: [1, 2, 3], y: [3, 2, 1] } });
    expect((await repo.db.runs.get('old'))!.history).toEqual({});
    expect(Array.from((await repo.db.metrics.get('old'))!.data)).toEqual([1, 2, 3, 3, 2, 1]);
  });

  it('keeps metrics out of the run row, and lists without them when asked', async () => {
    const repo = repoOn(new IDBFactory(), 'runs-split');
    const run = await newRun(repo);
    const updated = await repo.update(run.id, { history: { loss: { x: [1, 2], y: [0.5, 0.25] } } });
    expect(updated!.history.loss).toEqual({ x: [1, 2], y: [0.5, 0.25] });
    expect((await repo.db.runs.get(run.id))!.history).toEqual({});
    // A later write without history leaves the stored points alone.
    const again = await repo.update(run.id, { status: 'stopped' });
    expect(again!.history.loss!.y).toEqual([0.5, 0.25]);
    const light = await repo.list({ metrics: false });
    expect(light[0]!.ok && light[0]!.run.history).toEqual({});
    const packed = await repo.metricsOf([run.id, 'missing']);
    expect([...packed.keys()]).toEqual([run.id]);
  });

  it('deleting a run frees its metrics and checkpoints; undo puts all of them back', async () => {
    const repo = repoOn(new IDBFactory(), 'runs-delete');
    const run = await newRun(repo);
    const other = await newRun(repo);
    await repo.update(run.id, { history: { loss: { x: [1], y: [1] } } });
    await repo.update(other.id, { history: { loss: { x: [1], y: [2] } } });
    await repo.saveCheckpoint(run.id, 1, 3, { w: [1] }, 10);
    const deleted = await repo.delete(run.id);
    expect(await repo.db.metrics.count()).toBe(1);
    expect(await repo.db.checkpoints.where('runId').equals(run.id).count()).toBe(0);
    expect(await repo.get(run.id)).toBeUndefined();
    await repo.restore(deleted!);
    const back = await repo.get(run.id);
    expect(back?.ok && back.run.history.loss!.y).toEqual([1]);
    expect((await repo.latestCheckpoint(run.id))?.payload).toEqual({ w: [1] });
  });

  it('renames, tags and stars without moving the run in the newest-first order', async () => {
    let t = 1000;
    const repo = repoOn(new IDBFactory(), 'runs-label', () => t++);
    const run = await newRun(repo);
    const labelled = await repo.label(run.id, { name: 'lr 0.01', tags: ['baseline'], starred: true });
    expect(labelled).toMatchObject({ name: 'lr 0.01', tags: ['baseline'], starred: true, updatedAt: run.updatedAt, heartbeatAt: run.heartbeatAt });
    await expect(repo.label(run.id, { tags: [''] })).rejects.toThrow(/refusing to store/);
  });
});
