/**
 * The page's client for the RL (DQN) training worker (workers/rl/rl.worker.ts): spawns it, picks the
 * backend through `init` (continuing from a checkpoint when resuming), streams progress and world
 * snapshots into the panel's events, and plays evaluation episodes for the driving view.
 */
import * as Comlink from 'comlink';
import type { ReinforcementPlan } from '../graph/plan';
import { DRIVER_LABEL, type RlEvent, type RlWorkerApi, type TrainerCheckpoint } from '../protocol/rl';
import type { WorldSnapshot } from '../rl/highway/env';
import { WorkerClient } from './client-worker';
import { BACKEND_START_TIMEOUT_MS, type RunEvent, type PolicyScore, type RunClient, type StartOptions } from './client-types';

/** Checkpoint cadence: a reload loses at most this many environment steps of training. */
export const RL_CHECKPOINT_EVERY_STEPS = 2000;

export class RlClient extends WorkerClient<RlWorkerApi> implements RunClient {
  constructor(
    readonly plan: ReinforcementPlan,
    onEvent: (e: RunEvent) => void,
  ) {
    super(new Worker(new URL('../../workers/rl/rl.worker.ts', import.meta.url), { type: 'module', name: 'tensorloom-rl' }), 'RL worker', onEvent);
  }

  /** After the run ends, frames of watched evaluation episodes still pass. */
  protected override passesAfterEnd(e: RunEvent): boolean {
    return e.type === 'world';
  }

  async start(options: StartOptions): Promise<void> {
    const onWorkerEvent = (e: RlEvent) => this.emit(e);
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
      this.initFailed(e, options);
      return;
    }
    await this.runToEnd();
  }

  async watch(driver: PolicyScore['policy'], seed: number): Promise<void> {
    const onFrame = (snapshot: WorldSnapshot) => this.emit({ type: 'world', snapshot, caption: `evaluation · ${DRIVER_LABEL[driver]} · seed ${seed}` });
    await this.api.watch(driver, seed, Comlink.proxy(onFrame), true);
  }

  stopWatch(): void {
    void this.api.stopWatch();
  }

  /** The agent as it is now, without the replay buffer (export needs only the Q-network's weights). */
  protected workerCheckpoint(): Promise<unknown> {
    return this.api.checkpoint(false);
  }
}
