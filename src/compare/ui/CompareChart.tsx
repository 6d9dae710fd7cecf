/**
 * One metric of several runs on one uPlot chart: each run's raw curve faint behind its smoothed
 * curve, in the run's colour. Hovering shows every run's value at that x (the last point at or
 * before it, so runs logged at different steps all answer), written straight into the readout so
 * a mouse move repaints no React tree.
 */
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { valueAt, type ChartData } from '../compare-data';

export interface CompareChartProps {
  metric: string;
  title: string;
  chart: ChartData;
  xLabel: string;
  /** Called after each draw, with the uPlot, so the view can tell when all charts are drawn and export them. */
  onDrawn(metric: string, plot: uPlot): void;
  width?: number;
  height?: number;
}

function faint(color: string): string {
  return `${color}4d`;
}

function format(v: number): string {
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? v.toExponential(3) : v.toPrecision(4);
}

export function CompareChart({ metric, title, chart, xLabel, onDrawn, width = 420, height = 200 }: CompareChartProps) {
  const host = useRef<HTMLDivElement>(null);
  const readout = useRef<HTMLDivElement>(null);
  const drawn = useRef(onDrawn);
  drawn.current = onDrawn;

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const series: uPlot.Series[] = [{ label: xLabel }];
    chart.runs.forEach((run, i) => {
      // A run with few points (an epoch metric of a short run) shows them: one point draws no line.
      const few = chart.traces[i]!.x.length <= 32;
      series.push({ label: `${run.name} (raw)`, stroke: faint(run.color), width: 1, spanGaps: true, points: { show: false } });
      series.push({ label: run.name, stroke: run.color, width: 1.75, spanGaps: true, points: { show: few, size: 6, fill: run.color } });
    });
    const showValues = (u: uPlot) => {
      const out = readout.current;
      const idx = u.cursor.idx;
      if (!out) return;
      if (idx === null || idx === undefined) {
        out.textContent = '';
        return;
      }
      const x = chart.data[0][idx]!;
      const parts = chart.runs.map((run, i) => {
        const v = valueAt(chart.traces[i]!, x);
        return `<span style="color:${run.color}">■</span> ${escapeHtml(run.name)}: ${v === undefined ? '—' : format(v)}`;
      });
      out.innerHTML = `<b>${xLabel} ${format(x)}</b> · ${parts.join(' · ')}`;
    };
    const plot = new uPlot(
      {
        width,
        height,
        legend: { show: false },
        cursor: { drag: { x: true, y: false } },
        scales: { x: { time: false } },
        axes: [{ label: xLabel, size: 36 }, { size: 56, values: (_u, ticks) => ticks.map(format) }],
        series,
        hooks: { setCursor: [showValues], draw: [(u) => drawn.current(metric, u)] },
      },
      chart.data as uPlot.AlignedData,
      el,
    );
    return () => plot.destroy();
  }, [chart, metric, xLabel, width, height]);

  return (
    <figure className="cmp-chart" data-testid={`compare-chart-${metric}`} data-runs={chart.runs.length}>
      <figcaption>{title}</figcaption>
      <div ref={host} />
      <div className="cmp-readout mono" ref={readout} data-testid="compare-readout" />
    </figure>
  );
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}
