/**
 * The supervised training worker, exposed with Comlink. Create it from the page with
 *
 * ```ts
 * const worker = new Worker(new URL('../../workers/supervised/train.worker.ts', import.meta.url), { type: 'module' });
 * const api = Comlink.wrap<TrainWorkerApi>(worker);
 * const { backend, attempts } = await api.init(plan, { backendPreference }, Comlink.proxy(onEvent));
 * await api.setData(Comlink.transfer(images, [images.train.images.buffer, images.train.labels.buffer]));
 * const outcome = await api.start(); // resolves when the run ends; events arrive meanwhile
 * ```
 *
 * Events (src/protocol/events.ts) arrive in this order: `backend`; `status` stages (`loading`,
 * `building`, `compiling` during the first WebGPU/WebGL step, `training`, `evaluating`); `step`
 * about 20 times a second or once per step when steps are slower; `epoch` after each epoch with
 * validation numbers; `checkpoint` after each epoch (its `weightData` buffer is transferred, not
 * copied); `paused` / `resumed`; one final `evaluation`; then `done` or `failed`. A run frees its
 * tensors when it ends; terminate the worker to release the backend itself. Backend start, pause /
 * stop and failures are the shared run loop's (workers/backend/run-loop.ts).
 */
import * as Comlink from 'comlink';
import { DEFAULT_BACKEND_PREFERENCE, type Backend, type SupervisedPlan } from '../../src/graph/plan';
import { browserBackendTries } from '../backend/backend-tf';
import { announceLife } from '../backend/liveness';
import { runControls, startBackend } from '../backend/run-loop';
import { copyCheckpoint } from './checkpoint';
import type { Checkpoint, SourceImages, TrainEvent } from '../../src/protocol/train';
import { SupervisedRun } from './supervised-run';
import { timeTrainingStep } from './step-timer';
import type { InitOptions, TrainWorkerApi } from '../../src/protocol/train';

export type { InitOptions, TrainWorkerApi };

let plan: SupervisedPlan | undefined;
let emit: ((event: TrainEvent, transfer?: Transferable[]) => void) | undefined;
let backend: Backend | undefined;
let images: SourceImages | undefined;
let run: SupervisedRun | undefined;
let resumeFrom: Checkpoint | undefined;
let initWeights: Checkpoint | undefined;
let latest: Checkpoint | undefined;

const api: TrainWorkerApi = {
  async init(p, options, onEvent) {
    plan = p;
    resumeFrom = options.resumeFrom;
    initWeights = options.initWeights;
    emit = (event, transfer) => {
      if (event.type === 'checkpoint') latest = copyCheckpoint(event.payload);
      onEvent(transfer ? Comlink.transfer(event, transfer) : event);
    };
    const preference = options.backendPreference ?? p.backendPreference ?? DEFAULT_BACKEND_PREFERENCE;
    // Several backends to choose from (auto): train on the one fastest at a step of this graph.
    const timer = preference.length > 1 ? () => timeTrainingStep(p) : undefined;
    const choice = await startBackend(preference, browserBackendTries, options.backendTimeoutMs ?? 60_000, onEvent, timer);
    backend = choice.backend;
    return choice;
  },
  setData(source) {
    images = source;
  },
  async start() {
    if (!plan || !emit || !backend) throw new Error('call init() and wait for it before start()');
    if (run) throw new Error('a run is already in progress in this worker');
    run = new SupervisedRun(plan, images, { backend, emit, ...(resumeFrom ? { resumeFrom } : {}), ...(initWeights ? { initWeights } : {}) });
    try {
      return await run.run();
    } finally {
      run = undefined;
    }
  },
  ...runControls(() => run),
  latestCheckpoint() {
    return latest;
  },
};

Comlink.expose(api);
announceLife();
