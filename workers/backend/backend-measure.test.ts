import { describe, expect, it } from 'vitest';
import type { Backend } from '../../src/graph/plan';
import type { BackendTry } from './backend';
import { NoBackendError } from './backend';
import { measureBackends } from './backend-measure';
import { backendReport } from './run-loop';

const ok: BackendTry = async () => {};
const fail = (why: string): BackendTry => async () => {
  throw new Error(why);
};

/** Stub backends: each try makes its backend "active"; the timer reports the active one's step time. */
function stubs(stepMs: Partial<Record<Backend, number>>, broken: Partial<Record<Backend, string>> = {}) {
  let active: Backend | undefined;
  const timed: Backend[] = [];
  const tries: Partial<Record<Backend, BackendTry>> = {};
  for (const b of ['webgpu', 'webgl', 'wasm', 'cpu'] as const) {
    tries[b] = broken[b] ? fail(broken[b]!) : async (c) => {
      await ok(c);
      active = b;
    };
  }
  const timer = async (b: Backend) => {
    expect(b).toBe(active); // timed on the backend just started
    timed.push(b);
    const t = stepMs[b];
    if (t === undefined) throw new Error(`${b}: kernel not registered`);
    return t;
  };
  return { tries, timer, timed, active: () => active };
}

describe('measureBackends', () => {
  it('trains on the faster of two backends, reports both step times, and leaves the faster active', async () => {
    const s = stubs({ webgl: 180, wasm: 95 }, { webgpu: 'navigator.gpu is missing' });
    const choice = await measureBackends(['webgpu', 'webgl', 'wasm', 'cpu'], s.tries, s.timer);
    expect(choice.backend).toBe('wasm');
    expect(choice.timings).toEqual([{ backend: 'wasm', stepMs: 95 }, { backend: 'webgl', stepMs: 180 }]);
    expect(s.timed).toEqual(['webgl', 'wasm']); // never cpu
    expect(s.active()).toBe('wasm');
    const report = backendReport(choice);
    expect(report).toEqual({
      used: 'wasm',
      skipped: [
        { backend: 'webgpu', reason: 'navigator.gpu is missing' },
        { backend: 'webgl', reason: 'slower: 180 ms a training step, wasm 95 ms' },
      ],
      measured: [{ backend: 'wasm', stepMs: 95 }, { backend: 'webgl', stepMs: 180 }],
    });
  });

  it('the faster one wins whatever the order, and a backend whose step fails is skipped with the reason', async () => {
    const s = stubs({ webgpu: 40, webgl: 60 });
    expect((await measureBackends(['wasm', 'webgl', 'webgpu'], s.tries, s.timer)).backend).toBe('webgpu');
    expect(s.active()).toBe('webgpu');
    const t = stubs({ webgl: 60 });
    const choice = await measureBackends(['webgpu', 'webgl', 'wasm'], t.tries, t.timer);
    expect(choice.backend).toBe('webgl');
    expect(choice.attempts.find((a) => a.backend === 'webgpu')?.reason).toContain('kernel not registered');
  });

  it('times nothing when only one backend starts, and falls back to cpu when every step fails', async () => {
    const s = stubs({ webgl: 60, wasm: 10 }, { webgpu: 'no adapter', webgl: 'no context' });
    const one = await measureBackends(['webgpu', 'webgl', 'wasm', 'cpu'], s.tries, s.timer);
    expect(one).toMatchObject({ backend: 'wasm' });
    expect(one.timings).toBeUndefined();
    expect(s.timed).toEqual([]);
    const t = stubs({ cpu: 1 });
    const none = await measureBackends(['webgl', 'wasm', 'cpu'], t.tries, t.timer);
    expect(none.backend).toBe('cpu');
    expect(none.attempts.map((a) => [a.backend, a.ok])).toEqual([['webgl', false], ['wasm', false], ['cpu', true]]);
    expect(t.active()).toBe('cpu');
  });

  it('times nothing when there is no choice: a backend picked by name, or one candidate and cpu', async () => {
    const s = stubs({ webgl: 60, wasm: 10 });
    expect(await measureBackends(['webgl'], s.tries, s.timer)).toMatchObject({ backend: 'webgl' });
    expect(await measureBackends(['wasm', 'cpu'], s.tries, s.timer)).toMatchObject({ backend: 'wasm' });
    expect(s.timed).toEqual([]);
  });

  it('falls back to cpu only when no other backend trains, and says why each failed', async () => {
    const s = stubs({ cpu: 1 }, { webgpu: 'no adapter', webgl: 'no context' });
    const choice = await measureBackends(['webgpu', 'webgl', 'cpu'], s.tries, s.timer);
    expect(choice.backend).toBe('cpu');
    expect(choice.timings).toBeUndefined();
    expect(choice.attempts.map((a) => [a.backend, a.ok])).toEqual([['webgpu', false], ['webgl', false], ['cpu', true]]);
    await expect(measureBackends(['webgpu', 'webgl'], s.tries, s.timer)).rejects.toBeInstanceOf(NoBackendError);
  });
});
