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
 * Events (see src/protocol/train.ts) arrive in this order: `backend`; `status` phases (`loading`,
 * `building`, `compiling` during the first WebGPU/WebGL step, `training`, `evaluating`); `step`
 * about 20 times a second or once per step when steps are slower; `epoch` after each epoch with
 * validation numbers; `checkpoint` after each epoch (its `weightData` buffer is transferred, not
 * copied); `paused` / `resumed`; one final `evaluation`; then `done` or `failed`. A run frees its
 * tensors when it ends; terminate the worker to release the backend itself.
 */
import * as Comlink from 'comlink';
import { DEFAULT_BACKEND_PREFERENCE, type Backend, type SupervisedPlan } from '../../src/graph/plan';
import { NoBackendError, selectBackend } from '../backend/backend';
import { browserBackendTries } from '../backend/backend-tf';
import { copyCheckpoint } from './checkpoint';
import type { Checkpoint, SourceImages, TrainEvent } from '../../src/protocol/train';
import { announceLife } from '../backend/liveness';
import { TrainingSession } from './train-session';
import type { InitOptions, TrainWorkerApi } from '../../src/protocol/train';

export type { InitOptions, TrainWorkerApi };

let plan: SupervisedPlan | undefined;
let emit: ((event: TrainEvent, transfer?: Transferable[]) => void) | undefined;
let backend: Backend | undefined;
let images: SourceImages | undefined;
let session: TrainingSession | undefined;
let resumeFrom: Checkpoint | undefined;
let latest: Checkpoint | undefined;

const api: TrainWorkerApi = {
  async init(p, options, onEvent) {
    plan = p;
    resumeFrom = options.resumeFrom;
    emit = (event, transfer) => {
      if (event.type === 'checkpoint') latest = copyCheckpoint(event.checkpoint);
      onEvent(transfer ? Comlink.transfer(event, transfer) : event);
    };
    const preference = options.backendPreference ?? p.backendPreference ?? DEFAULT_BACKEND_PREFERENCE;
    onEvent({ type: 'status', phase: 'backend', text: `starting ${preference[0] ?? 'a'} backend` });
    try {
      const choice = await selectBackend(preference, browserBackendTries, {
        timeoutMs: options.backendTimeoutMs ?? 60_000,
        onAttempt: (a) => {
          if (!a.ok) onEvent({ type: 'status', phase: 'backend', text: `${a.backend} skipped: ${a.reason}` });
        },
      });
      backend = choice.backend;
      onEvent({ type: 'backend', backend: choice.backend, attempts: choice.attempts });
      return choice;
    } catch (e) {
      const reason = e instanceof NoBackendError ? e.message : String(e);
      onEvent({ type: 'failed', kind: 'backend', reason });
      throw e;
    }
  },
  setData(source) {
    images = source;
  },
  async start() {
    if (!plan || !emit || !backend) throw new Error('call init() and wait for it before start()');
    if (session) throw new Error('a run is already in progress in this worker');
    session = new TrainingSession(plan, images, { backend, emit, ...(resumeFrom ? { resumeFrom } : {}) });
    try {
      return await session.run();
    } finally {
      session = undefined;
    }
  },
  pause() {
    session?.pause();
  },
  resume() {
    session?.resume();
  },
  stop() {
    session?.stop();
  },
  latestCheckpoint() {
    return latest;
  },
};

Comlink.expose(api);
announceLife();
