import { describe, expect, it } from 'vitest';
import { FrameThrottle, RateMeter, etaSeconds, formatDuration, type FrameClock } from './frame-throttle';

/** A hand-driven animation-frame clock. */
function manualClock() {
  let t = 0;
  let next = 1;
  const frames = new Map<number, () => void>();
  const clock: FrameClock = {
    requestFrame: (cb) => {
      frames.set(next, cb);
      return next++;
    },
    cancelFrame: (h) => frames.delete(h),
    now: () => t,
  };
  const frame = (dt: number) => {
    t += dt;
    const due = [...frames.values()];
    frames.clear();
    for (const cb of due) cb();
  };
  return { clock, frame, pending: () => frames.size };
}

describe('FrameThrottle', () => {
  it('paints once per frame however many updates arrive, at most maxHz times a second', () => {
    const { clock, frame } = manualClock();
    let paints = 0;
    const throttle = new FrameThrottle(() => paints++, 10, clock);
    for (let i = 0; i < 500; i++) throttle.request();
    frame(16);
    expect(paints).toBe(1);
    // A second of 60 fps frames with updates arriving all the time: about 10 paints.
    for (let f = 0; f < 60; f++) {
      throttle.request();
      throttle.request();
      frame(1000 / 60);
    }
    expect(paints).toBeGreaterThanOrEqual(9);
    expect(paints).toBeLessThanOrEqual(11);
  });

  it('does not drop the last update, and flush paints at once', () => {
    const { clock, frame, pending } = manualClock();
    let paints = 0;
    const throttle = new FrameThrottle(() => paints++, 10, clock);
    throttle.request();
    frame(16);
    throttle.request();
    frame(16); // too soon: deferred, not lost
    expect(paints).toBe(1);
    expect(pending()).toBe(1);
    throttle.flush();
    expect(paints).toBe(2);
    expect(pending()).toBe(0);
  });
});

describe('RateMeter and ETA', () => {
  it('measures a steady rate and the time left', () => {
    const meter = new RateMeter(1000);
    for (let i = 0; i <= 20; i++) meter.update(i * 50, i * 100); // 50 images every 100 ms
    expect(meter.rate).toBeCloseTo(500, 6);
    expect(etaSeconds(1000, 6000, meter.rate)).toBeCloseTo(10, 6);
    expect(etaSeconds(10, 100, 0)).toBeUndefined();
    expect(etaSeconds(100, 100, 0)).toBe(0);
  });

  it('formats durations', () => {
    expect(formatDuration(12.4)).toBe('12 s');
    expect(formatDuration(200)).toBe('3 min 20 s');
    expect(formatDuration(3840)).toBe('1 h 04 min');
    expect(formatDuration(undefined)).toBe('—');
  });
});
