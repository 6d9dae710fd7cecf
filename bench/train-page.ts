/**
 * The in-browser half of `npm run bench:train`: trains the ResNet-20 preset on synthetic
 * CIFAR-shaped images (batch 32) in the real training worker on one backend, named in the query
 * string, and publishes images per second on `window.__trainBench`.
 */
import * as Comlink from 'comlink';
import { registry } from '../nodes/registry';
import { presets } from '../presets';
import { compile } from '../src/graph/compile';
import type { Backend, SupervisedPlan } from '../src/graph/plan';
import type { TrainEvent } from '../src/protocol/train';
import type { TrainWorkerApi } from '../workers/supervised/train.worker';

/** What the page reports back to the Node driver. */
export interface TrainBenchResult {
  backend: Backend;
  /** The backend the worker actually started, or null when it could not start the asked one. */
  started: Backend | null;
  imagesPerSec: number | null;
  /** Steps measured (after the warm-up steps) and their wall time. */
  steps: number;
  ms: number;
  firstStepMs: number | null;
  error?: string;
  statuses: string[];
}

declare global {
  interface Window {
    __trainBench?: TrainBenchResult;
  }
}

const BATCH = 32;
/** Steps left out of the measurement: GPU backends compile shaders during the first ones. */
const WARMUP_STEPS: Record<Backend, number> = { webgpu: 3, webgl: 3, wasm: 1, cpu: 1 };

function benchPlan(): SupervisedPlan {
  const preset = presets.find((p) => p.id === 'resnet-cifar');
  if (!preset) throw new Error('the resnet-cifar preset is missing');
  const doc = structuredClone(preset.doc);
  for (const node of doc.nodes) {
    if (node.type === 'Dataset') {
      node.params = { source: 'synthetic', numClasses: 10, imageSize: 32, channels: 3, samples: BATCH * 64, validationSplit: 0, seed: 1 };
    }
    if (node.type === 'Optimizer') node.params = { ...node.params, batchSize: BATCH, epochs: 50 };
  }
  const r = compile(doc, registry);
  if (!r.ok || r.plan.mode !== 'supervised') throw new Error(`bench plan does not compile: ${r.diagnostics.map((d) => d.message).join('; ')}`);
  return r.plan;
}

async function main(): Promise<TrainBenchResult> {
  const params = new URLSearchParams(location.search);
  const backend = (params.get('backend') ?? 'cpu') as Backend;
  /** Measure for this long after the warm-up steps… */
  const budgetMs = Number(params.get('budgetMs') ?? 30_000);
  /** …but give up at this point whatever happened (software WebGPU compiles for minutes). */
  const deadlineMs = Number(params.get('deadlineMs') ?? 540_000);
  const statuses: string[] = [];
  const result: TrainBenchResult = { backend, started: null, imagesPerSec: null, steps: 0, ms: 0, firstStepMs: null, statuses };
  const worker = new Worker(new URL('../workers/supervised/train.worker.ts', import.meta.url), { type: 'module' });
  const api = Comlink.wrap<TrainWorkerApi>(worker);
  const t0 = performance.now();
  let warm: { step: number; at: number } | undefined;
  let last: { step: number; at: number } | undefined;
  const onEvent = (e: TrainEvent) => {
    if (e.type === 'status') statuses.push(e.text);
    if (e.type === 'failed') result.error = e.message;
    if (e.type !== 'step') return;
    const at = performance.now();
    result.firstStepMs ??= at - t0;
    if (!warm && e.step >= WARMUP_STEPS[backend]) warm = { step: e.step, at };
    else if (warm) last = { step: e.step, at };
    if (warm && last && at - warm.at >= budgetMs) void api.stop();
  };
  // A step cannot be interrupted: at the deadline the worker is terminated, not asked to stop.
  const deadline = new Promise<'deadline'>((r) => setTimeout(() => r('deadline'), deadlineMs));
  try {
    const run = (async () => {
      const choice = await api.init(benchPlan(), { backendPreference: [backend], backendTimeoutMs: deadlineMs }, Comlink.proxy(onEvent));
      result.started = choice.backend;
      return api.start();
    })();
    if ((await Promise.race([run, deadline])) === 'deadline') {
      result.error ??= `deadline of ${deadlineMs / 1000} s reached (last status: ${statuses.at(-1) ?? 'none'})`;
    }
  } catch (e) {
    result.error ??= e instanceof Error ? e.message : String(e);
  }
  if (warm && last && last.step > warm.step) {
    result.steps = last.step - warm.step;
    result.ms = last.at - warm.at;
    result.imagesPerSec = (result.steps * BATCH * 1000) / result.ms;
  }
  worker.terminate();
  return result;
}

void main().then(
  (r) => (window.__trainBench = r),
  (e: unknown) =>
    (window.__trainBench = { backend: 'cpu', started: null, imagesPerSec: null, steps: 0, ms: 0, firstStepMs: null, error: String(e), statuses: [] }),
);
