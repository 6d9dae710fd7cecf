/** Transfer from the page: the candidate runs, the layer match worked out from two plans, the checkpoint lookup. */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { compile } from '../graph';
import type { GraphDocument } from '../graph/document';
import type { SupervisedPlan, TrainingPlan } from '../graph/plan';
import { registry } from '../../nodes/registry';
import { presetDoc } from '../../presets/test-fixtures';
import { RunRepository, newRunOf, openRunsDatabase } from './runs-db';
import { lookupTransferSource, matchLayers, transferCandidates } from './transfer-source';

function planOf(doc: GraphDocument): TrainingPlan {
  const r = compile(doc, registry);
  if (!r.ok) throw new Error(`does not compile: ${JSON.stringify(r.diagnostics.slice(0, 2))}`);
  return r.plan;
}
const supervised = (doc: GraphDocument) => planOf(doc) as SupervisedPlan;
const autoencoder = () => supervised(presetDoc('autoencoder-cifar'));
const classifier = () => supervised(presetDoc('ssl-classifier-cifar'));

function repo(): RunRepository {
  const db = openRunsDatabase(`transfer-${Math.random()}`, { indexedDB: new IDBFactory(), IDBKeyRange });
  return new RunRepository(db, { sessionId: 's', tabId: 't' });
}
const finished = (plan: TrainingPlan) => newRunOf(plan, { backendRequest: 'auto', status: 'completed', progress: { epoch: 1, epochs: 1, step: 4, steps: 4 } });

describe('matchLayers', () => {
  it('matches the classifier preset to the autoencoder by node id: the encoder copied, the head fresh', () => {
    const m = matchLayers(autoencoder().model, classifier().model);
    expect(m.matched).toEqual(['stem-conv', 'stem-bn', 'enc1', 'enc2', 'enc3']);
    expect(m.fresh).toEqual([{ nodeId: 'logits', why: 'not in the source run' }]);
  });

  it('leaves a layer fresh, naming the weight, when its shape differs', () => {
    const doc = presetDoc('ssl-classifier-cifar');
    const wider = { ...doc, nodes: doc.nodes.map((n) => (n.id === 'stem-conv' ? { ...n, params: { ...n.params, filters: 24 } } : n)) };
    const m = matchLayers(autoencoder().model, supervised(wider).model);
    expect(m.matched).not.toContain('stem-conv');
    expect(m.fresh.find((f) => f.nodeId === 'stem-conv')?.why).toMatch(/kernel is 3×3×3×16 there, 3×3×3×24 here/);
    // The next layers see 24 channels now: they no longer fit either.
    expect(m.fresh.map((f) => f.nodeId)).toContain('stem-bn');
  });
});

describe('lookupTransferSource', () => {
  it('finds a finished run and its newest checkpoint', async () => {
    const r = repo();
    const run = await r.create(await finished(autoencoder()));
    await r.saveCheckpoint(run.id, 1, 2, { n: 'old' }, 10);
    await r.saveCheckpoint(run.id, 1, 4, { n: 'new' }, 10);
    const found = await lookupTransferSource(r, run.id);
    expect(found.ok && found.checkpoint.payload).toEqual({ n: 'new' });
    expect(found.ok && found.run.id).toBe(run.id);
  });

  it('says in words when the run is gone, has no weights yet, or trains an agent', async () => {
    const r = repo();
    const gone = await lookupTransferSource(r, 'run-deleted-1');
    expect(gone).toEqual({ ok: false, message: expect.stringMatching(/^Run run-deleted-1 is not in this browser .*pick another run/) });
    const early = await r.create(await finished(autoencoder()));
    expect(await lookupTransferSource(r, early.id)).toEqual({ ok: false, message: expect.stringMatching(/has no stored weights yet/) });
    await r.saveCheckpoint(early.id, 1, 4, {}, 1);
    await r.delete(early.id);
    expect(await lookupTransferSource(r, early.id)).toMatchObject({ ok: false, message: expect.stringMatching(/is not in this browser/) });
    const agent = await r.create(await finished(planOf(presetDoc('dqn-driver'))));
    await r.saveCheckpoint(agent.id, 0, 4, {}, 1);
    expect(await lookupTransferSource(r, agent.id)).toMatchObject({ ok: false, message: expect.stringMatching(/driving agent/) });
  });

  it('offers only supervised runs with stored weights, newest first, never the run on screen', async () => {
    const r = repo();
    const a = await r.create(await finished(autoencoder()));
    await r.saveCheckpoint(a.id, 1, 4, {}, 1);
    await r.create(await finished(autoencoder()));
    const b = await r.create(await finished(classifier()));
    await r.saveCheckpoint(b.id, 1, 4, {}, 1);
    const entries = await r.list();
    expect(transferCandidates(entries).map((x) => x.id).sort()).toEqual([a.id, b.id].sort());
    expect(transferCandidates(entries, b.id).map((x) => x.id)).toEqual([a.id]);
  });
});
