/**
 * What both training workers' runs share: starting the backend, pause / resume / stop at step
 * boundaries, training time with pauses left out, yielding so the page's messages get through,
 * and turning an error into a `failed` event. Each run (supervised, DQN) keeps only its own loop.
 * Free of Comlink and TF.js, so Node tests drive runs directly.
 */
import type { Backend } from '../../src/graph/plan';
import type { BackendChoice } from '../../src/protocol/backend';
import type { BackendReport, FailureKind, RunEvent, RunOutcome } from '../../src/protocol/events';
import { NoBackendError, selectBackend, type BackendTry } from './backend';
import { measureBackends, type StepTimer } from './backend-measure';

export type { RunOutcome };

/** The events every run sends, whatever else it sends. */
type LoopEvent = Extract<RunEvent, { type: 'status' | 'backend' | 'paused' | 'resumed' | 'failed' }>;

/** The backend that came up, and the reasons of those skipped before it. */
export function backendReport(choice: BackendChoice): BackendReport {
  return {
    used: choice.backend,
    skipped: choice.attempts.filter((a) => !a.ok).map((a) => ({ backend: a.backend, reason: a.reason ?? 'failed' })),
    ...(choice.timings ? { measured: choice.timings } : {}),
  };
}

/**
 * Starts the first backend of `preference` that passes its smoke test, telling the page about
 * each one skipped and then which one runs; given `timeStep` (the supervised `auto`), starts them
 * all and keeps the fastest at a real training step ({@link measureBackends}). When none can
 * train it sends `failed` (kind `backend`) and rethrows, so `init` rejects with every backend's reason.
 */
export async function startBackend(
  preference: readonly Backend[],
  tries: Partial<Record<Backend, BackendTry>>,
  timeoutMs: number,
  emit: (event: LoopEvent) => void,
  timeStep?: StepTimer,
): Promise<BackendChoice> {
  emit({ type: 'status', stage: 'backend', text: `starting ${preference[0] ?? 'a'} backend` });
  try {
    const options = {
      timeoutMs,
      onAttempt: (a: BackendChoice['attempts'][number]) => {
        if (!a.ok) emit({ type: 'status', stage: 'backend', text: `${a.backend} skipped: ${a.reason}` });
      },
      onTiming: (b: Backend) => emit({ type: 'status', stage: 'backend', text: `timing a training step on ${b}` }),
    };
    const choice = timeStep ? await measureBackends(preference, tries, timeStep, options) : await selectBackend(preference, tries, options);
    emit({ type: 'backend', report: backendReport(choice) });
    return choice;
  } catch (e) {
    emit({ type: 'failed', kind: 'backend', message: e instanceof NoBackendError ? e.message : String(e) });
    throw e;
  }
}

/** The pause / resume / stop a worker exposes, passed to its current run (none between runs). */
export function runControls(current: () => Pick<RunLoop<never>, 'pause' | 'resume' | 'stop'> | undefined): { pause(): void; resume(): void; stop(): void } {
  return {
    pause: () => current()?.pause(),
    resume: () => current()?.resume(),
    stop: () => current()?.stop(),
  };
}

/** Errors that name a kernel, a device or a backend: another backend may not have them. */
const BACKEND_TROUBLE = /kernel|backend|webgl|webgpu|wasm|gpu|shader|device|context lost|memory/i;

/** `backend` when the error looks like the backend's fault, else `unknown`; runs add their own kinds first. */
export function backendOrUnknown(e: unknown): FailureKind {
  return BACKEND_TROUBLE.test(e instanceof Error ? e.message : String(e)) ? 'backend' : 'unknown';
}

