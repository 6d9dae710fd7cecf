/**
 * Tells a dead training worker from a busy one, and says so within seconds (issue 13: a worker
 * that closed mid-run used to leave the run "Training" forever). The worker speaks through
 * src/protocol/liveness.ts:
 *
 * - no `hello` yet and an `error` event: the script never loaded (offline, or a build problem); it
 *   fails at once instead of after a grace period;
 * - after `hello`, the worker's Web Lock: the browser grants it to the page the moment the worker
 *   closes, crashes or is terminated — a busy worker (a model build, a first WebGPU step of ~9 s
 *   under SwiftShader) still holds it, so no timeout has to guess how long work may take;
 * - where Web Locks are missing: an `error` followed by {@link ERROR_GRACE_MS} without a heartbeat
 *   *sent after the error* (beats carry the worker's clock, so messages still in flight from before
 *   the error cannot mask it).
 */
import { isLivenessSignal } from '../protocol/liveness';

/** After an uncaught error, how long a worker without Web Locks has to show it still beats. */
export const ERROR_GRACE_MS = 5000;

interface Lockable {
  request(name: string, options: { signal: AbortSignal }, callback: () => unknown): Promise<unknown>;
}

export interface WatchdogOptions {
  /** The Web Locks API (navigator.locks where it exists). */
  locks?: Lockable | undefined;
  errorGraceMs?: number;
  /** Wall clock, comparable with the worker's `Date.now()` in its beats. */
  now?: () => number;
}

/** What the watchdog needs of a Worker: its `message` and `error` events. */
export type WatchedWorker = Pick<Worker, 'addEventListener' | 'removeEventListener'>;

function defaultLocks(): Lockable | undefined {
  return typeof navigator !== 'undefined' && navigator.locks ? (navigator.locks as unknown as Lockable) : undefined;
}

export class WorkerWatchdog {
  private loaded = false;
  private lastError: { at: number; text: string } | undefined;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly abort = new AbortController();
  private over = false;
  /** Whether the worker's lock is being watched (then death needs no timer). */
  private watchingLock = false;
  private readonly locks: Lockable | undefined;
  private readonly graceMs: number;
  private readonly now: () => number;

  /**
   * @param what the worker in messages, e.g. "training worker"
   * @param onDead called once, with a sentence for the user
   * @param onBeat called for every sign of life (hello and beats)
   */
  constructor(
    private readonly worker: WatchedWorker,
    private readonly what: string,
    private readonly onDead: (message: string) => void,
    private readonly onBeat: () => void = () => undefined,
    options: WatchdogOptions = {},
  ) {
    this.locks = 'locks' in options ? options.locks : defaultLocks();
    this.graceMs = options.errorGraceMs ?? ERROR_GRACE_MS;
    this.now = options.now ?? Date.now;
    worker.addEventListener('message', this.onMessage);
    worker.addEventListener('error', this.onError);
  }

  /** Whether the worker's script has loaded and said hello. */
  get started(): boolean {
    return this.loaded;
  }

  private readonly onMessage = (e: MessageEvent): void => {
    const signal: unknown = e.data;
    if (!isLivenessSignal(signal) || this.over) return;
    if (signal.tensorloomWorker === 'hello') {
      this.loaded = true;
      if (signal.lock && this.locks) {
        // Granted only once the worker has let go of it, i.e. when the worker is gone.
        this.watchingLock = true;
        this.locks.request(signal.lock, { signal: this.abort.signal }, () => this.die(this.deathText())).catch(() => undefined);
      }
    } else if (this.lastError && signal.at > this.lastError.at) {
      this.clearTimer();
      this.lastError = undefined;
    }
    this.onBeat();
  };

  private readonly onError = (e: Event): void => {
    if (this.over) return;
    if (!this.loaded) {
      // A worker whose modules failed to load fires a bare `error` (no message) and never runs.
      const detail = (e as Partial<ErrorEvent>).message ? `: ${workerErrorText(e as ErrorEvent)}` : '';
      this.die(detail ? `the ${this.what} failed to start${detail}` : `could not load the ${this.what} — are you offline?`);
      return;
    }
    this.lastError = { at: this.now(), text: workerErrorText(e as ErrorEvent) };
    if (this.timer === null && !this.watchingLock) {
      this.timer = setTimeout(() => this.die(this.deathText()), this.graceMs);
    }
  };

  private deathText(): string {
    return this.lastError
      ? `the ${this.what} stopped after an error: ${this.lastError.text}`
      : `the ${this.what} stopped unexpectedly (it closed or crashed)`;
  }

  private die(message: string): void {
    if (this.over) return;
    this.dispose();
    this.onDead(message);
  }

  private clearTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Stops watching (the page ends the worker itself); a lock granted afterwards means nothing. */
  dispose(): void {
    this.over = true;
    this.clearTimer();
    this.abort.abort();
    this.worker.removeEventListener('message', this.onMessage);
    this.worker.removeEventListener('error', this.onError);
  }
}

/** Readable text for a Worker `error` event (its message, or where it came from). */
export function workerErrorText(e: ErrorEvent): string {
  const where = e.filename ? ` (${e.filename.split('/').pop()}:${e.lineno})` : '';
  return `${e.message || 'an uncaught error'}${where}`;
}
