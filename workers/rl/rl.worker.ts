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
 * Events (src/protocol/events.ts) arrive in this order: `backend`; `status` (`building`,
 * `training`); `progress` about 15 times a second, each with a world snapshot for the driving
 * view; `episode` whenever one ends; `paused` / `resumed`; `checkpoint` at the end (or on stop);
 * with an Evaluator, `status` lines (stage `evaluating`, one per episode played) and one
 * `evaluation` comparing the agent with the IDM+MOBIL and random drivers on held-out seeds; then
 * `done` or `failed`. Backend start, pause / stop and failures are the shared run loop's
 * (workers/backend/run-loop.ts).
 */
import * as Comlink from 'comlink';
import { DEFAULT_BACKEND_PREFERENCE } from '../../src/graph/plan';
import { rlBackendTries } from '../backend/backend-tf';
import { announceLife } from '../backend/liveness';
import { runControls, startBackend } from '../backend/run-loop';
import { RlRun } from './rl-run';
import type { RlInitOptions, RlWorkerApi } from '../../src/protocol/rl';

export type { RlInitOptions, RlWorkerApi };

/** The run of the last `init`; it outlives its training for exports and watched episodes. */
let run: RlRun | undefined;
let running = false;

function requireRun(): RlRun {
  if (!run) throw new Error('call init() and wait for it first');
  return run;
}

const api: RlWorkerApi = {
  async init(plan, options, onEvent) {
    if (running) throw new Error('a run is in progress in this worker');
    const preference = options.backendPreference ?? plan.backendPreference ?? DEFAULT_BACKEND_PREFERENCE;
    const choice = await startBackend(preference, rlBackendTries, options.backendTimeoutMs ?? 20_000, onEvent);
    run?.dispose();
    run = new RlRun(plan, {
      backend: choice.backend,
      emit: onEvent,
      ...(options.resumeFrom ? { resumeFrom: options.resumeFrom } : {}),
      ...(options.checkpointEverySteps ? { checkpointEverySteps: options.checkpointEverySteps } : {}),
    });
    return choice;
  },
  async start() {
    const r = requireRun();
    if (running) throw new Error('a run is already in progress in this worker');
    running = true;
    try {
      return await r.run();
    } finally {
      running = false;
    }
  },
  ...runControls(() => run),
  checkpoint(includeReplay = true) {
    return requireRun().checkpoint(includeReplay);
  },
  watch(driver, seed, onFrame, realTime = true) {
    return requireRun().watch(driver, seed, onFrame, realTime);
  },
  stopWatch() {
    run?.stopWatch();
  },
};

Comlink.expose(api);
announceLife();
