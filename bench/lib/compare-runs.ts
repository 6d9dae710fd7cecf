/**
 * Stored runs for the compare-view benchmark, made the way the app makes them: each run's metrics
 * go through the run panel's MetricStore (so they are capped and averaged as a real run's are) and
 * are packed as the runs database stores them. 50 supervised runs of 30 epochs (390 steps each, a
 * step event every 10 steps) and 20 RL runs of 20k environment steps (a progress event every 5
 * steps, an episode every ~120).
 */
import type { Page } from '@playwright/test';
import { registry } from '../../nodes/registry';
import { presetById } from '../../presets';
import { compile } from '../../src/graph';
import { newRunOf } from '../../src/run/runs-db';
import { packMetrics } from '../../src/run/runs-db-metrics';
import type { RunRecord } from '../../src/run/runs-db-record';
import { MetricStore } from '../../src/run/ui/metric-series';
import { Mulberry32 } from '../../src/rl/random';

/** A run as handed to the page: the record, and its packed metrics as plain numbers. */
export interface SeedRun {
  record: RunRecord;
  names: string[];
  lengths: number[];
  data: number[];
}

function planOf(id: string) {
  const r = compile(presetById(id)!.doc, registry);
  if (!r.ok) throw new Error(`preset ${id} does not compile`);
  return r.plan;
}

function supervisedMetrics(seed: number, lr: number): MetricStore {
  const rng = new Mulberry32(seed);
  const rand = () => rng.next();
  const store = new MetricStore();
  const perEpoch = 390;
  for (let step = 10; step <= 30 * perEpoch; step += 10) {
    const loss = 2.3 * Math.exp(-step / (4000 / lr)) + 0.2 + 0.1 * rand();
    store.record(step, { loss, accuracy: 1 - loss / 2.5, learningRate: lr, imagesPerSecond: 900 + 100 * rand(), elapsedMs: step * 60 });
    if (step % perEpoch === 0) store.record(step, { epochLoss: loss, epochAccuracy: 1 - loss / 2.5, valLoss: loss + 0.1, valAccuracy: 0.9 - loss / 3 });
  }
  return store;
}

function rlMetrics(seed: number): MetricStore {
  const rng = new Mulberry32(seed);
  const rand = () => rng.next();
  const store = new MetricStore();
  for (let step = 5; step <= 20_000; step += 5) {
    const skill = step / 20_000;
    store.record(step, { epsilon: Math.max(0.05, 1 - skill * 2), stepsPerSecond: 400 + 50 * rand(), tdLoss: 0.5 * (1 - skill) + 0.05 * rand(), meanReturn: 10 + 20 * skill + rand(), meanSpeed: 20 + 5 * skill, collisionRate: 0.5 * (1 - skill), elapsedMs: step * 2.5 });
    if (step % 120 === 0) store.record(step, { episodeReturn: 10 + 20 * skill + 5 * rand() });
  }
  return store;
}

/** The runs of the benchmark: `supervised` ResNet runs, then `rl` DQN runs, oldest first. */
export async function compareBenchRuns(supervised = 50, rl = 20): Promise<SeedRun[]> {
  const resnet = planOf('resnet-cifar');
  const dqn = planOf('dqn-driver');
  const doc = presetById('resnet-cifar')!.doc;
  const out: SeedRun[] = [];
  for (let i = 0; i < supervised + rl; i++) {
    const isRl = i >= supervised;
    const plan = isRl ? dqn : resnet;
    const fields = await newRunOf(plan, {
      backendRequest: 'auto',
      status: 'completed',
      progress: isRl ? { epoch: 0, epochs: 0, step: 20_000, steps: 20_000 } : { epoch: 30, epochs: 30, step: 11_700, steps: 11_700 },
    });
    const lr = 0.01 * (1 + (i % 10));
    const record: RunRecord = {
      ...fields,
      name: isRl ? `driver ${i - supervised + 1}` : `resnet lr ${lr.toFixed(2)}`,
      id: `bench-${i}`,
      schemaVersion: 1,
      createdAt: 1_700_000_000_000 + i * 60_000,
      updatedAt: 1_700_000_000_000 + i * 60_000 + 50_000,
      heartbeatAt: 0,
      sessionId: 'bench',
      tabId: 'bench',
      backend: 'wasm',
      ...(isRl ? {} : { document: { ...doc, nodes: doc.nodes.map((n) => (n.id === 'optimizer' ? { ...n, params: { ...n.params, learningRate: lr } } : n)) } }),
    };
    const packed = packMetrics(record.id, (isRl ? rlMetrics(i) : supervisedMetrics(i, lr)).toHistory());
    out.push({ record, names: packed.names, lengths: packed.lengths, data: Array.from(packed.data) });
  }
  return out;
}

/** Stores `runs` in the app's runs database, as the app would have (records, then packed metrics). */
export async function seedRuns(page: Page, runs: SeedRun[]): Promise<void> {
  await page.evaluate(async (seed) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('tensorloom-runs');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    await new Promise<void>((resolve, reject) => {
      const tx = db.transaction(['runs', 'metrics'], 'readwrite');
      // Runs of the open project, so its runs table lists all of them beside the comparison.
      const projectId = sessionStorage.getItem('tensorloom.openProject');
      for (const r of seed) {
        tx.objectStore('runs').put(projectId ? { ...r.record, projectId } : r.record);
        tx.objectStore('metrics').put({ runId: r.record.id, names: r.names, lengths: r.lengths, data: new Float64Array(r.data) });
      }
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
    });
    db.close();
  }, runs);
}

/** Median ms from the click on Runs until the comparison of `ids` has drawn its last chart. */
export async function compareViewMs(page: Page, ids: string[], repeats = 5): Promise<{ medianMs: number; charts: number }> {
  await page.evaluate(`localStorage.setItem('tensorloom.compare.selected', ${JSON.stringify(JSON.stringify(ids))})`);
  const times: number[] = [];
  let charts = 0;
  for (let i = 0; i < repeats; i++) {
    await page.evaluate(`(() => { window.__compareDrawnAt = 0; window.__t0 = performance.now(); document.querySelector('[data-testid="open-runs"]').click(); })()`);
    await page.locator(`[data-testid="compare-view"][data-ready="true"][data-runs="${ids.length}"]`).waitFor({ timeout: 60_000 });
    await page.waitForFunction('window.__compareDrawnAt > 0');
    times.push((await page.evaluate('window.__compareDrawnAt - window.__t0')) as number);
    charts = await page.locator('[data-testid^="compare-chart-"]').count();
    await page.getByTestId('runs-close').click();
    await page.waitForTimeout(300);
  }
  const sorted = [...times].sort((a, b) => a - b);
  return { medianMs: sorted[Math.floor(sorted.length / 2)]!, charts };
}
