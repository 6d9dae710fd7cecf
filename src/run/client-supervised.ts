/**
 * The page's client for the supervised training worker (workers/train.worker.ts): spawns it,
 * chooses the backend through `init`, hands over the images (transferred, not copied), and turns
 * the worker's events into the panel's (client-types.ts).
 */
import * as Comlink from 'comlink';
import type { SupervisedPlan } from '../graph/plan';
import type { TrainEvent } from '../../workers/train-protocol';
import type { TrainWorkerApi } from '../../workers/train.worker';
import type { Checkpoint } from '../../workers/checkpoint';
import { SupervisedEventAdapter } from './client-supervised-events';
import { WorkerWatchdog, workerErrorText } from './client-watchdog';
import { BACKEND_START_TIMEOUT_MS, type ClientEvent, type ExportedModel, type RunClient, type StartOptions } from './client-types';

/** The training worker's `init` takes a checkpoint (`resumeFrom`), so interrupted runs can continue. */
export const SUPERVISED_RESUME_SUPPORTED = true;

export class SupervisedClient implements RunClient {
  private readonly worker: Worker;
  private readonly api: Comlink.Remote<TrainWorkerApi>;
  private readonly adapter = new SupervisedEventAdapter();
  private ended = false;
  private readonly watchdog = new WorkerWatchdog((message) => this.emit({ type: 'failed', message, retryable: true }));

  constructor(
    private readonly plan: SupervisedPlan,
    private readonly onEvent: (e: ClientEvent) => void,
  ) {
    this.worker = new Worker(new URL('../../workers/train.worker.ts', import.meta.url), { type: 'module', name: 'tensorloom-train' });
    this.api = Comlink.wrap<TrainWorkerApi>(this.worker);
    // A worker that dies sends no event: after an uncaught error, silence means it is gone.
    this.worker.addEventListener('error', (e) => {
      this.onEvent({ type: 'status', text: `worker error: ${workerErrorText(e)}` });
      this.watchdog.error(`the training worker stopped after an uncaught error: ${workerErrorText(e)}`);
    });
  }

  private emit(e: ClientEvent): void {
    this.watchdog.alive();
    if (this.ended) return;
    if (e.type === 'done' || e.type === 'failed') this.ended = true;
    this.onEvent(e);
  }

  private fail(message: string): void {
    this.emit({ type: 'failed', message, retryable: true });
  }

  private initFailed(e: unknown, options: StartOptions): void {
    const last = options.backends[options.backends.length - 1];
    this.emit({ type: 'failed', message: e instanceof Error ? e.message : String(e), retryable: true, ...(last ? { backend: last } : {}) });
  }

  async start(options: StartOptions): Promise<void> {
    const onWorkerEvent = (e: TrainEvent) => {
      for (const out of this.adapter.adapt(e)) this.emit(out);
    };
    try {
      const resumeFrom = options.checkpoint?.payload as Checkpoint | undefined;
      await this.api.init(
        this.plan,
        { backendPreference: [...options.backends], backendTimeoutMs: BACKEND_START_TIMEOUT_MS, ...(resumeFrom ? { resumeFrom } : {}) },
        Comlink.proxy(onWorkerEvent),
      );
    } catch (e) {
      // The rejection carries every backend's reason; the worker's own `failed` event may come later.
      this.initFailed(e, options);
      return;
    }
    if (options.data) {
      const { train, test } = options.data;
      const buffers = [train.images.buffer, train.labels.buffer, ...(test ? [test.images.buffer, test.labels.buffer] : [])] as ArrayBuffer[];
      await this.api.setData(Comlink.transfer({ train, ...(test ? { test } : {}) }, buffers));
    }
    const outcome = await this.api.start();
    if (outcome === 'failed' && !this.ended) this.fail('training failed without a reason');
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

  /** Supervised models are exported from their checkpoints (see the session), not the worker. */
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
