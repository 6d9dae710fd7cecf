/**
 * The RL (DQN) training worker, exposed with Comlink. Create it from the page with
 *
 * ```ts
 * const worker = new Worker(new URL('../../workers/rl/rl.worker.ts', import.meta.url), { type: 'module' });
 * const api = Comlink.wrap<RlWorkerApi>(worker);
 * await api.init(plan, { backendPreference }, Comlink.proxy(onEvent));
 * const outcome = await api.start(); // resolves when the run ends; events arrive meanwhile
 * ```
 *
 * Events (src/protocol/rl.ts) arrive in this order: `backend`; `status` (`building`, `training`);
 * `progress` about 15 times a second, each with a world snapshot for the driving view; `episode`
 * whenever one ends; `paused` / `resumed`; `checkpoint` at the end (or on stop); with an Evaluator,
 * `status: evaluating`, `evaluation-progress` and one `evaluation` comparing the agent with the
 * IDM+MOBIL and random drivers on held-out seeds; then `done` or `failed`.
 */
import * as Comlink from 'comlink';
import { DEFAULT_BACKEND_PREFERENCE } from '../../src/graph/plan';
import { NoBackendError, selectBackend } from '../backend/backend';
import { rlBackendTries } from '../backend/backend-tf';
import { announceLife } from '../backend/liveness';
import { RlSession } from './rl-session';
import type { RlInitOptions, RlWorkerApi } from '../../src/protocol/rl';

export type { RlInitOptions, RlWorkerApi };

let session: RlSession | undefined;
let running = false;

function requireSession(): RlSession {
  if (!session) throw new Error('call init() and wait for it first');
  return session;
}

const api: RlWorkerApi = {
  async init(plan, options, onEvent) {
    if (running) throw new Error('a run is in progress in this worker');
    const preference = options.backendPreference ?? plan.backendPreference ?? DEFAULT_BACKEND_PREFERENCE;
    onEvent({ type: 'status', phase: 'backend', text: `starting ${preference[0] ?? 'a'} backend` });
    try {
      const choice = await selectBackend(preference, rlBackendTries, {
        timeoutMs: options.backendTimeoutMs ?? 20_000,
        onAttempt: (a) => {
          if (!a.ok) onEvent({ type: 'status', phase: 'backend', text: `${a.backend} skipped: ${a.reason}` });
        },
      });
      onEvent({ type: 'backend', backend: choice.backend, attempts: choice.attempts });
      session?.dispose();
      session = new RlSession(plan, {
        backend: choice.backend,
        emit: onEvent,
        ...(options.resumeFrom ? { resumeFrom: options.resumeFrom } : {}),
        ...(options.checkpointEverySteps ? { checkpointEverySteps: options.checkpointEverySteps } : {}),
      });
      return choice;
    } catch (e) {
      const reason = e instanceof NoBackendError ? e.message : String(e);
      onEvent({ type: 'failed', kind: 'backend', reason });
      throw e;
    }
  },
  async start() {
    const s = requireSession();
    if (running) throw new Error('a run is already in progress in this worker');
    running = true;
    try {
      return await s.run();
    } finally {
      running = false;
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
  checkpoint(includeReplay = true) {
    return requireSession().checkpoint(includeReplay);
  },
  watch(driver, seed, onFrame, realTime = true) {
    return requireSession().watch(driver, seed, onFrame, realTime);
  },
  stopWatch() {
    session?.stopWatch();
  },
};

Comlink.expose(api);
announceLife();
