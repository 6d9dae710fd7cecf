/**
 * The page's client for the supervised training worker (workers/supervised/train.worker.ts): spawns it,
 * chooses the backend through `init`, hands over the images (transferred, not copied), and passes
 * the worker's events on as they are.
 */
import * as Comlink from 'comlink';
import type { SupervisedPlan } from '../graph/plan';
import type { TrainEvent, TrainWorkerApi } from '../protocol/train';
import type { Checkpoint } from '../protocol/checkpoint';
import { WorkerClient } from './client-worker';
import { BACKEND_START_TIMEOUT_MS, type RunEvent, type RunClient, type StartOptions } from './client-types';

export class SupervisedClient extends WorkerClient<TrainWorkerApi> implements RunClient {
  constructor(
    private readonly plan: SupervisedPlan,
    onEvent: (e: RunEvent) => void,
  ) {
    super(
      new Worker(new URL('../../workers/supervised/train.worker.ts', import.meta.url), { type: 'module', name: 'tensorloom-train' }),
      'training worker',
      onEvent,
    );
  }

  async start(options: StartOptions): Promise<void> {
    const onWorkerEvent = (e: TrainEvent) => this.emit(e);
    try {
      const resumeFrom = options.checkpoint?.payload as Checkpoint | undefined;
      const initWeights = options.initWeights as Checkpoint | undefined;
      await this.api.init(
        this.plan,
        {
          backendPreference: [...options.backends],
          backendTimeoutMs: BACKEND_START_TIMEOUT_MS,
          ...(resumeFrom ? { resumeFrom } : {}),
          ...(initWeights ? { initWeights } : {}),
        },
        Comlink.proxy(onWorkerEvent),
      );
    } catch (e) {
      this.initFailed(e, options);
      return;
    }
    if (options.data) {
      const { train, test } = options.data;
      const buffers = [train.images.buffer, train.labels.buffer, ...(test ? [test.images.buffer, test.labels.buffer] : [])] as ArrayBuffer[];
      await this.api.setData(Comlink.transfer({ train, ...(test ? { test } : {}) }, buffers));
    }
    await this.runToEnd();
  }

  /** A copy of the newest checkpoint (the final one once the run ended): a whole model, weights in memory. */
  protected workerCheckpoint(): Promise<unknown> {
    return this.api.latestCheckpoint();
  }
}
