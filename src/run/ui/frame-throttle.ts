/**
 * Coalesces a burst of "something changed" signals into one redraw per animation frame, and no
 * more than `maxHz` redraws a second, however fast the worker reports. Worker messages only mark
 * the data dirty; the paint runs in requestAnimationFrame, where the browser is about to draw anyway.
 */

export interface FrameClock {
  requestFrame(cb: () => void): number;
  cancelFrame(handle: number): void;
  now(): number;
}

export const browserClock: FrameClock = {
  requestFrame: (cb) => requestAnimationFrame(cb),
  cancelFrame: (h) => cancelAnimationFrame(h),
  now: () => performance.now(),
};

export class FrameThrottle {
  private handle: number | null = null;
  private lastPaint = -Infinity;
  private readonly minInterval: number;

  constructor(
    private readonly paint: () => void,
    maxHz = 20,
    private readonly clock: FrameClock = browserClock,
  ) {
    this.minInterval = 1000 / maxHz;
  }

  /** Asks for a paint; repeated calls before it runs cost nothing. */
  request(): void {
    if (this.handle !== null) return;
    this.handle = this.clock.requestFrame(this.onFrame);
  }

  private readonly onFrame = (): void => {
    const t = this.clock.now();
    // Too soon after the last paint: wait for a later frame rather than drop the update.
    if (t - this.lastPaint < this.minInterval - 1) {
      this.handle = this.clock.requestFrame(this.onFrame);
      return;
    }
    this.handle = null;
    this.lastPaint = t;
    this.paint();
  };

  /** Paints now if a paint is pending (a run just finished: show its final numbers at once). */
  flush(): void {
    if (this.handle === null) return;
    this.clock.cancelFrame(this.handle);
    this.handle = null;
    this.lastPaint = this.clock.now();
    this.paint();
  }

  dispose(): void {
    if (this.handle !== null) this.clock.cancelFrame(this.handle);
    this.handle = null;
  }
}

/**
 * A smoothed rate (items per second) from cumulative counts, for images/s and steps/s readouts
 * and the ETA. Exponential smoothing over time, so bursty reports do not make the number jump.
 */
export class RateMeter {
  private lastT: number | null = null;
  private lastCount = 0;
  rate = 0;

  constructor(private readonly halfLifeMs = 2000) {}

  update(count: number, t: number): number {
    if (this.lastT === null || count < this.lastCount) {
      this.lastT = t;
      this.lastCount = count;
      return this.rate;
    }
    const dt = t - this.lastT;
    if (dt <= 0) return this.rate;
    const instant = ((count - this.lastCount) * 1000) / dt;
    const w = 1 - Math.pow(0.5, dt / this.halfLifeMs);
    this.rate = this.rate === 0 ? instant : this.rate + w * (instant - this.rate);
    this.lastT = t;
    this.lastCount = count;
    return this.rate;
  }

  /** Restarts the measurement (after a pause, so idle time does not drag the rate down). */
  reset(): void {
    this.lastT = null;
  }
}

/** Seconds left at `rate` items/s with `done` of `total` done; undefined while unknown. */
export function etaSeconds(done: number, total: number, rate: number): number | undefined {
  if (!(rate > 0) || total <= 0 || done >= total) return done >= total && total > 0 ? 0 : undefined;
  return (total - done) / rate;
}

/** "1 h 04 min", "3 min 20 s", "12 s". */
export function formatDuration(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds)) return '—';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}
