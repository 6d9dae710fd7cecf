import { describe, expect, it } from 'vitest';
import { UpdateNotifier, updateBanner } from './update-prompt';

/** A notifier whose page reloads and skip-waiting messages are counted instead of performed. */
function notifier() {
  const calls = { reloads: 0, applied: 0 };
  const updates = new UpdateNotifier(() => calls.reloads++);
  const apply = async () => {
    calls.applied++;
  };
  return { updates, apply, calls };
}

describe('update prompt', () => {
  it('says nothing until a new version waits', () => {
    const { updates } = notifier();
    expect(updates.getState()).toBe('current');
    expect(updateBanner(updates.getState(), false)).toBeNull();
  });

  it('offers Reload for a waiting version and reloads once it has taken over', async () => {
    const { updates, apply, calls } = notifier();
    updates.waiting(apply);
    expect(updateBanner(updates.getState(), false)).toMatchObject({ canReload: true, text: expect.stringMatching(/new version .* ready/) });
    expect(await updates.reload(false)).toBe(true);
    expect(calls).toEqual({ reloads: 0, applied: 1 });
    updates.controlled();
    expect(calls.reloads).toBe(1);
  });

  it('never reloads or swaps versions while a run is active', async () => {
    const { updates, apply, calls } = notifier();
    updates.waiting(apply);
    const banner = updateBanner(updates.getState(), true);
    expect(banner?.canReload).toBe(false);
    expect(banner?.hint).toMatch(/run is training/);
    expect(await updates.reload(true)).toBe(false);
    expect(calls).toEqual({ reloads: 0, applied: 0 });
  });

  it('a version applied by another tab is announced, not reloaded into', async () => {
    const { updates, apply, calls } = notifier();
    const seen: string[] = [];
    updates.subscribe(() => seen.push(updates.getState()));
    updates.waiting(apply);
    updates.controlled();
    expect(calls.reloads).toBe(0);
    expect(seen).toEqual(['waiting', 'applied']);
    expect(updateBanner('applied', false)?.text).toMatch(/another tab/);
    // Reload now just reloads: the new version already controls the page.
    expect(await updates.reload(false)).toBe(true);
    expect(calls).toEqual({ reloads: 1, applied: 0 });
  });

  it('Later hides the note until the next version', () => {
    const { updates, apply } = notifier();
    updates.waiting(apply);
    updates.dismiss();
    expect(updates.getState()).toBe('current');
    updates.waiting(apply);
    expect(updates.getState()).toBe('waiting');
  });
});
