/**
 * Metric series for live charts and the stored run history. A run may log a million steps; a chart
 * needs a few thousand points. Each series keeps at most `capacity` points at a uniform stride:
 * when it fills, neighbouring pairs are averaged and the stride doubles, so old and new parts of
 * the curve have the same resolution and memory stays bounded however long the run goes.
 */
import type { EpisodeEvent, EpochEvent, ProgressEvent, RunEvent, StepEvent } from '../../protocol/events';
import type { MetricHistory, MetricTrace } from '../runs-db-record';

export const DEFAULT_CAPACITY = 2048;

export class MetricSeries {
  readonly x: number[] = [];
  readonly y: number[] = [];
  /** Raw points per stored point. */
  stride = 1;
  private accX = 0;
  private accY = 0;
  private accN = 0;

  constructor(readonly capacity = DEFAULT_CAPACITY) {
    if (capacity < 4 || capacity % 2 !== 0) throw new Error(`capacity must be an even number ≥ 4, got ${capacity}`);
  }

  /** Adds one raw point; non-finite values are skipped so one NaN does not blank a chart. */
  push(x: number, y: number): void {
    if (!Number.isFinite(x) || !Number.isFinite(y)) return;
    this.accX += x;
    this.accY += y;
    this.accN++;
    if (this.accN < this.stride) return;
    this.x.push(this.accX / this.accN);
    this.y.push(this.accY / this.accN);
    this.accX = this.accY = this.accN = 0;
    if (this.x.length >= this.capacity) this.halve();
  }

  private halve(): void {
    const n = this.x.length >> 1;
    for (let i = 0; i < n; i++) {
      this.x[i] = (this.x[2 * i]! + this.x[2 * i + 1]!) / 2;
      this.y[i] = (this.y[2 * i]! + this.y[2 * i + 1]!) / 2;
    }
    this.x.length = n;
    this.y.length = n;
    this.stride *= 2;
  }

  /** Stored points plus the partial bucket, so the latest value is always visible. */
  snapshot(): MetricTrace {
    if (this.accN === 0) return { x: [...this.x], y: [...this.y] };
    return { x: [...this.x, this.accX / this.accN], y: [...this.y, this.accY / this.accN] };
  }

  get last(): number | undefined {
    return this.accN > 0 ? this.accY / this.accN : this.y[this.y.length - 1];
  }

  get length(): number {
    return this.x.length + (this.accN > 0 ? 1 : 0);
  }

  /** Rebuilds a series from a stored trace (a resumed run continues its curves). */
  static from(trace: MetricTrace, capacity = DEFAULT_CAPACITY): MetricSeries {
    const s = new MetricSeries(capacity);
    for (let i = 0; i < trace.x.length; i++) s.push(trace.x[i]!, trace.y[i]!);
    return s;
  }
}

type ChartedEvent = StepEvent | EpochEvent | ProgressEvent | EpisodeEvent;

/**
 * The fields each event charts, each as the series of its own name (a stored run's history uses the
 * same names), plotted at the event's `step`.
 */
export const CHARTED: { readonly [T in ChartedEvent['type']]: readonly (keyof Extract<ChartedEvent, { type: T }> & string)[] } = {
  // elapsedMs (training time, pauses excluded) is no chart of its own: the compare view's time axis.
  step: ['loss', 'accuracy', 'learningRate', 'imagesPerSecond', 'elapsedMs'],
  epoch: ['epochLoss', 'epochAccuracy', 'valLoss', 'valAccuracy', 'epochMse', 'epochPsnr', 'valMse', 'valPsnr'],
  progress: ['epsilon', 'stepsPerSecond', 'tdLoss', 'policyLoss', 'valueLoss', 'entropy', 'meanReturn', 'meanSpeed', 'collisionRate', 'elapsedMs'],
  episode: ['episodeReturn'],
};

function isCharted(e: RunEvent): e is ChartedEvent {
  return e.type in CHARTED;
}

/** Every metric of one run, with a version number that changes whenever a value is added. */
export class MetricStore {
  private readonly series = new Map<string, MetricSeries>();
  version = 0;

  constructor(private readonly capacity = DEFAULT_CAPACITY) {}

  push(name: string, x: number, y: number): void {
    let s = this.series.get(name);
    if (!s) this.series.set(name, (s = new MetricSeries(this.capacity)));
    s.push(x, y);
    this.version++;
  }

  /** Adds several metrics at one x; undefined values are skipped. */
  record(x: number, values: Record<string, number | undefined>): void {
    for (const [name, y] of Object.entries(values)) if (y !== undefined) this.push(name, x, y);
  }

  /** Charts a worker's event (see {@link CHARTED}); absent fields add no point. False for events that chart nothing. */
  add(e: RunEvent): boolean {
    if (!isCharted(e)) return false;
    const values = e as unknown as Record<string, unknown>;
    for (const name of CHARTED[e.type]) {
      const y = values[name];
      if (typeof y === 'number') this.push(name, e.step, y);
    }
    return true;
  }

  get(name: string): MetricSeries | undefined {
    return this.series.get(name);
  }

  last(name: string): number | undefined {
    return this.series.get(name)?.last;
  }

  toHistory(): MetricHistory {
    const out: MetricHistory = {};
    for (const [name, s] of this.series) out[name] = s.snapshot();
    return out;
  }

  static fromHistory(history: MetricHistory, capacity = DEFAULT_CAPACITY): MetricStore {
    const store = new MetricStore(capacity);
    for (const [name, trace] of Object.entries(history)) store.series.set(name, MetricSeries.from(trace, capacity));
    store.version = 1;
    return store;
  }
}

/** The history cut at `x` (inclusive): a run resumed from a checkpoint redoes the steps after it. */
export function historyUpTo(history: MetricHistory, x: number): MetricHistory {
  const out: MetricHistory = {};
  for (const [name, t] of Object.entries(history)) {
    const keep = t.x.findIndex((v) => v > x);
    out[name] = keep < 0 ? { x: [...t.x], y: [...t.y] } : { x: t.x.slice(0, keep), y: t.y.slice(0, keep) };
  }
  return out;
}

/**
 * Points of several series aligned on one x axis for a chart (uPlot wants one shared x array):
 * the union of their x values, with null where a series has no point there.
 */
export function alignSeries(traces: readonly (MetricTrace | undefined)[]): [number[], ...(number | null)[][]] {
  const xs = new Set<number>();
  for (const t of traces) if (t) for (const x of t.x) xs.add(x);
  const x = [...xs].sort((a, b) => a - b);
  const index = new Map(x.map((v, i) => [v, i]));
  const ys = traces.map((t) => {
    const col = new Array<number | null>(x.length).fill(null);
    if (t) for (let i = 0; i < t.x.length; i++) col[index.get(t.x[i]!)!] = t.y[i]!;
    return col;
  });
  return [x, ...ys];
}
