import { describe, expect, it } from 'vitest';
import type { ReconstructionGrid } from '../../protocol/events';
import type { RunRecord } from '../runs-db-record';
import { LiveReadouts } from './live-readouts';
import { epochEvent, stepEvent } from './test-events';

const grid = (epoch: number): ReconstructionGrid => ({ epoch, shape: [1, 1, 1], inputs: [new Uint8Array([1])], outputs: [new Uint8Array([2])] });

describe('LiveReadouts', () => {
  it('follows the epoch, the throughput and the reconstructions, and forgets the rate over a pause', () => {
    const live = new LiveReadouts();
    live.update(stepEvent({ step: 1, epochProgress: 0.25, imagesPerSecond: 80 }), 0);
    expect(live.epochProgress).toBe(0.25);
    expect(live.rate).toBe(80);
    live.update(stepEvent({ step: 2, epochProgress: 0.75 }), 1000);
    // Half an epoch in a second, the meter's first reading.
    expect(live.epochRate).toBeCloseTo(0.5, 6);
    live.update(epochEvent({ epoch: 1, step: 2 }), 1100);
    expect(live.epochProgress).toBe(0);
    live.update({ type: 'reconstructions', grid: grid(1) }, 1200);
    live.update({ type: 'reconstructions', grid: grid(2) }, 1300);
    expect(live.grids.map((g) => g.epoch)).toEqual([1, 2]);
    live.update({ type: 'paused', step: 2 }, 1400);
    live.update(stepEvent({ step: 3, epochProgress: 0.9 }), 60_000);
    // After the pause the meter starts again instead of averaging over the idle minute.
    expect(live.epochRate).toBeCloseTo(0.5, 6);
  });

  it('starts a shown record from the grids its evaluation kept, and a run without them empty', () => {
    const live = new LiveReadouts();
    live.update({ type: 'reconstructions', grid: grid(1) }, 0);
    live.reset({ evaluation: { kind: 'reconstruction', grids: [grid(3)] } } as unknown as RunRecord);
    expect(live.grids.map((g) => g.epoch)).toEqual([3]);
    live.reset({ evaluation: { kind: 'classification' } } as unknown as RunRecord);
    expect(live.grids).toEqual([]);
    expect(live.snapshot).toBeNull();
  });
});
