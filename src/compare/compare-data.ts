/**
 * What the compare view charts: which metrics (every one any selected run logged, RL's set first
 * for RL runs), each run's points on the chosen x axis (step, epoch, or training time), smoothed,
 * and all runs joined on one x array as uPlot wants it. Pure, so the bench and tests run it as is.
 */
import { smoothEma } from './smoothing';

export type XAxis = 'step' | 'epoch' | 'time';

/** A series of one run as the view reads it (plain arrays or views into a packed buffer). */
export interface Trace {
  x: ArrayLike<number>;
  y: ArrayLike<number>;
}

/** What the view needs of each selected run. */
export interface CompareRun {
  id: string;
  name: string;
  color: string;
  mode: 'supervised' | 'rl';
  /** Optimizer steps per epoch (supervised), for the epoch axis; undefined when unknown. */
  stepsPerEpoch: number | undefined;
  metrics: Readonly<Record<string, Trace>>;
}

/** The series that are an axis, not a chart. */
const AXIS_SERIES = new Set(['elapsedMs']);

/** RL first in this order (the set: return, speed, collision rate, TD loss), then supervised. */
const PREFERRED = ['episodeReturn', 'meanReturn', 'meanSpeed', 'collisionRate', 'tdLoss', 'policyLoss', 'valueLoss', 'entropy', 'loss', 'valLoss', 'accuracy', 'valAccuracy', 'epochLoss', 'epochAccuracy'];

/** Readable names for the charts' titles. */
export const METRIC_TITLES: Readonly<Record<string, string>> = {
  episodeReturn: 'Episode return',
  meanReturn: 'Mean return (last episodes)',
  meanSpeed: 'Mean speed',
  collisionRate: 'Collision rate',
  tdLoss: 'TD loss',
  policyLoss: 'Policy loss',
  valueLoss: 'Value loss',
  entropy: 'Policy entropy',
  loss: 'Training loss',
  valLoss: 'Validation loss',
  accuracy: 'Training accuracy',
  valAccuracy: 'Validation accuracy',
  epochLoss: 'Epoch loss',
  epochAccuracy: 'Epoch accuracy',
  learningRate: 'Learning rate',
  imagesPerSecond: 'Images / s',
  stepsPerSecond: 'Steps / s',
  epsilon: 'Exploration ε',
};

/** Every metric any run logged, in chart order. */
export function metricNames(runs: readonly Pick<CompareRun, 'metrics'>[]): string[] {
  const names = new Set<string>();
  for (const r of runs) for (const [n, t] of Object.entries(r.metrics)) if (!AXIS_SERIES.has(n) && t.x.length > 0) names.add(n);
  const rank = (n: string) => (PREFERRED.includes(n) ? PREFERRED.indexOf(n) : PREFERRED.length);
  return [...names].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/** The y of the last point at or before `x` (points sorted by x); undefined before the first. */
export function valueAt(t: Trace, x: number): number | undefined {
  let lo = 0;
  let hi = t.x.length - 1;
  if (hi < 0 || t.x[0]! > x) return undefined;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (t.x[mid]! <= x) lo = mid;
    else hi = mid - 1;
  }
  return t.y[lo];
}

/** Linear interpolation of a monotone trace at `x`, clamped to its ends. */
function interpolate(t: Trace, x: number): number {
  const n = t.x.length;
  if (x <= t.x[0]!) return t.y[0]!;
  if (x >= t.x[n - 1]!) return t.y[n - 1]!;
  let lo = 0;
  let hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (t.x[mid]! <= x) lo = mid;
    else hi = mid;
  }
  const f = (x - t.x[lo]!) / (t.x[hi]! - t.x[lo]! || 1);
  return t.y[lo]! + f * (t.y[hi]! - t.y[lo]!);
}

/**
 * A run's x values on the chosen axis: steps as logged; epochs as steps ÷ steps per epoch (RL
 * runs, which have no epochs, stay on steps); training time in seconds, read off the run's own
 * elapsed-time series (undefined when it logged none, so the caller can say so).
 */
export function axisValues(run: CompareRun, xs: ArrayLike<number>, axis: XAxis): Float64Array | undefined {
  const out = new Float64Array(xs.length);
  if (axis === 'epoch' && run.mode === 'supervised' && run.stepsPerEpoch) {
    for (let i = 0; i < xs.length; i++) out[i] = xs[i]! / run.stepsPerEpoch;
    return out;
  }
  if (axis === 'time') {
    const clock = run.metrics.elapsedMs;
    if (!clock || clock.x.length === 0) return undefined;
    for (let i = 0; i < xs.length; i++) out[i] = interpolate(clock, xs[i]!) / 1000;
    return out;
  }
  out.set(Array.prototype.slice.call(xs) as number[]);
  return out;
}

/** One chart's data: a shared x, then for each run its raw and its smoothed column (null where it has no point). */
export interface ChartData {
  data: [number[], ...(number | null)[][]];
  /** The runs drawn, in column order (a run without this metric is left out). */
  runs: CompareRun[];
  /** Each drawn run's own points on the axis, for the hover readout. */
  traces: Trace[];
}

/** The sorted union of sorted x arrays, without repeats (runs logged at the same steps share one walk). */
export function unionSorted(arrays: readonly ArrayLike<number>[]): number[] {
  let out: number[] = [];
  for (const a of arrays) {
    const merged: number[] = [];
    let i = 0;
    let j = 0;
    while (i < out.length || j < a.length) {
      const v = j >= a.length || (i < out.length && out[i]! <= a[j]!) ? out[i++]! : a[j++]!;
      if (merged.length === 0 || merged[merged.length - 1] !== v) merged.push(v);
    }
    out = merged;
  }
  return out;
}

/** Joins the runs' points of `metric` on one x array, each with its smoothed twin. */
export function chartData(metric: string, runs: readonly CompareRun[], axis: XAxis, smoothing: number): ChartData {
  const drawn: CompareRun[] = [];
  const traces: Trace[] = [];
  for (const run of runs) {
    const t = run.metrics[metric];
    if (!t || t.x.length === 0) continue;
    const x = axisValues(run, t.x, axis);
    if (!x) continue;
    drawn.push(run);
    traces.push({ x, y: t.y });
  }
  const xs = unionSorted(traces.map((t) => t.x));
  const columns: (number | null)[][] = [];
  for (const t of traces) {
    const raw = new Array<number | null>(xs.length).fill(null);
    const smooth = new Array<number | null>(xs.length).fill(null);
    const s = smoothing > 0 ? smoothEma(t.y, smoothing) : t.y;
    // Both sorted: one walk places every point.
    for (let i = 0, k = 0; i < t.x.length; i++) {
      while (xs[k]! < t.x[i]!) k++;
      raw[k] = t.y[i]!;
      smooth[k] = s[i]!;
    }
    columns.push(raw, smooth);
  }
  return { data: [xs, ...columns], runs: drawn, traces };
}
