/**
 * The supervised evaluation: test accuracy, per-class accuracy bars, the confusion matrix as a
 * heatmap table, and a gallery of sample predictions drawn from their raw pixels.
 */
import type { ClassificationEvaluation, PredictionSample } from '../client-types';
import { PixelCanvas } from './PixelCanvas';

const pct = (v: number) => (Number.isFinite(v) ? `${(v * 100).toFixed(1)}%` : '—');

/** Row-normalized cell shade: how much of a true class went to each prediction. */
function cellStyle(count: number, rowTotal: number, diagonal: boolean): React.CSSProperties {
  const share = rowTotal > 0 ? count / rowTotal : 0;
  const hue = diagonal ? '47, 111, 235' : '209, 36, 47';
  return { background: `rgba(${hue}, ${(0.08 + 0.85 * share).toFixed(3)})`, color: share > 0.55 ? '#fff' : undefined };
}

export function ConfusionMatrix({ confusion, classNames }: { confusion: number[][]; classNames: readonly string[] }) {
  return (
    <table className="rp-confusion" data-testid="confusion-matrix" aria-label="Confusion matrix: rows are true classes, columns predicted">
      <thead>
        <tr>
          <th className="rp-corner">true ↓ pred →</th>
          {classNames.map((c) => (
            <th key={c} scope="col" title={c}>
              <span>{c.slice(0, 5)}</span>
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {confusion.map((row, i) => {
          const total = row.reduce((a, b) => a + b, 0);
          return (
            <tr key={i}>
              <th scope="row">{classNames[i] ?? i}</th>
              {row.map((n, j) => (
                <td key={j} style={cellStyle(n, total, i === j)} title={`${classNames[i]} → ${classNames[j]}: ${n}`}>
                  {n > 0 ? n : ''}
                </td>
              ))}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

export function PerClassAccuracy({ values, classNames }: { values: number[]; classNames: readonly string[] }) {
  return (
    <ul className="rp-perclass" data-testid="per-class-accuracy">
      {values.map((v, i) => (
        <li key={i}>
          <span className="rp-perclass-name">{classNames[i] ?? i}</span>
          <span className="rp-meter">
            <span style={{ width: `${Number.isFinite(v) ? v * 100 : 0}%` }} />
          </span>
          <span className="mono">{pct(v)}</span>
        </li>
      ))}
    </ul>
  );
}

export function SampleGrid({ samples, classNames, shape }: { samples: PredictionSample[]; classNames: readonly string[]; shape: readonly number[] }) {
  return (
    <div className="rp-samples" data-testid="sample-predictions">
      {samples.map((s) => {
        const right = s.label === s.predicted;
        return (
          <figure key={s.index} className={right ? 'ok' : 'wrong'}>
            <PixelCanvas pixels={s.pixels} shape={shape} />
            <figcaption>
              <span title="true label">{classNames[s.label] ?? s.label}</span>
              <span className="rp-pred" title={`predicted, ${pct(s.confidence)} confident`}>
                {right ? '✓' : '✗'} {classNames[s.predicted] ?? s.predicted}
              </span>
            </figcaption>
          </figure>
        );
      })}
    </div>
  );
}

export function ClassificationReport({ report, classNames, shape }: { report: ClassificationEvaluation; classNames: readonly string[]; shape: readonly number[] }) {
  return (
    <div className="rp-eval" data-testid="classification-report">
      <div className="rp-eval-head">
        <div className="rp-stat big" data-testid="test-accuracy">
          <span>{report.split === 'test' ? 'Test accuracy' : 'Validation accuracy'}</span>
          <b>{pct(report.accuracy)}</b>
          <small>
            {report.count.toLocaleString('en-US')} images · loss {Number.isFinite(report.loss) ? report.loss.toFixed(3) : '—'}
            {report.flipAveraged ? ' · flip-averaged' : ''}
            {report.weightAverageDecay ? ` · weight average ${report.weightAverageDecay}` : ''}
          </small>
        </div>
        <PerClassAccuracy values={report.perClassAccuracy} classNames={classNames} />
      </div>
      <div className="rp-eval-body">
        <section>
          <h4>Confusion matrix</h4>
          <ConfusionMatrix confusion={report.confusion} classNames={classNames} />
        </section>
        <section>
          <h4>Sample predictions</h4>
          <SampleGrid samples={report.samples} classNames={classNames} shape={shape} />
        </section>
      </div>
    </div>
  );
}
