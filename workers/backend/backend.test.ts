import { describe, expect, it } from 'vitest';
import { NoBackendError, selectBackend, type BackendTry } from './backend';

const ok: BackendTry = async () => {};
const fail = (why: string): BackendTry => async () => {
  throw new Error(why);
};

describe('selectBackend', () => {
  it('falls through to the first backend that starts, saying why earlier ones were skipped', async () => {
    const tried: string[] = [];
    const seen: string[] = [];
    const track = (name: string, t: BackendTry): BackendTry => async (context) => {
      tried.push(name);
      await t(context);
    };
    const choice = await selectBackend(
      ['webgpu', 'webgl', 'wasm', 'cpu'],
      {
        webgpu: track('webgpu', fail('navigator.gpu is missing')),
        webgl: track('webgl', fail('OffscreenCanvas has no webgl2 context')),
        wasm: track('wasm', ok),
        cpu: track('cpu', ok),
      },
      { onAttempt: (a) => seen.push(`${a.backend}:${a.ok}`) },
    );
    expect(choice.backend).toBe('wasm');
    expect(tried).toEqual(['webgpu', 'webgl', 'wasm']);
    expect(seen).toEqual(['webgpu:false', 'webgl:false', 'wasm:true']);
    expect(choice.attempts.map((a) => [a.backend, a.ok, a.reason])).toEqual([
      ['webgpu', false, 'navigator.gpu is missing'],
      ['webgl', false, 'OffscreenCanvas has no webgl2 context'],
      ['wasm', true, undefined],
    ]);
  });

  it('honours the preference order and skips backends it has no way to start', async () => {
    const choice = await selectBackend(['cpu', 'webgpu'], { webgpu: ok, cpu: ok });
    expect(choice.backend).toBe('cpu');
    const missing = await selectBackend(['webgl', 'cpu', 'cpu'], { cpu: ok });
    expect(missing.attempts).toEqual([
      { backend: 'webgl', ok: false, reason: 'not supported in this build', ms: 0 },
      expect.objectContaining({ backend: 'cpu', ok: true }),
    ]);
  });

  it('tells each try whether another backend would follow it', async () => {
    const seen: boolean[] = [];
    const record: BackendTry = async ({ fallbackAvailable }) => {
      seen.push(fallbackAvailable);
      throw new Error('no');
    };
    await selectBackend(['webgpu', 'webgl', 'cpu'], { webgpu: record, webgl: record, cpu: ok });
    await selectBackend(['webgpu'], { webgpu: async (c) => void seen.push(c.fallbackAvailable) });
    expect(seen).toEqual([true, true, false]);
  });

  it('gives up on a backend that hangs', async () => {
    const hang: BackendTry = () => new Promise(() => {});
    const choice = await selectBackend(['webgpu', 'cpu'], { webgpu: hang, cpu: ok }, { timeoutMs: 20 });
    expect(choice.backend).toBe('cpu');
    expect(choice.attempts[0]!.reason).toBe('webgpu did not start within 0 s');
  });

  it('throws with every reason when nothing works', async () => {
    const err = await selectBackend(['webgl', 'cpu'], { webgl: fail('no context'), cpu: async () => Promise.reject('boom') }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(NoBackendError);
    expect((err as NoBackendError).attempts).toHaveLength(2);
    expect((err as Error).message).toBe('no backend could train: webgl: no context; cpu: boom');
    await expect(selectBackend([], {})).rejects.toThrow(/preference list is empty/);
  });
});
