import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { chainPlan, smallConvNet } from '../../workers/supervised/train-test-plans';
import { expectedTfjsWeights } from '../export/pytorch/tfjs-weights';
import type { SupervisedPlan } from '../graph/plan';
import { isModelCheckpoint } from '../data/model-files';
import { storeImportedRun } from './import-run';
import { importWeights, readModelFiles, type PickedFile } from './import-weights';
import { RunRepository, openRunsDatabase } from './runs-db';

const plan: SupervisedPlan = chainPlan({
  dataset: { source: 'synthetic', numClasses: 4, imageSize: 8, channels: 3, samples: 64, seed: 3 },
  layers: smallConvNet(4),
  optimizer: { epochs: 5 },
});

const encode = (s: string) => new TextEncoder().encode(s);

/**
 * The files export_tfjs.py writes for `plan`, with the manifest in reverse order (PyTorch's order need
 * not be the app's) and each value telling which weight and index it is: weight k's i-th value is k·1000 + i.
 */
function exportedFiles(edit: (w: { name: string; shape: number[] }[]) => void = () => undefined): { json: string; bin: Uint8Array } {
  const specs = expectedTfjsWeights(plan.model).map((w, k) => ({ ...w, k }));
  edit(specs);
  const ordered = [...specs].reverse();
  const values = ordered.flatMap((w) => Array.from({ length: w.shape.reduce((a, b) => a * b, 1) }, (_, i) => w.k * 1000 + i));
  const json = JSON.stringify({
    format: 'layers-model',
    modelTopology: { class_name: 'Model', config: { name: 'm' } },
    weightsManifest: [{ paths: ['./model.weights.bin'], weights: ordered.map((w) => ({ name: w.name, shape: w.shape, dtype: 'float32' })) }],
  });
  return { json, bin: new Uint8Array(Float32Array.from(values).buffer) };
}

function picked(json: string, bin: Uint8Array): PickedFile[] {
  return [
    { name: 'model.json', bytes: encode(json) },
    { name: 'model.weights.bin', bytes: bin },
  ];
}

function importPicked(files: PickedFile[]) {
  const read = readModelFiles(files);
  if (!read.ok) return read;
  return importWeights(plan.model, read.files, { epoch: 5, step: 0 });
}

describe('importing weights trained elsewhere', () => {
  it('puts every weight in the plan’s order, by name, whatever order the file has', () => {
    const { json, bin } = exportedFiles();
    const r = importPicked(picked(json, bin));
    if (!r.ok) throw new Error(r.message);
    const expected = expectedTfjsWeights(plan.model);
    expect(r.checkpoint.weightSpecs.map((s) => s.name)).toEqual(expected.map((s) => s.name));
    expect(r.checkpoint).toMatchObject({ format: 'tensorloom-checkpoint', epoch: 5, step: 0 });
    expect(isModelCheckpoint(r.checkpoint)).toBe(true);
    const data = new Float32Array(r.checkpoint.weightData);
    let offset = 0;
    expected.forEach((w, k) => {
      const size = w.shape.reduce((a, b) => a * b, 1);
      expect([data[offset], data[offset + size - 1]], w.name).toEqual([k * 1000, k * 1000 + size - 1]);
      offset += size;
    });
    expect(offset).toBe(data.length);
  });

  it('reads a .zip holding model.json and its .bin in a folder, whatever the size of the topology before the manifest', () => {
    const small = exportedFiles();
    const bin = small.bin;
    const parsed = JSON.parse(small.json) as { modelTopology: object };
    // A large graph's topology runs past the first 100 kB; the manifest comes after it.
    const json = JSON.stringify({ ...parsed, modelTopology: { ...parsed.modelTopology, layers: 'x'.repeat(300_000) } });
    expect(json.indexOf('weightsManifest')).toBeGreaterThan(300_000);
    const zip = zipSync({ 'back/model.json': encode(json), 'back/model.weights.bin': bin });
    const r = importPicked([{ name: 'weights.zip', bytes: zip }]);
    expect(r.ok).toBe(true);
  });

  it('refuses another graph’s weights, naming the layer and both shapes', () => {
    const { json, bin } = exportedFiles((specs) => {
      const dense = specs.find((w) => w.name.endsWith('/kernel') && w.shape.length === 2)!;
      dense.shape = [dense.shape[0]!, 10];
    });
    const r = importPicked(picked(json, bin));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const dense = expectedTfjsWeights(plan.model).find((w) => w.name.endsWith('/kernel') && w.shape.length === 2)!;
    expect(r.message).toBe(`These weights do not fit the open graph: layer ${dense.name.split('/')[0]}: kernel is [32,10] in model.json, this graph has [32,4]`);
  });

  it('refuses a missing weights file, a file that is no model, and non-finite values', () => {
    const { json, bin } = exportedFiles();
    const noBin = importPicked([{ name: 'model.json', bytes: encode(json) }]);
    expect(noBin.ok === false && noBin.message).toMatch(/weights file .*model\.weights\.bin.* is missing/);
    const notModel = readModelFiles([{ name: 'notes.json', bytes: encode('{"a":1}') }]);
    expect(notModel.ok === false && notModel.message).toMatch(/none of the files is a TF\.js model\.json/);
    const nan = bin.slice();
    new Float32Array(nan.buffer)[3] = Number.NaN;
    const r = importPicked(picked(json, nan));
    expect(r.ok === false && r.message).toMatch(/NaN or infinite/);
  });

  it('stores an imported run with its checkpoint, and nothing when refused', async () => {
    const db = openRunsDatabase(`import-test-${Math.random()}`, { indexedDB: new IDBFactory(), IDBKeyRange });
    const repo = new RunRepository(db, { sessionId: 's', tabId: 't' });
    const { json, bin } = exportedFiles();
    const refused = await storeImportedRun(repo, plan, picked(json, bin.slice(4)));
    expect(refused.ok === false && refused.message).toMatch(/bytes/);
    expect(await db.runs.count()).toBe(0);
    const r = await storeImportedRun(repo, plan, picked(json, bin), 1234);
    if (!r.ok) throw new Error(r.message);
    expect(r.run).toMatchObject({ status: 'completed', importedFrom: { file: 'model.json', at: 1234 }, lastCheckpoint: 5, lastCheckpointStep: 0 });
    const checkpoint = await repo.latestCheckpoint(r.run.id);
    expect(isModelCheckpoint(checkpoint?.payload)).toBe(true);
    expect((await repo.list()).map((e) => e.ok && e.run.importedFrom?.file)).toEqual(['model.json']);
    expect((checkpoint?.payload as { trainedMs?: number }).trainedMs).toBeUndefined();
    db.close();
  });

  it('marks a time-budget run’s budget spent, so Evaluate trains nothing before evaluating', async () => {
    const db = openRunsDatabase(`import-test-${Math.random()}`, { indexedDB: new IDBFactory(), IDBKeyRange });
    const repo = new RunRepository(db, { sessionId: 's', tabId: 't' });
    const budgeted = { ...plan, optimizer: { ...plan.optimizer, params: { ...plan.optimizer.params, budgetMinutes: 10 } } };
    const { json, bin } = exportedFiles();
    const r = await storeImportedRun(repo, budgeted, picked(json, bin));
    if (!r.ok) throw new Error(r.message);
    expect(((await repo.latestCheckpoint(r.run.id))?.payload as { trainedMs?: number }).trainedMs).toBe(600_000);
    db.close();
  });
});
