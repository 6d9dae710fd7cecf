import { describe, expect, it } from 'vitest';
import { MetricSeries, MetricStore, alignSeries } from './metric-series';
import { epochEvent, progressEvent, stepEvent } from './test-events';

describe('MetricSeries', () => {
  it('keeps every point until full, then halves into pair means at a doubled stride', () => {
    const s = new MetricSeries(8);
    for (let i = 0; i < 7; i++) s.push(i, i * 10);
    expect(s.snapshot()).toEqual({ x: [0, 1, 2, 3, 4, 5, 6], y: [0, 10, 20, 30, 40, 50, 60] });
    s.push(7, 70);
    expect(s.stride).toBe(2);
    expect(s.snapshot()).toEqual({ x: [0.5, 2.5, 4.5, 6.5], y: [5, 25, 45, 65] });
    // New points now arrive two at a time; the half bucket shows as the latest point.
    s.push(8, 80);
    expect(s.snapshot().x).toEqual([0.5, 2.5, 4.5, 6.5, 8]);
    s.push(9, 90);
    expect(s.snapshot()).toEqual({ x: [0.5, 2.5, 4.5, 6.5, 8.5], y: [5, 25, 45, 65, 85] });
  });

  it('stays bounded and keeps the mean over a long run', () => {
    const s = new MetricSeries(64);
    let sum = 0;
    const n = 100_000;
    for (let i = 0; i < n; i++) {
      const y = Math.sin(i / 500) + 2;
      sum += y;
      s.push(i, y);
    }
    expect(s.length).toBeLessThanOrEqual(64);
    expect(s.length).toBeGreaterThanOrEqual(32);
    const snap = s.snapshot();
    // Equal-weight buckets (apart from the partial last one): their mean is the raw mean.
    const full = snap.y.slice(0, Math.floor(n / s.stride));
    const bucketMean = full.reduce((a, b) => a + b, 0) / full.length;
    const rawMean = sum / n;
    expect(Math.abs(bucketMean - rawMean)).toBeLessThan(0.01);
    expect(snap.x[snap.x.length - 1]).toBeGreaterThan(n - s.stride);
  });

  it('skips non-finite values', () => {
    const s = new MetricSeries(8);
    s.push(0, 1);
    s.push(1, NaN);
    s.push(2, Infinity);
    s.push(3, 2);
    expect(s.snapshot()).toEqual({ x: [0, 3], y: [1, 2] });
  });

  it('round-trips through the stored history', () => {
    const store = new MetricStore(16);
    for (let i = 0; i < 40; i++) store.record(i, { loss: 1 / (i + 1), accuracy: i % 5 === 0 ? i / 40 : undefined });
    const history = store.toHistory();
    expect(history.accuracy!.x).toEqual([0, 5, 10, 15, 20, 25, 30, 35]);
    const back = MetricStore.fromHistory(history, 16);
    expect(back.toHistory()).toEqual(history);
    expect(back.last('loss')).toBeCloseTo(history.loss!.y[history.loss!.y.length - 1]!, 12);
  });
});

describe('MetricStore.add', () => {
  it("charts the workers' events under their own field names, at the event's step", () => {
    const store = new MetricStore();
    expect(store.add(stepEvent({ step: 3, loss: 2, accuracy: 0.25, learningRate: 0.1, imagesPerSecond: 40, elapsedMs: 700 }))).toBe(true);
    expect(store.add(epochEvent({ epoch: 1, step: 3, epochLoss: 1.9, epochAccuracy: 0.3, valLoss: 2.1, valAccuracy: 0.2 }))).toBe(true);
    // Before an episode ends there are no averages, and before learning starts no TD loss: no points.
    store.add(progressEvent({ step: 10, epsilon: 0.9, stepsPerSecond: 80, elapsedMs: 900 }));
    store.add(progressEvent({ step: 20, epsilon: 0.8, stepsPerSecond: 90, tdLoss: 0.5, meanReturn: 12, meanSpeed: 24, collisionRate: 0.5, elapsedMs: 1000 }));
    store.add({ type: 'episode', step: 15, index: 0, seed: 0, episodeReturn: 12, steps: 15, meanSpeed: 24, crashed: true });
    expect(store.add({ type: 'status', stage: 'training', text: 'training' })).toBe(false);
    expect(store.toHistory()).toEqual({
      loss: { x: [3], y: [2] },
      accuracy: { x: [3], y: [0.25] },
      learningRate: { x: [3], y: [0.1] },
      imagesPerSecond: { x: [3], y: [40] },
      elapsedMs: { x: [3, 10, 20], y: [700, 900, 1000] },
      epochLoss: { x: [3], y: [1.9] },
      epochAccuracy: { x: [3], y: [0.3] },
      valLoss: { x: [3], y: [2.1] },
      valAccuracy: { x: [3], y: [0.2] },
      epsilon: { x: [10, 20], y: [0.9, 0.8] },
      stepsPerSecond: { x: [10, 20], y: [80, 90] },
      tdLoss: { x: [20], y: [0.5] },
      meanReturn: { x: [20], y: [12] },
      meanSpeed: { x: [20], y: [24] },
      collisionRate: { x: [20], y: [0.5] },
      episodeReturn: { x: [15], y: [12] },
    });
  });
});

describe('alignSeries', () => {
  it('joins x values and leaves gaps as null', () => {
    expect(alignSeries([{ x: [1, 2, 3], y: [10, 20, 30] }, { x: [2, 4], y: [0.2, 0.4] }, undefined])).toEqual([
      [1, 2, 3, 4],
      [10, 20, 30, null],
      [null, 0.2, null, 0.4],
      [null, null, null, null],
    ]);
  });
});
