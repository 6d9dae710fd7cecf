/** RunSession and self-supervised runs: the transfer source handed over and linked, a missing one refused in words, grids kept, the link exported. */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { registry } from '../../../nodes/registry';
import { presetDoc } from '../../../presets/test-fixtures';
import { compile } from '../../graph';
import type { SupervisedPlan } from '../../graph/plan';
import type { ReconstructionGrid } from '../../protocol/events';
import type { RunClient, RunEvent, StartOptions } from '../client-types';
import { RunRepository, newRunOf, openRunsDatabase } from '../runs-db';
import { transferLinkOf } from '../transfer-link';
import { RunSession } from './run-session';

function planOf(id: 'autoencoder-cifar' | 'ssl-classifier-cifar', optimizer: Record<string, unknown> = {}): SupervisedPlan {
  const doc = presetDoc(id);
  const r = compile({ ...doc, nodes: doc.nodes.map((n) => (n.type === 'Optimizer' ? { ...n, params: { ...n.params, ...optimizer } } : n)) }, registry);
  if (!r.ok) throw new Error(`${id} does not compile`);
  return r.plan as SupervisedPlan;
}

/** A client that records how it was started and lets the test speak for the worker. */
class Client implements RunClient {
  started: StartOptions | undefined;
  constructor(readonly emit: (e: RunEvent) => void) {}
  async start(options: StartOptions) {
    this.started = options;
  }
  async pause() {}
  async resume() {}
  async stop() {}
  async latestCheckpoint() {
    return undefined;
  }
  dispose() {}
}

function setup() {
  const repo = new RunRepository(openRunsDatabase(`sst-${Math.random()}`, { indexedDB: new IDBFactory(), IDBKeyRange }), { sessionId: 'l', tabId: 't' });
  const clients: Client[] = [];
  const clock = { requestFrame: () => 0, cancelFrame: () => undefined, now: () => 0 };
  const session = new RunSession(repo, (_p, onEvent) => {
    const c = new Client(onEvent);
    clients.push(c);
    return c;
  }, clock);
  return { repo, session, clients };
}

const checkpoint = { format: 'tensorloom-checkpoint', version: 1, epoch: 1, step: 3, modelTopology: { class_name: 'Model' }, weightSpecs: [], weightData: new ArrayBuffer(8) };
const grid = (epoch: number): ReconstructionGrid => ({ epoch, shape: [1, 1, 3], inputs: [Uint8Array.of(1, 2, 3)], outputs: [Uint8Array.of(3, 2, 1)] });

describe('RunSession with transfer and reconstruction', () => {
  it('hands the source checkpoint to the worker, records the link, and exports it with the weights', async () => {
    const { repo, session, clients } = setup();
    const ae = await repo.create(await newRunOf(planOf('autoencoder-cifar'), { backendRequest: 'auto', status: 'completed', progress: { epoch: 1, epochs: 1, step: 3, steps: 3 } }));
    await repo.saveCheckpoint(ae.id, 1, 3, checkpoint, 8);
    await session.start({ plan: planOf('ssl-classifier-cifar', { initFromRun: ae.id, initMode: 'freeze' }), backendRequest: 'wasm' });
    expect(clients[0]!.started?.initWeights).toEqual(checkpoint);
    expect(session.current?.transfer).toMatchObject({ runId: ae.id, mode: 'freeze', fresh: ['logits'] });
    await repo.saveCheckpoint(session.runId!, 1, 5, checkpoint, 8);
    const exported = await session.exportModel('m');
    expect(transferLinkOf(exported!.modelJson)).toEqual(session.current?.transfer);
  });

  it('refuses to start from a run that is not in this browser, in words, without a worker', async () => {
    const { repo, session, clients } = setup();
    await session.start({ plan: planOf('ssl-classifier-cifar', { initFromRun: 'run-gone' }), backendRequest: 'wasm' });
    expect(clients).toHaveLength(0);
    const view = session.getFrame().view;
    expect(view.phase).toBe('failed');
    expect(view.phase === 'failed' && view.error).toMatch(/Run run-gone is not in this browser/);
    await session.flushWrites();
    const stored = await repo.get(session.runId!);
    expect(stored?.ok && stored.run.status).toBe('failed');
  });

  it('Evaluate on an imported run whose source is absent resumes from its own checkpoint, with no source handed over', async () => {
    const { repo, session, clients } = setup();
    const plan = planOf('ssl-classifier-cifar', { initFromRun: 'run-from-another-browser' });
    const imported = await repo.create(await newRunOf(plan, { backendRequest: 'auto', status: 'completed', progress: { epoch: 30, epochs: 30, step: 0, steps: 0 } }));
    await repo.saveCheckpoint(imported.id, 30, 0, checkpoint, 8);
    const stored = await repo.get(imported.id);
    if (!stored?.ok) throw new Error('not stored');
    await session.resume(stored.run);
    expect(clients).toHaveLength(1);
    expect(clients[0]!.started?.checkpoint?.payload).toEqual(checkpoint);
    expect(clients[0]!.started?.initWeights).toBeUndefined();
    expect(session.getFrame().view.phase).toBe('starting');
  });

  it('keeps an autoencoder run\'s grids, and a shown record\'s from its evaluation', async () => {
    const { repo, session, clients } = setup();
    await session.start({ plan: planOf('autoencoder-cifar'), backendRequest: 'wasm' });
    clients[0]!.emit({ type: 'reconstructions', grid: grid(1) });
    clients[0]!.emit({ type: 'reconstructions', grid: grid(2) });
    expect(session.reconstructions.map((g) => g.epoch)).toEqual([1, 2]);
    const evaluation = { kind: 'reconstruction' as const, split: 'validation' as const, count: 1, loss: 0.1, mse: 0.01, psnr: 20, grids: [grid(2)] };
    clients[0]!.emit({ type: 'evaluation', evaluation });
    clients[0]!.emit({ type: 'done', reason: 'completed', step: 2, elapsedMs: 1 });
    await session.flushWrites();
    const stored = await repo.get(session.runId!);
    if (!stored?.ok) throw new Error('not stored');
    session.show({ ...stored.run, evaluation: { ...evaluation, grids: [grid(5)] } });
    expect(session.reconstructions.map((g) => g.epoch)).toEqual([5]);
  });
});
