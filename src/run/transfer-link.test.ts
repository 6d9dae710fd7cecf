/** The transfer link through export and import: kept in model.json, read back, stored, and told when its source is absent. */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { compile } from '../graph';
import type { SupervisedPlan } from '../graph/plan';
import { registry } from '../../nodes/registry';
import { presetDoc } from '../../presets/test-fixtures';
import { expectedTfjsWeights } from '../export/pytorch/tfjs-weights';
import { storeImportedRun } from './import-run';
import { RunRepository, newRunOf, openRunsDatabase } from './runs-db';
import { describeLink, transferLink, transferLinkOf, withTransferLink } from './transfer-link';

function planOf(id: 'autoencoder-cifar' | 'ssl-classifier-cifar', optimizer: Record<string, unknown> = {}): SupervisedPlan {
  const doc = presetDoc(id);
  const r = compile({ ...doc, nodes: doc.nodes.map((n) => (n.type === 'Optimizer' ? { ...n, params: { ...n.params, ...optimizer } } : n)) }, registry);
  if (!r.ok) throw new Error(`${id} does not compile`);
  return r.plan as SupervisedPlan;
}
const repo = () => new RunRepository(openRunsDatabase(`link-${Math.random()}`, { indexedDB: new IDBFactory(), IDBKeyRange }), { sessionId: 's', tabId: 't' });
const done = (plan: SupervisedPlan) => newRunOf(plan, { backendRequest: 'auto', status: 'completed', progress: { epoch: 1, epochs: 1, step: 1, steps: 1 } });

/** A model.json + .bin of `plan`'s weights (all zero), as Export writes them. */
function modelFiles(plan: SupervisedPlan): { json: string; bin: Uint8Array } {
  const specs = expectedTfjsWeights(plan.model);
  const size = specs.reduce((n, w) => n + w.shape.reduce((a, b) => a * b, 1), 0);
  const json = JSON.stringify({
    format: 'layers-model',
    modelTopology: { class_name: 'Model', config: { name: 'm' } },
    weightsManifest: [{ paths: ['./model.weights.bin'], weights: specs.map((w) => ({ ...w, dtype: 'float32' })) }],
  });
  return { json, bin: new Uint8Array(size * 4) };
}

describe('transfer link', () => {
  it('records what the classifier preset takes from the autoencoder run', async () => {
    const r = repo();
    const source = await r.create(await done(planOf('autoencoder-cifar')));
    const link = transferLink(planOf('ssl-classifier-cifar', { initFromRun: source.id, initMode: 'freeze' }), source);
    expect(link).toEqual({ runId: source.id, runName: source.name, mode: 'freeze', matched: ['stem-conv', 'stem-bn', 'enc1', 'enc2', 'enc3'], fresh: ['logits'] });
  });

  it('travels in model.json and is stored on import; an absent source is said, a present one is not', async () => {
    const here = repo();
    const source = await here.create(await done(planOf('autoencoder-cifar')));
    const plan = planOf('ssl-classifier-cifar', { initFromRun: source.id });
    const link = transferLink(plan, source);
    const { json, bin } = modelFiles(plan);
    const exported = withTransferLink(json, link);
    expect(transferLinkOf(exported)).toEqual(link);
    const files = [
      { name: 'model.json', bytes: new TextEncoder().encode(exported) },
      { name: 'model.weights.bin', bytes: bin },
    ];

    const elsewhere = repo();
    const away = await storeImportedRun(elsewhere, plan, files);
    if (!away.ok) throw new Error(away.message);
    expect(away.run.transfer).toEqual(link);
    expect(away.note).toMatch(/^Started from run “Autoencoder.*5 layers copied and fine-tuned \(stem-conv, .*started fresh: logits\. That run is not in this browser/);
    const reread = await elsewhere.get(away.run.id);
    expect(reread?.ok && reread.run.transfer).toEqual(link);

    const home = await storeImportedRun(here, plan, files);
    expect(home.ok && home.note).not.toMatch(/not in this browser/);
    expect(home.ok && home.run.transfer).toEqual(link);
  });

  it('leaves files without a link, or with a damaged one, unlinked', async () => {
    const plan = planOf('ssl-classifier-cifar');
    const { json, bin } = modelFiles(plan);
    expect(withTransferLink(json, undefined)).toBe(json);
    const damaged = JSON.stringify({ ...JSON.parse(json), userDefinedMetadata: { tensorloom: { transfer: { runId: 7 } } } });
    expect(transferLinkOf(damaged)).toBeUndefined();
    const r = await storeImportedRun(repo(), plan, [
      { name: 'model.json', bytes: new TextEncoder().encode(damaged) },
      { name: 'model.weights.bin', bytes: bin },
    ]);
    expect(r.ok && r.run.transfer).toBeUndefined();
    expect(r.ok && r.note).toBeUndefined();
  });

  it('says in one sentence what a frozen link kept', () => {
    const text = describeLink({ runId: 'abcdef123456', runName: 'AE', mode: 'freeze', matched: ['enc1'], fresh: [] }, true);
    expect(text).toBe('Started from run “AE” (abcdef12): 1 layer copied and frozen (enc1).');
  });
});
