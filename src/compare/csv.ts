/**
 * Selected runs' metrics as one CSV file in long form (one row per run, metric and point), which
 * spreadsheets, pandas and R all read without reshaping. Fields follow RFC 4180: a field holding a
 * comma, a quote or a line break is quoted, its quotes doubled. A text field (run or metric name)
 * that a spreadsheet would take for a formula gets a leading apostrophe, so opening the file runs
 * nothing.
 */

/** The series of one run to export. */
export interface CsvRun {
  id: string;
  name: string;
  metrics: Readonly<Record<string, { x: ArrayLike<number>; y: ArrayLike<number> }>>;
}

export const CSV_HEADER = ['run', 'run_id', 'metric', 'step', 'value'] as const;

/** One text field, quoted when it must be and defused when a spreadsheet would evaluate it. */
export function csvText(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** A number as the shortest text that reads back to the same value; non-finite values as empty. */
export function csvNumber(value: number): string {
  return Number.isFinite(value) ? String(value) : '';
}

/** The CSV text (CRLF line ends, as RFC 4180 has them) of every point of every run given. */
export function metricsCsv(runs: readonly CsvRun[]): string {
  const lines: string[] = [CSV_HEADER.join(',')];
  for (const run of runs) {
    const name = csvText(run.name);
    const id = csvText(run.id);
    for (const metric of Object.keys(run.metrics).sort()) {
      const t = run.metrics[metric]!;
      const m = csvText(metric);
      for (let i = 0; i < t.x.length; i++) lines.push(`${name},${id},${m},${csvNumber(t.x[i]!)},${csvNumber(t.y[i]!)}`);
    }
  }
  return lines.join('\r\n') + '\r\n';
}
