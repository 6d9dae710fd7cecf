/**
 * What both training clients share: a Comlink-wrapped worker, a watchdog that notices a dead worker
 * (client-watchdog.ts), one gate that lets events through until the run ends, and the run controls
 * every worker exposes.
 */
import * as Comlink from 'comlink';
import type { FaultInjection } from '../protocol/liveness';
import { WorkerWatchdog } from './client-watchdog';
import type { RunEvent, StartOptions } from './client-types';

/** The controls both workers expose through Comlink. */
export interface ControlApi {
  start(): Promise<'completed' | 'stopped' | 'failed'>;
  pause(): Promise<void> | void;
  resume(): Promise<void> | void;
  stop(): Promise<void> | void;
}

export abstract class WorkerClient<Api extends ControlApi> {
  protected readonly api: Comlink.Remote<Api>;
  protected ended = false;
  /** The worker is gone (it died, or was ended): calls into it would never be answered. */
  protected gone = false;
  private disposed = false;
  private readonly watchdog: WorkerWatchdog;

  /**
   * @param worker created by the subclass (Vite bundles a worker only from a literal
   *   `new Worker(new URL(...))` at the call site)
   * @param what the worker's name in messages, e.g. "training worker"
   */
  protected constructor(
    private readonly worker: Worker,
    what: string,
    private readonly onEvent: (e: RunEvent) => void,
  ) {
    this.api = Comlink.wrap<Api>(worker);
    this.watchdog = new WorkerWatchdog(
      worker,
      what,
      (message) => {
        this.gone = true;
        this.emit({ type: 'failed', kind: 'worker-lost', message });
      },
      () => this.emit({ type: 'alive' }),
    );
  }

  /** Events that still pass after the run ended (RL: frames of watched episodes). */
  protected passesAfterEnd(_e: RunEvent): boolean {
    return false;
  }

  protected emit(e: RunEvent): void {
    if (this.ended && !this.passesAfterEnd(e)) return;
    if (e.type === 'done' || e.type === 'failed') this.ended = true;
    this.onEvent(e);
  }

  /** `init` rejected: its error carries every backend's reason; the worker's `failed` may come later. */
  protected initFailed(e: unknown, options: StartOptions): void {
    const last = options.backends[options.backends.length - 1];
    this.emit({ type: 'failed', kind: 'backend', message: e instanceof Error ? e.message : String(e), ...(last ? { backend: last } : {}) });
  }

  /** Runs the worker's loop to its end; a failure the worker did not explain still ends the run. */
  protected async runToEnd(): Promise<void> {
    const outcome = await this.api.start();
    if (outcome === 'failed' && !this.ended) this.emit({ type: 'failed', kind: 'unknown', message: 'training failed without a reason' });
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

  /** The newest checkpoint the worker holds, for export; subclasses ask their worker. */
  protected abstract workerCheckpoint(): Promise<unknown>;

  async latestCheckpoint(): Promise<unknown> {
    if (this.gone) return undefined;
    try {
      return await this.workerCheckpoint();
    } catch {
      return undefined;
    }
  }

  injectFault(fault: FaultInjection): void {
    this.worker.postMessage(fault);
  }

  /** Ends the worker; safe to call again. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.ended = true;
    this.gone = true;
    this.watchdog.dispose();
    this.api[Comlink.releaseProxy]();
    this.worker.terminate();
  }
}
