/**
 * The comparison of 2–10 runs: one chart per metric with every run overlaid in its colour, the x
 * axis (step, epoch, training time) and smoothing shared by all charts, the graph diff below, and
 * exports (the runs' metrics as CSV, the charts as one PNG). Metrics are read packed, one buffer per
 * run, only for the runs compared.
 */
import { useCallback, useMemo, useRef, useState } from 'react';
import type uPlot from 'uplot';
import type { GraphDocument } from '../../graph/document';
import type { PackedTrace } from '../../run/runs-db-metrics';
import type { RunRecord } from '../../run/runs-db-record';
import { METRIC_TITLES, chartData, metricNames, type CompareRun, type XAxis } from '../compare-data';
import { metricsCsv } from '../csv';
import { CompareChart } from './CompareChart';
import { DiffPanel } from './DiffPanel';
import { download, chartsPng } from './export-files';

export interface CompareViewProps {
  runs: readonly RunRecord[];
  /** Every run's series by run id, packed as stored. */
  metrics: ReadonlyMap<string, Readonly<Record<string, PackedTrace>>>;
  colors: ReadonlyMap<string, string>;
}

const AXIS_LABEL: Record<XAxis, string> = { step: 'step', epoch: 'epoch', time: 'training time (s)' };

/** The run's name, with the start of its id when another compared run has the same name. */
function shownName(r: RunRecord, runs: readonly RunRecord[]): string {
  return runs.some((o) => o !== r && o.name === r.name) ? `${r.name} #${r.id.slice(0, 4)}` : r.name;
}

function stepsPerEpoch(r: RunRecord): number | undefined {
  return r.mode === 'supervised' && r.progress.epochs > 0 && r.progress.steps > 0 ? r.progress.steps / r.progress.epochs : undefined;
}

export function CompareView({ runs, metrics: stored, colors }: CompareViewProps) {
  const [axis, setAxis] = useState<XAxis>('step');
  const [smoothing, setSmoothing] = useState(0.6);
  const loaded = useMemo<CompareRun[]>(
    () => runs.map((r) => ({ id: r.id, name: shownName(r, runs), color: colors.get(r.id) ?? '#888', mode: r.mode, stepsPerEpoch: stepsPerEpoch(r), metrics: stored.get(r.id) ?? {} })),
    [runs, stored, colors],
  );
  const metrics = useMemo(() => metricNames(loaded), [loaded]);
  const charts = useMemo(() => metrics.map((m) => ({ metric: m, chart: chartData(m, loaded, axis, smoothing) })), [loaded, metrics, axis, smoothing]);
  const plots = useRef(new Map<string, uPlot>());
  // Which charts of the current data have drawn (a new axis or smoothing starts the count again).
  const drawnOf = useRef<{ charts: unknown; metrics: Set<string> }>({ charts: null, metrics: new Set() });
  const [drawn, setDrawn] = useState<{ charts: unknown; count: number }>({ charts: null, count: 0 });
  const expected = charts.filter((c) => c.chart.runs.length > 0).length;
  const onDrawn = useCallback(
    (metric: string, plot: uPlot) => {
      plots.current.set(metric, plot);
      if (drawnOf.current.charts !== charts) drawnOf.current = { charts, metrics: new Set() };
      const done = drawnOf.current.metrics;
      if (done.has(metric)) return;
      done.add(metric);
      // The bench reads when the last chart of this comparison was drawn.
      if (done.size === expected) (window as unknown as { __compareDrawnAt?: number }).__compareDrawnAt = performance.now();
      setDrawn({ charts, count: done.size });
    },
    [charts, expected],
  );
  const ready = drawn.charts === charts && drawn.count >= expected;

  const diffRuns = useMemo(() => runs.map((r) => ({ id: r.id, name: shownName(r, runs), color: colors.get(r.id) ?? '#888', document: r.document as GraphDocument | undefined })), [runs, colors]);

  const exportCsv = () => {
    download('tensorloom-runs.csv', new Blob([metricsCsv(loaded)], { type: 'text/csv' }));
  };
  const exportPng = async () => {
    const list = charts.flatMap((c) => (plots.current.get(c.metric) ? [{ title: METRIC_TITLES[c.metric] ?? c.metric, plot: plots.current.get(c.metric)! }] : []));
    const blob = await chartsPng(list, loaded);
    if (blob) download('tensorloom-comparison.png', blob);
  };

  return (
    <div className="cmp-view" data-testid="compare-view" data-ready={ready ? 'true' : undefined} data-runs={runs.length}>
      <div className="cmp-toolbar">
        <label>
          x axis{' '}
          <select value={axis} onChange={(e) => setAxis(e.target.value as XAxis)} data-testid="compare-axis">
            <option value="step">step</option>
            <option value="epoch">epoch</option>
            <option value="time">training time</option>
          </select>
        </label>
        <label title="TensorBoard's exponential moving average; the raw curve stays faint behind">
          smoothing{' '}
          <input type="range" min={0} max={0.99} step={0.01} value={smoothing} onChange={(e) => setSmoothing(Number(e.target.value))} data-testid="compare-smoothing" />{' '}
          <span className="mono">{smoothing.toFixed(2)}</span>
        </label>
        <span className="spacer" />
        <button type="button" className="btn small" onClick={exportCsv}  data-testid="compare-export-csv">
          Export CSV
        </button>
        <button type="button" className="btn small" onClick={() => void exportPng()} disabled={!ready} data-testid="compare-export-png">
          Export PNG
        </button>
      </div>
      {charts.length === 0 ? (
        <p className="muted">These runs logged no metrics yet.</p>
      ) : (
        <div className="cmp-charts">
          {charts.map(({ metric, chart }) =>
            chart.runs.length === 0 ? (
              <p key={metric} className="muted">
                {METRIC_TITLES[metric] ?? metric}: no run has a training time logged for this axis.
              </p>
            ) : (
              <CompareChart key={metric} metric={metric} title={METRIC_TITLES[metric] ?? metric} chart={chart} xLabel={AXIS_LABEL[axis]} onDrawn={onDrawn} />
            ),
          )}
        </div>
      )}
      <DiffPanel runs={diffRuns} />
    </div>
  );
}
