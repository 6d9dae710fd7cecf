import { describe, expect, it } from 'vitest';
import { parseCount, parseRunProgress } from './browser-run';

describe('reading a run off the page', () => {
  it('reads counts with thousands separators and decimals', () => {
    expect(parseCount('5,000 images · loss 0.912')).toBe(5000);
    expect(parseCount('72.4%')).toBe(72.4);
    expect(parseCount('—')).toBeNaN();
  });

  it("reads steps and epochs from a history row's progress, with and without a budget", () => {
    expect(parseRunProgress('epoch 1 · 10 min budget · 8,123 steps')).toEqual({ steps: 8123, epochsCompleted: 1 });
    expect(parseRunProgress('epoch 3 / 30 · 2,109 steps')).toEqual({ steps: 2109, epochsCompleted: 3 });
    const unread = parseRunProgress('—');
    expect(unread.steps).toBeNaN();
    expect(unread.epochsCompleted).toBeNaN();
  });
});
