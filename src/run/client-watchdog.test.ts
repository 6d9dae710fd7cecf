import { afterEach, describe, expect, it, vi } from 'vitest';
import { ERROR_GRACE_MS, WorkerWatchdog } from './client-watchdog';

/** A Web Locks stand-in: the worker holds each lock until the test lets it go. */
class FakeLocks {
  private readonly waiting = new Map<string, () => unknown>();
  request(name: string, options: { signal: AbortSignal }, callback: () => unknown): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.waiting.set(name, () => resolve(callback()));
      options.signal.addEventListener('abort', () => {
        this.waiting.delete(name);
        reject(new Error('AbortError'));
      });
    });
  }
  /** The worker holding `name` ends: its lock passes to the page. */
  workerEnds(name: string): void {
    this.waiting.get(name)?.();
    this.waiting.delete(name);
  }
}

function setup(options: { locks?: FakeLocks } = {}) {
  const worker = new EventTarget();
  const dead: string[] = [];
  let beats = 0;
  let wall = 1_000_000;
  const watchdog = new WorkerWatchdog(worker as unknown as Worker, 'training worker', (m) => dead.push(m), () => beats++, {
    locks: options.locks,
    now: () => wall,
  });
  const message = (data: unknown) => worker.dispatchEvent(Object.assign(new Event('message'), { data }));
  const error = (text?: string) => worker.dispatchEvent(Object.assign(new Event('error'), text ? { message: text, filename: 'http://x/train.worker.ts', lineno: 7 } : {}));
  return { watchdog, dead, message, error, beats: () => beats, advanceWall: (ms: number) => (wall += ms), wall: () => wall };
}

afterEach(() => vi.useRealTimers());

describe('WorkerWatchdog', () => {
  it('says at once that a worker script which never loaded could not be loaded', () => {
    const { dead, error } = setup({ locks: new FakeLocks() });
    error();
    expect(dead).toEqual(['could not load the training worker — are you offline?']);
  });

  it('takes a released lock as death at once, however long a busy worker was silent before', () => {
    vi.useFakeTimers();
    const locks = new FakeLocks();
    const { dead, message, beats } = setup({ locks });
    message({ tensorloomWorker: 'hello', lock: 'L1' });
    expect(beats()).toBe(1);
    // A model build or a first WebGPU step: minutes without a word, yet alive.
    vi.advanceTimersByTime(180_000);
    expect(dead).toEqual([]);
    locks.workerEnds('L1');
    expect(dead).toEqual(['the training worker stopped unexpectedly (it closed or crashed)']);
  });

  it('names the error a worker threw before it closed', async () => {
    const locks = new FakeLocks();
    const { dead, message, error } = setup({ locks });
    message({ tensorloomWorker: 'hello', lock: 'L2' });
    error('fault injected');
    expect(dead).toEqual([]);
    locks.workerEnds('L2');
    expect(dead).toEqual(['the training worker stopped after an error: fault injected (train.worker.ts:7)']);
  });

  it('without Web Locks: an error then ERROR_GRACE_MS (5 s) without a beat sent after it is death; earlier beats in flight do not mask it', () => {
    vi.useFakeTimers();
    const { dead, message, error, advanceWall, wall } = setup();
    message({ tensorloomWorker: 'hello' });
    const before = wall();
    advanceWall(10);
    error('boom');
    // Beats posted before the error, delivered after it.
    for (let i = 0; i < 4; i++) {
      vi.advanceTimersByTime(1000);
      message({ tensorloomWorker: 'beat', at: before });
    }
    expect(dead).toEqual([]);
    vi.advanceTimersByTime(ERROR_GRACE_MS - 4000);
    expect(dead).toEqual(['the training worker stopped after an error: boom (train.worker.ts:7)']);
  });

  it('without Web Locks: a beat sent after the error shows the worker lived through it', () => {
    vi.useFakeTimers();
    const { dead, message, error, advanceWall, wall } = setup();
    message({ tensorloomWorker: 'hello' });
    error('a nested worker failed');
    advanceWall(1000);
    vi.advanceTimersByTime(1000);
    message({ tensorloomWorker: 'beat', at: wall() });
    vi.advanceTimersByTime(60_000);
    expect(dead).toEqual([]);
  });

  it('ignores the lock once the page has ended the worker itself', () => {
    const locks = new FakeLocks();
    const { watchdog, dead, message } = setup({ locks });
    message({ tensorloomWorker: 'hello', lock: 'L3' });
    watchdog.dispose();
    locks.workerEnds('L3');
    expect(dead).toEqual([]);
  });
});
