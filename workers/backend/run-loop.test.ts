import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src/protocol/events';
import { RunLoop, backendOrUnknown, payloadBytes, startBackend } from './run-loop';

/** A run of `steps` steps that reads a fake clock (each step takes 10 ms) and can be told to fail. */
class CountingRun extends RunLoop<RunEvent> {
  readonly events: RunEvent[] = [];
  step = 0;
  constructor(
    private readonly steps: number,
    private readonly onStep: (run: CountingRun) => void = () => {},
    private readonly failAt = -1,
  ) {
    let t = 0;
    const events: RunEvent[] = [];
    super({ backend: 'wasm', now: () => t, yieldIntervalMs: 0 }, (e) => events.push(e), 16);
    this.events = events;
    this.advance = (ms) => (t += ms);
  }
  /** Moves the fake clock on. */
  readonly advance: (ms: number) => void;
  elapsed(): number {
    return this.activeMs();
  }
  protected async train(): Promise<'completed' | 'stopped'> {
    while (this.step < this.steps) {
      if (await this.stepBoundary(this.step)) return 'stopped';
      if (this.step === this.failAt) throw new Error('WebGPU device was lost');
      this.advance(10);
      this.step++;
      this.onStep(this);
      await this.maybeYield();
    }
    return 'completed';
  }
}

/** Lets the run go on until it has sent `n` events (it yields between steps). */
async function untilEvents(run: CountingRun, n: number): Promise<void> {
  for (let i = 0; i < 1000 && run.events.length < n; i++) await new Promise((r) => setTimeout(r, 1));
}

describe('RunLoop', () => {
  it('pauses and resumes at a step boundary, leaving the pause out of the training time', async () => {
    let resumeLater: (() => void) | undefined;
    const run = new CountingRun(5, (r) => {
      if (r.step === 2) {
        r.pause();
        resumeLater = () => {
          r.advance(1000);
          r.resume();
        };
      }
    });
    const outcome = run.run();
    await untilEvents(run, 1);
    // Paused: the run takes no step until resumed.
    await new Promise((r) => setTimeout(r, 20));
    expect(run.events.map((e) => e.type)).toEqual(['paused']);
    expect(run.step).toBe(2);
    resumeLater!();
    expect(await outcome).toBe('completed');
    expect(run.events).toEqual([
      { type: 'paused', step: 2 },
      { type: 'resumed', step: 2 },
    ]);
    // 5 steps of 10 ms; the second spent paused is not counted.
    expect(run.elapsed()).toBe(50);
  });

  it('stops at the next boundary, also while paused, without a resumed event', async () => {
    const stopped = new CountingRun(10, (r) => r.step === 3 && r.stop());
    expect(await stopped.run()).toBe('stopped');
    expect(stopped.step).toBe(3);

    const pausedThenStopped = new CountingRun(10, (r) => r.step === 1 && r.pause());
    const outcome = pausedThenStopped.run();
    await untilEvents(pausedThenStopped, 1);
    pausedThenStopped.stop();
    expect(await outcome).toBe('stopped');
    expect(pausedThenStopped.events.map((e) => e.type)).toEqual(['paused']);
  });

  it('never throws: a failure is one failed event with its kind and the backend', async () => {
    const run = new CountingRun(5, undefined, 2);
    expect(await run.run()).toBe('failed');
    expect(run.events).toEqual([{ type: 'failed', kind: 'backend', message: 'WebGPU device was lost', backend: 'wasm' }]);
    expect(backendOrUnknown(new Error('shape mismatch in layer 3'))).toBe('unknown');
    expect(backendOrUnknown('WebGL context lost')).toBe('backend');
  });
});

describe('startBackend', () => {
  it('reports each skipped backend, then the one that runs', async () => {
    const events: RunEvent[] = [];
    const choice = await startBackend(
      ['webgpu', 'wasm'],
      { webgpu: async () => Promise.reject(new Error('no adapter')), wasm: async () => {} },
      1000,
      (e) => events.push(e),
    );
    expect(choice.backend).toBe('wasm');
    expect(events).toEqual([
      { type: 'status', stage: 'backend', text: 'starting webgpu backend' },
      { type: 'status', stage: 'backend', text: 'webgpu skipped: no adapter' },
      { type: 'backend', report: { used: 'wasm', skipped: [{ backend: 'webgpu', reason: 'no adapter' }] } },
    ]);
  });

  it('fails with kind backend and rejects when none can train', async () => {
    const events: RunEvent[] = [];
    await expect(startBackend(['webgl'], {}, 1000, (e) => events.push(e))).rejects.toThrow(/no backend could train: webgl: not supported/);
    expect(events.at(-1)).toMatchObject({ type: 'failed', kind: 'backend', message: expect.stringMatching(/webgl: not supported/) });
  });
});

describe('payloadBytes', () => {
  it('sizes a checkpoint by its typed arrays and buffers, at any depth', () => {
    expect(payloadBytes({ a: new Float32Array(10), b: [{ c: new Int32Array(3) }], d: 'text', e: new ArrayBuffer(8) })).toBe(60);
  });
});
