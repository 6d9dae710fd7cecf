import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { registry } from '../../../nodes/registry';
import { presetById } from '../../../presets';
import { compile } from '../../graph';
import { RunRepository, openRunsDatabase, type NewRun } from '../runs-db';
import { hashPlan } from '../runs-db-hash';
import { runningElsewhere } from './use-runs';

async function newRun(): Promise<NewRun> {
  const r = compile(presetById('resnet-cifar')!.doc, registry);
  if (!r.ok) throw new Error('preset does not compile');
  return {
    mode: 'supervised', name: r.plan.name, planHash: await hashPlan(r.plan), plan: r.plan, backendRequest: 'auto', backend: 'wasm',
    skippedBackends: [], status: 'running', progress: { epoch: 1, epochs: 3, step: 12, steps: 30 }, history: {},
  };
}

describe('RunRepository.interruptedOfThisTab', () => {
  it('finds the run this tab was training before the reload, not another tab’s', async () => {
    const db = openRunsDatabase(`reload-${Math.random()}`, { indexedDB: new IDBFactory(), IDBKeyRange });
    let t = 1_000;
    const clock = () => (t += 100_000);
    const mine = await new RunRepository(db, { sessionId: 'load-1', tabId: 'tab-A' }, clock).create(await newRun());
    await new RunRepository(db, { sessionId: 'load-2', tabId: 'tab-B' }, clock).create(await newRun());
    // Tab A reloads: its own run is cut off; tab B's is stale too (its heartbeat is old).
    const reloaded = new RunRepository(db, { sessionId: 'load-3', tabId: 'tab-A' }, clock);
    const ids = await reloaded.markInterrupted();
    expect(ids).toHaveLength(2);
    const shown = await reloaded.interruptedOfThisTab();
    expect(shown?.id).toBe(mine.id);
    expect(shown?.status).toBe('interrupted');
  });

  it('still finds it after a second reload of the tab, which marked nothing', async () => {
    const db = openRunsDatabase(`reload-${Math.random()}`, { indexedDB: new IDBFactory(), IDBKeyRange });
    let t = 1_000;
    const clock = () => (t += 1_000);
    const mine = await new RunRepository(db, { sessionId: 'load-1', tabId: 'tab-A' }, clock).create(await newRun());
    expect(await new RunRepository(db, { sessionId: 'load-2', tabId: 'tab-A' }, clock).markInterrupted()).toEqual([mine.id]);
    const again = new RunRepository(db, { sessionId: 'load-3', tabId: 'tab-A' }, clock);
    expect(await again.markInterrupted()).toEqual([]);
    expect((await again.interruptedOfThisTab())?.id).toBe(mine.id);
  });

  it('shows nothing once this tab’s newest run is one that ended', async () => {
    const db = openRunsDatabase(`reload-${Math.random()}`, { indexedDB: new IDBFactory(), IDBKeyRange });
    let t = 1_000;
    const clock = () => (t += 1_000);
    await new RunRepository(db, { sessionId: 'load-1', tabId: 'tab-A' }, clock).create(await newRun());
    const second = new RunRepository(db, { sessionId: 'load-2', tabId: 'tab-A' }, clock);
    await second.markInterrupted();
    await second.create({ ...(await newRun()), status: 'completed' });
    expect(await new RunRepository(db, { sessionId: 'load-3', tabId: 'tab-A' }, clock).interruptedOfThisTab()).toBeUndefined();
  });
});

describe('runningElsewhere', () => {
  it('is a live run of another page load: not this one, not one that ended', () => {
    const me = { sessionId: 'load-1', tabId: 'tab-A' };
    expect(runningElsewhere({ status: 'running', sessionId: 'load-2' }, me)).toBe(true);
    expect(runningElsewhere({ status: 'paused', sessionId: 'load-2' }, me)).toBe(true);
    expect(runningElsewhere({ status: 'running', sessionId: 'load-1' }, me)).toBe(false);
    expect(runningElsewhere({ status: 'completed', sessionId: 'load-2' }, me)).toBe(false);
    expect(runningElsewhere({ status: 'interrupted', sessionId: 'load-2' }, me)).toBe(false);
  });
});
