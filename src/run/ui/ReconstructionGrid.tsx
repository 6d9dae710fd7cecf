/**
 * The reconstruction evaluator: a grid of the same held-out images per epoch (clean, corrupted as
 * the model saw them, reconstructed), stepped through by epoch so the reconstructions can be seen
 * sharpening, beside the MSE and PSNR curves; and the held-out numbers once the run ends.
 */
import { useState } from 'react';
import type { ReconstructionEvaluation, ReconstructionGrid as Grid } from '../../protocol/events';
import { MetricChart, type ChartLine } from './MetricChart';
import { PixelCanvas } from './PixelCanvas';
import type { MetricStore } from './metric-series';

const MSE: ChartLine[] = [
  { key: 'epochMse', label: 'train', color: '#2f6feb' },
  { key: 'valMse', label: 'validation', color: '#e5484d' },
];
const PSNR: ChartLine[] = [
  { key: 'epochPsnr', label: 'train', color: '#2f6feb' },
  { key: 'valPsnr', label: 'validation', color: '#e5484d' },
];
const sci = (v: number) => (v === 0 ? '0' : Math.abs(v) < 0.01 ? v.toExponential(2) : v.toPrecision(3));
const db = (v: number) => `${v.toFixed(1)} dB`;

/** The MSE (on the [0, 1] pixel scale) and PSNR curves, per epoch. */
export function ReconstructionCharts({ metrics, version }: { metrics: MetricStore; version: number }) {
  return (
    <>
      <MetricChart title="Reconstruction MSE" lines={MSE} store={metrics} version={version} xLabel="step" format={sci} testId="chart-mse" />
      <MetricChart title="PSNR" lines={PSNR} store={metrics} version={version} xLabel="step" format={db} testId="chart-psnr" />
    </>
  );
}

/**
 * The grids of a run, one epoch at a time: follows the newest until the user steps back, and
 * follows again when they step to the newest.
 */
export function ReconstructionGrid({ grids }: { grids: readonly Grid[] }) {
  // null: follow the newest grid as epochs arrive.
  const [picked, setPicked] = useState<number | null>(null);
  if (grids.length === 0) {
    return (
      <p className="rp-empty" data-testid="reconstruction-grid-empty">
        Reconstructions of a few held-out images appear here at the end of each epoch.
      </p>
    );
  }
  const at = picked === null ? grids.length - 1 : Math.min(picked, grids.length - 1);
  const grid = grids[at]!;
  const go = (i: number) => setPicked(i >= grids.length - 1 ? null : Math.max(0, i));
  const rows: [string, Uint8Array[]][] = [
    ['input', grid.inputs],
    ...(grid.corrupted ? ([['corrupted', grid.corrupted]] as [string, Uint8Array[]][]) : []),
    ['reconstruction', grid.outputs],
  ];
  return (
    <section className="rp-recon" data-testid="reconstruction-grid" data-epoch={grid.epoch}>
      <div className="rp-recon-head">
        <h4>Reconstructions</h4>
        <button type="button" className="btn small" aria-label="Earlier epoch" disabled={at === 0} onClick={() => go(at - 1)}>
          ◀
        </button>
        <input
          type="range"
          min={0}
          max={grids.length - 1}
          value={at}
          aria-label="Epoch shown"
          disabled={grids.length < 2}
          onChange={(e) => go(Number(e.target.value))}
        />
        <button type="button" className="btn small" aria-label="Later epoch" disabled={at === grids.length - 1} onClick={() => go(at + 1)}>
          ▶
        </button>
        <span className="mono" data-testid="reconstruction-epoch">
          after epoch {grid.epoch}
        </span>
      </div>
      <table className="rp-recon-grid">
        <tbody>
          {rows.map(([name, images]) => (
            <tr key={name} data-testid={`reconstruction-row-${name}`}>
              <th scope="row">{name}</th>
              {images.map((pixels, i) => (
                <td key={i}>
                  <PixelCanvas pixels={pixels} shape={grid.shape} label={`${name} ${i + 1}, epoch ${grid.epoch}`} />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** The Evaluation tab of an autoencoder: held-out MSE and PSNR, and the grids of its epochs. */
export function ReconstructionReport({ report, grids }: { report: ReconstructionEvaluation; grids: readonly Grid[] }) {
  return (
    <div className="rp-eval" data-testid="reconstruction-report">
      <div className="rp-stats">
        <div className="rp-stat big" data-testid="reconstruction-psnr">
          <span>{report.split === 'test' ? 'Test PSNR' : 'Validation PSNR'}</span>
          <b>{Number.isFinite(report.psnr) ? db(report.psnr) : '—'}</b>
          <small>
            {report.count.toLocaleString('en-US')} images · MSE {sci(report.mse)} · loss {Number.isFinite(report.loss) ? report.loss.toFixed(4) : '—'}
          </small>
        </div>
      </div>
      <ReconstructionGrid grids={grids.length > 0 ? grids : report.grids} />
    </div>
  );
}