/** Lets queued messages (pause, stop) run; a MessageChannel in workers avoids setTimeout's 4 ms clamp. */
export function yieldToEvents(): Promise<void> {
  if (typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope !== 'undefined' && typeof MessageChannel !== 'undefined') {
    return new Promise((resolve) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        channel.port1.close();
        resolve();
      };
      channel.port2.postMessage(null);
    });
  }
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Bytes held in typed arrays inside a structured-clone payload (a checkpoint), for the history list. */
export function payloadBytes(value: unknown, depth = 0): number {
  if (ArrayBuffer.isView(value)) return value.byteLength;
  if (value instanceof ArrayBuffer) return value.byteLength;
  if (depth > 6 || typeof value !== 'object' || value === null) return 0;
  let n = 0;
  for (const v of Object.values(value)) n += payloadBytes(v, depth + 1);
  return n;
}

export interface RunLoopOptions {
  backend: Backend;
  now?: () => number;
  /** Longest stretch without yielding to the event loop, so pause and stop messages get through. */
  yieldIntervalMs?: number;
}

/**
 * One run from start to end. Subclasses implement `train` (their loop, calling `stepBoundary`
 * between steps and `maybeYield` after them) and may add failure kinds in `classify`; `run`
 * never throws: a failure arrives as one `failed` event.
 */
export abstract class RunLoop<E extends { type: string }> {
  private paused = false;
  private stopped = false;
  private wake: (() => void) | undefined;
  protected readonly now: () => number;
  private readonly yieldEvery: number;
  private lastYield = 0;
  /** Training time: `banked` holds finished stretches, `since` starts the current one (null while paused). */
  private banked = 0;
  private since: number | null = null;

  protected constructor(
    private readonly loopOptions: RunLoopOptions,
    protected readonly emit: (event: E | LoopEvent, transfer?: Transferable[]) => void,
    defaultYieldMs: number,
  ) {
    this.now = loopOptions.now ?? (() => performance.now());
    this.yieldEvery = loopOptions.yieldIntervalMs ?? defaultYieldMs;
  }

  get backend(): Backend {
    return this.loopOptions.backend;
  }

  /** Pauses before the next step; a `paused` event confirms. */
  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.wake?.();
  }

  /** Stops before the next step; the run then ends with a checkpoint and `done: stopped`. */
  stop(): void {
    this.stopped = true;
    this.wake?.();
  }

  protected get stopRequested(): boolean {
    return this.stopped;
  }

  /** Runs to the end; never throws, failures arrive as a `failed` event. */
  async run(): Promise<RunOutcome> {
    this.banked = 0;
    this.since = this.lastYield = this.now();
    try {
      return await this.train();
    } catch (e) {
      this.emit({ type: 'failed', kind: this.classify(e), message: e instanceof Error ? e.message : String(e), backend: this.loopOptions.backend });
      return 'failed';
    } finally {
      this.cleanup();
    }
  }

  protected abstract train(): Promise<'completed' | 'stopped'>;

  /** What kind of failure `e` is; runs recognise their own errors, then ask {@link backendOrUnknown}. */
  protected classify(e: unknown): FailureKind {
    return backendOrUnknown(e);
  }

  /** Frees what the run holds, however it ended. */
  protected cleanup(): void {}

  /** Training time so far in ms, pauses excluded. */
  protected activeMs(): number {
    return this.banked + (this.since === null ? 0 : this.now() - this.since);
  }

  /**
   * Call between steps: when a pause was asked it runs `hooks.beforePause`, confirms with `paused`,
   * waits until resumed (confirmed with `resumed`, then `hooks.afterResume`) or stopped. True when
   * the run should stop now.
   */
  protected async stepBoundary(step: number, hooks: { beforePause?: () => void; afterResume?: () => void } = {}): Promise<boolean> {
    if (this.paused && !this.stopped) {
      hooks.beforePause?.();
      this.banked = this.activeMs();
      this.since = null;
      this.emit({ type: 'paused', step });
      while (this.paused && !this.stopped) await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
      this.since = this.now();
      if (!this.stopped) {
        this.emit({ type: 'resumed', step });
        hooks.afterResume?.();
      }
    }
    return this.stopped;
  }

  /** Yields to the event loop when the last yield is `yieldIntervalMs` ago. */
  protected async maybeYield(): Promise<void> {
    if (this.now() - this.lastYield < this.yieldEvery) return;
    await yieldToEvents();
    this.lastYield = this.now();
  }
}
