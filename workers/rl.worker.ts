/**
 * The RL (DQN) training worker, exposed with Comlink. Create it from the page with
 *
 * ```ts
 * const worker = new Worker(new URL('../../workers/rl.worker.ts', import.meta.url), { type: 'module' });
 * const api = Comlink.wrap<RlWorkerApi>(worker);
 * await api.init(plan, { backendPreference }, Comlink.proxy(onEvent));
 * const outcome = await api.start(); // resolves when the run ends; events arrive meanwhile
 * ```
 *
 * Events (rl-protocol.ts) arrive in this order: `backend`; `status` (`building`, `training`);
 * `progress` about 15 times a second, each with a world snapshot for the driving view; `episode`
 * whenever one ends; `paused` / `resumed`; `checkpoint` at the end (or on stop); with an Evaluator,
 * `status: evaluating`, `evaluation-progress` and one `evaluation` comparing the agent with the
 * IDM+MOBIL and random drivers on held-out seeds; then `done` or `failed`.
 */
import * as Comlink from 'comlink';
import { DEFAULT_BACKEND_PREFERENCE, type Backend, type ReinforcementPlan } from '../src/graph/plan';
import type { WorldSnapshot } from '../src/rl/highway/env';
import { NoBackendError, selectBackend, type BackendChoice } from './backend';
import { rlBackendTries } from './backend-tf';
import type { DriverKind, DrivingReport, RlEvent, TrainerCheckpoint } from './rl-protocol';
import { announceLife } from './liveness';
import { RlSession, type EvaluationSettings, type RlOutcome } from './rl-session';

export interface RlInitOptions {
  /**
   * Backends to try in order; the plan's preference when omitted. A DQN steps one observation at a
   * time and reads Q-values back every step, so wasm usually beats the GPU backends here.
   */
  backendPreference?: readonly Backend[];
  /** Give up on a backend that takes longer than this to start (ms, default 20 s). */
  backendTimeoutMs?: number;
  /** Continue a run from a checkpoint event's payload. */
  resumeFrom?: TrainerCheckpoint;
  /** Also emit a checkpoint every this many steps (default: only at the end and on stop). */
  checkpointEverySteps?: number;
}

/** The worker's API as seen through `Comlink.wrap`; every method returns a Promise there. */
export interface RlWorkerApi {
  /** Chooses a backend and keeps the plan and the event callback; rejects when no backend works. */
  init(plan: ReinforcementPlan, options: RlInitOptions, onEvent: (event: RlEvent) => void): Promise<BackendChoice>;
  /** Trains, then evaluates when the plan has an Evaluator; resolves with how the run ended. */
  start(): Promise<RlOutcome>;
  pause(): void;
  resume(): void;
  /** Stops at the next step boundary; a checkpoint and `done: stopped` follow. */
  stop(): void;
  /** A checkpoint of the run now, replay buffer included unless `includeReplay` is false. */
  checkpoint(includeReplay?: boolean): Promise<TrainerCheckpoint>;
  /** Evaluates the current agent and baselines; the plan's Evaluator settings unless given. */
  evaluate(settings?: Partial<EvaluationSettings>): Promise<DrivingReport>;
  /** Plays one episode for the driving view, a snapshot per simulation substep, paced in real time. */
  watch(driver: DriverKind, seed: number, onFrame: (frame: WorldSnapshot) => void, realTime?: boolean): Promise<{ return: number; crashed: boolean; meanSpeed: number }>;
  /** Ends a `watch` in progress. */
  stopWatch(): void;
}

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
  evaluate(settings = {}) {
    const s = requireSession();
    const base = s.settings.evaluation ?? { episodes: 50, heldOutSeed: 1_000_000, baselines: ['idm', 'random'] };
    return s.evaluate({ ...base, ...settings });
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
