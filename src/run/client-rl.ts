/**
 * The page's client for the RL (DQN) training worker (workers/rl.worker.ts): spawns it, picks the
 * backend through `init` (continuing from a checkpoint when resuming), streams progress and world
 * snapshots into the panel's events, and plays evaluation episodes for the driving view.
 */
import * as Comlink from 'comlink';
import type { ReinforcementPlan } from '../graph/plan';
import type { RlEvent, TrainerCheckpoint } from '../../workers/rl-protocol';
import type { RlWorkerApi } from '../../workers/rl.worker';
import type { WorldSnapshot } from '../rl/highway/env';
import { RlEventAdapter } from './client-rl-events';
import { WorkerWatchdog, workerErrorText } from './client-watchdog';
import { BACKEND_START_TIMEOUT_MS, type ClientEvent, type ExportedModel, type PolicyScore, type RunClient, type StartOptions } from './client-types';

/** Checkpoint cadence: a reload loses at most this many environment steps of training. */
export const RL_CHECKPOINT_EVERY_STEPS = 2000;

export const RL_RESUME_SUPPORTED = true;

export class RlClient implements RunClient {
  private readonly worker: Worker;
  private readonly api: Comlink.Remote<RlWorkerApi>;
  private readonly adapter = new RlEventAdapter();
  private ended = false;
  private readonly watchdog = new WorkerWatchdog((message) => this.emit({ type: 'failed', message, retryable: true }));

  constructor(
    readonly plan: ReinforcementPlan,
    private readonly onEvent: (e: ClientEvent) => void,
  ) {
    this.worker = new Worker(new URL('../../workers/rl.worker.ts', import.meta.url), { type: 'module', name: 'tensorloom-rl' });
    this.api = Comlink.wrap<RlWorkerApi>(this.worker);
    this.worker.addEventListener('error', (e) => {
      this.onEvent({ type: 'status', text: `worker error: ${workerErrorText(e)}` });
      this.watchdog.error(`the RL worker stopped after an uncaught error: ${workerErrorText(e)}`);
    });
  }

  private emit(e: ClientEvent): void {
    this.watchdog.alive();
    // After the run ends only world frames (watched episodes) still pass.
    if (this.ended && e.type !== 'world') return;
    if (e.type === 'done' || e.type === 'failed') this.ended = true;
    this.onEvent(e);
  }

  async start(options: StartOptions): Promise<void> {
    const onWorkerEvent = (e: RlEvent) => {
      for (const out of this.adapter.adapt(e)) this.emit(out);
    };
    const resumeFrom = options.checkpoint?.payload as TrainerCheckpoint | undefined;
    try {
      await this.api.init(
        this.plan,
        {
          backendPreference: [...options.backends],
          backendTimeoutMs: BACKEND_START_TIMEOUT_MS,
          checkpointEverySteps: RL_CHECKPOINT_EVERY_STEPS,
          ...(resumeFrom ? { resumeFrom } : {}),
        },
        Comlink.proxy(onWorkerEvent),
      );
    } catch (e) {
      // The rejection carries every backend's reason; the worker's own `failed` event may come later.
      const last = options.backends[options.backends.length - 1];
      this.emit({ type: 'failed', message: e instanceof Error ? e.message : String(e), retryable: true, ...(last ? { backend: last } : {}) });
      return;
    }
    const outcome = await this.api.start();
    if (outcome === 'failed' && !this.ended) this.emit({ type: 'failed', message: 'training failed without a reason', retryable: true });
  }

  async pause(): Promise<void> {
    await this.api.pause();
  }

  async resume(): Promise<void> {
    await this.api.resume();
  }

  async stop(): Promise<void> {
    await this.api.stop();
  }

  async watch(driver: PolicyScore['policy'], seed: number): Promise<void> {
    const label = driver === 'agent' ? 'DQN agent' : driver === 'idm' ? 'IDM + MOBIL' : 'random';
    const onFrame = (snapshot: WorldSnapshot) => this.emit({ type: 'world', snapshot, caption: `evaluation · ${label} · seed ${seed}` });
    await this.api.watch(driver, seed, Comlink.proxy(onFrame), true);
  }

  stopWatch(): void {
    void this.api.stopWatch();
  }

  /** The DQN's Q-network is exported from its checkpoint (see the session), not by the worker. */
  async exportModel(): Promise<ExportedModel | undefined> {
    return undefined;
  }

  dispose(): void {
    this.ended = true;
    this.watchdog.dispose();
    this.api[Comlink.releaseProxy]();
    this.worker.terminate();
  }
}
