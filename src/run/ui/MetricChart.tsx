/**
 * One live line chart (uPlot) of a few metrics from a {@link MetricStore}. The chart is created once
 * and fed with `setData` whenever the throttled `version` changes, so a redraw is a canvas repaint,
 * not a React render of thousands of points.
 */
import { useEffect, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { alignSeries, type MetricStore } from './metric-series';

export interface ChartLine {
  /** Metric name in the store. */
  key: string;
  label: string;
  color: string;
  dash?: number[];
}

export interface MetricChartProps {
  title: string;
  lines: readonly ChartLine[];
  store: MetricStore;
  /** Changes when the chart should redraw (the throttled store version). */
  version: number;
  xLabel: string;
  /** Formats the headline value and the axis ticks. */
  format?: (v: number) => string;
  /** Fixed y range, e.g. [0, 1] for accuracies. */
  range?: [number, number];
  height?: number;
  testId?: string;
}

/**
 * Chart work runs one job per task (a MessageChannel message each), queued by key with the latest
 * job for a key winning. A run's panel mounts several charts at once and redraws them all on every
 * metrics update, and with the training worker busy on every core the page gets only a share of the
 * CPU: building or redrawing them all in one task could hold the main thread past 50 ms.
 */
const pendingJobs = new Map<object, () => void>();
let jobChannel: MessageChannel | null = null;
function soon(key: object, job: () => void): () => void {
  const idle = pendingJobs.size === 0;
  pendingJobs.delete(key);
  pendingJobs.set(key, job);
  if (!jobChannel) {
    jobChannel = new MessageChannel();
    jobChannel.port1.onmessage = () => {
      const next = pendingJobs.entries().next();
      if (next.done) return;
      pendingJobs.delete(next.value[0]);
      next.value[1]();
      if (pendingJobs.size > 0) jobChannel!.port2.postMessage(0);
    };
  }
  if (idle) jobChannel.port2.postMessage(0);
  return () => {
    if (pendingJobs.get(key) === job) pendingJobs.delete(key);
  };
}

const defaultFormat = (v: number) => (Math.abs(v) >= 1000 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toPrecision(3));

export function MetricChart({ title, lines, store, version, xLabel, format = defaultFormat, range, height = 132, testId }: MetricChartProps) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);

  // Created once per set of lines; data arrives through setData below.
  const linesKey = lines.map((l) => l.key).join('|');
  const [created, setCreated] = useState(0);
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    let dispose: (() => void) | undefined;
    const cancel = soon(el, () => {
      dispose = createPlot(el);
      setCreated((c) => c + 1);
    });
    return () => {
      cancel();
      dispose?.();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- lines are identified by linesKey
  }, [linesKey, height, xLabel]);

  function createPlot(el: HTMLDivElement): () => void {
    const opts: uPlot.Options = {
      width: Math.max(160, el.clientWidth),
      height,
      legend: { show: false },
      cursor: { drag: { x: false, y: false }, points: { size: 5 } },
      scales: { x: { time: false }, y: range ? { range: () => range } : { auto: true } },
      axes: [
        { stroke: '#656d76', grid: { stroke: '#eef0f3', width: 1 }, ticks: { show: false }, size: 24, font: '10px system-ui', label: xLabel, labelSize: 12, labelFont: '10px system-ui' },
        { stroke: '#656d76', grid: { stroke: '#eef0f3', width: 1 }, ticks: { show: false }, size: 42, font: '10px system-ui', values: (_u, vals) => vals.map((v) => (v == null ? '' : format(v))) },
      ],
      // uPlot draws point markers only while the data is sparse, so the first steps are visible.
      series: [{}, ...lines.map((l) => ({ label: l.label, stroke: l.color, width: 1.6, spanGaps: true, points: { size: 5, fill: l.color }, ...(l.dash ? { dash: l.dash } : {}) }))],
    };
    const u = new uPlot(opts, [[], ...lines.map(() => [])], el);
    plot.current = u;
    const resize = new ResizeObserver(() => {
      const w = Math.max(160, el.clientWidth);
      if (w !== u.width) u.setSize({ width: w, height });
    });
    resize.observe(el);
    return () => {
      resize.disconnect();
      u.destroy();
      plot.current = null;
    };
  }

  useEffect(() => {
    const u = plot.current;
    if (!u) return;
    soon(u, () => {
      if (plot.current !== u) return;
      const data = alignSeries(lines.map((l) => store.get(l.key)?.snapshot()));
      u.setData(data as uPlot.AlignedData);
      if (host.current) host.current.dataset.points = String(data[0].length);
    });
  }, [version, store, linesKey, lines, created]);

  return (
    <figure className="rp-chart" data-testid={testId}>
      <figcaption>
        <span className="rp-chart-title">{title}</span>
        <span className="rp-chart-legend">
          {lines.map((l) => {
            const last = store.last(l.key);
            return (
              <span key={l.key} className="rp-legend-item" data-metric={l.key}>
                <i style={{ background: l.color }} />
                {l.label}
                <b className="mono">{last === undefined ? '—' : format(last)}</b>
              </span>
            );
          })}
        </span>
      </figcaption>
      <div ref={host} className="rp-chart-plot" data-points="0" />
    </figure>
  );
}
