/**
 * A run's metrics as the runs database stores them: every series of the run packed into one
 * Float64Array (each series' x values, then its y values), apart from the run record. IndexedDB
 * copies a typed array as one block of bytes, where an array of numbers costs a tagged value per
 * element, so a compare view of many runs reads a few buffers instead of millions of values, and a
 * history list that needs only names and statuses never reads metrics at all.
 */
import type { MetricHistory, MetricTrace } from './runs-db-record';

/** One row of the `metrics` table: the packed series of one run. */
export interface MetricsRecord {
  runId: string;
  /** Series names, in the order their points lie in `data`. */
  names: string[];
  /** Points per series. */
  lengths: number[];
  /** For each series in turn: its `lengths[i]` x values, then as many y values. */
  data: Float64Array;
}

/** A series read from a packed record: views into its buffer, no copy. */
export interface PackedTrace {
  x: Float64Array;
  y: Float64Array;
}

/** Packs a run's history into one buffer (non-finite values are kept as they are). */
export function packMetrics(runId: string, history: MetricHistory): MetricsRecord {
  const names = Object.keys(history);
  const lengths = names.map((n) => history[n]!.x.length);
  const data = new Float64Array(lengths.reduce((a, n) => a + 2 * n, 0));
  let at = 0;
  names.forEach((name, i) => {
    const t = history[name]!;
    if (t.y.length !== lengths[i]) throw new Error(`metric ${name}: x and y differ in length`);
    data.set(t.x, at);
    data.set(t.y, at + lengths[i]!);
    at += 2 * lengths[i]!;
  });
  return { runId, names, lengths, data };
}

/** The packed series of a record, keyed by name, as views into its one buffer. */
export function packedTraces(record: MetricsRecord): Record<string, PackedTrace> {
  const out: Record<string, PackedTrace> = {};
  let at = 0;
  record.names.forEach((name, i) => {
    const n = record.lengths[i]!;
    out[name] = { x: record.data.subarray(at, at + n), y: record.data.subarray(at + n, at + 2 * n) };
    at += 2 * n;
  });
  return out;
}

/** A packed record back as the plain history the run panel's charts rebuild from. */
export function unpackMetrics(record: MetricsRecord | undefined): MetricHistory {
  if (!record) return {};
  const out: MetricHistory = {};
  for (const [name, t] of Object.entries(packedTraces(record))) out[name] = { x: Array.from(t.x), y: Array.from(t.y) } satisfies MetricTrace;
  return out;
}

/** Whether a history holds any point (an empty one needs no row). */
export function hasPoints(history: MetricHistory): boolean {
  return Object.values(history).some((t) => t.x.length > 0);
}
