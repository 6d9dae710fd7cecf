import { describe, expect, it } from 'vitest';
import { axisValues, chartData, metricNames, unionSorted, valueAt, type CompareRun } from './compare-data';

function run(id: string, metrics: CompareRun['metrics'], extra: Partial<CompareRun> = {}): CompareRun {
  return { id, name: id, color: '#000', mode: 'supervised', stepsPerEpoch: 10, metrics, ...extra };
}

describe('compare data', () => {
  it('lists every metric any run logged, RL set first, the time series left out', () => {
    const a = run('a', { loss: { x: [1], y: [1] }, elapsedMs: { x: [1], y: [5] }, zeta: { x: [1], y: [1] } });
    const b = run('b', { tdLoss: { x: [1], y: [1] }, episodeReturn: { x: [1], y: [1] }, empty: { x: [], y: [] } });
    expect(metricNames([a, b])).toEqual(['episodeReturn', 'tdLoss', 'loss', 'zeta']);
  });

  it('joins runs on one x with gaps, each raw column followed by its smoothed one', () => {
    const a = run('a', { loss: { x: [1, 2], y: [1, 3] } });
    const b = run('b', { loss: { x: [2, 4], y: [5, 5.5] } });
    const c = run('c', { other: { x: [1], y: [0] } });
    const d = chartData('loss', [a, b, c], 'step', 0.5);
    expect(d.runs.map((r) => r.id)).toEqual(['a', 'b']);
    expect(d.data[0]).toEqual([1, 2, 4]);
    expect(d.data[1]).toEqual([1, 3, null]);
    // Debiased EMA at 0.5: 1, then (0.25 + 1.5) / 0.75.
    expect(d.data[2]![0]).toBeCloseTo(1);
    expect(d.data[2]![1]).toBeCloseTo(7 / 3);
    expect(d.data[3]).toEqual([null, 5, 5.5]);
  });

  it('puts steps on the epoch axis and the training-time axis', () => {
    const a = run('a', { loss: { x: [5, 20], y: [1, 1] }, elapsedMs: { x: [0, 10, 20], y: [0, 1000, 3000] } });
    expect(Array.from(axisValues(a, [5, 20], 'epoch')!)).toEqual([0.5, 2]);
    expect(Array.from(axisValues(a, [5, 15, 20], 'time')!)).toEqual([0.5, 2, 3]);
    expect(axisValues(run('b', {}), [1], 'time')).toBeUndefined();
    expect(Array.from(axisValues({ ...a, mode: 'rl' }, [5], 'epoch')!)).toEqual([5]);
  });

  it('reads the value at or before an x for the hover readout', () => {
    const t = { x: [1, 3, 5], y: [10, 30, 50] };
    expect([valueAt(t, 0), valueAt(t, 1), valueAt(t, 4), valueAt(t, 99)]).toEqual([undefined, 10, 30, 50]);
  });
});

describe('unionSorted', () => {
  it('merges sorted arrays into one sorted array without repeats', () => {
    expect(unionSorted([[1, 3, 5], [2, 3, 6], [], [0.5, 1, 1]])).toEqual([0.5, 1, 2, 3, 5, 6]);
  });
});
