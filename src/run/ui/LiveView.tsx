/**
 * Live metrics while a run trains: for supervised runs the epoch progress with ETA and charts of
 * loss, accuracy, learning rate and throughput; for RL the driving view over charts of episode
 * return, speed, collisions, ε and steps/s.
 */
import type { MetricStore } from './metric-series';
import { MetricChart, type ChartLine } from './MetricChart';
import { DrivingView } from './DrivingView';
import type { ReconstructionGrid as Grid } from '../../protocol/events';
import { ReconstructionCharts, ReconstructionGrid } from './ReconstructionGrid';
import { etaSeconds, formatDuration } from './frame-throttle';
import type { SessionFrame } from './run-session';
import { isActive } from './run-state';

const C = { train: '#2f6feb', val: '#e5484d', lr: '#8e4ec6', rate: '#22a06b', speed: '#f76808', crash: '#d1242f', eps: '#6e7781' };

const LOSS: ChartLine[] = [
  { key: 'loss', label: 'train', color: C.train },
  { key: 'valLoss', label: 'validation', color: C.val },
];
const ACCURACY: ChartLine[] = [
  { key: 'accuracy', label: 'train', color: C.train },
  { key: 'valAccuracy', label: 'validation', color: C.val },
];
const LR: ChartLine[] = [{ key: 'learningRate', label: 'lr', color: C.lr }];
const RATE: ChartLine[] = [{ key: 'imagesPerSecond', label: 'images/s', color: C.rate }];
const RETURN: ChartLine[] = [
  { key: 'episodeReturn', label: 'episode', color: '#9bb8f3' },
  { key: 'meanReturn', label: 'mean of last 20', color: C.train },
];
const SPEED: ChartLine[] = [{ key: 'meanSpeed', label: 'm/s, last 20', color: C.speed }];
const CRASH: ChartLine[] = [{ key: 'collisionRate', label: 'last 20', color: C.crash }];
const EPS: ChartLine[] = [{ key: 'epsilon', label: 'ε', color: C.eps }];
const ENTROPY: ChartLine[] = [{ key: 'entropy', label: 'nats', color: C.eps }];
const PG_LOSS: ChartLine[] = [
  { key: 'policyLoss', label: 'policy', color: C.train },
  { key: 'valueLoss', label: 'value', color: C.val },
];
const SPS: ChartLine[] = [{ key: 'stepsPerSecond', label: 'steps/s', color: C.rate }];

const pct = (v: number) => `${(v * 100).toFixed(v >= 0.995 ? 0 : 1)}%`;
const sci = (v: number) => (v === 0 ? '0' : Math.abs(v) < 0.01 ? v.toExponential(1) : v.toPrecision(2));
/** Rates: whole numbers once they are large, two significant digits while small (0.32 images/s on a slow GPU). */
const whole = (v: number) => (Math.abs(v) >= 10 ? v.toFixed(0) : v.toPrecision(2));

/** `reconstructions`: an autoencoder's grids so far (MSE and PSNR are charted instead of accuracy). */
export function SupervisedLive({ frame, metrics, reconstructions }: { frame: SessionFrame; metrics: MetricStore; reconstructions?: readonly Grid[] }) {
  const { progress } = frame.view;
  const epochsDone = progress.epoch + frame.epochProgress;
  const eta = etaSeconds(epochsDone, progress.epochs, frame.epochRate);
  const epochEta = etaSeconds(frame.epochProgress, 1, frame.epochRate);
  const v = frame.version;
  return (
    <div className="rp-live">
      <div className="rp-epoch" data-testid="epoch-progress">
        <span>
          {progress.budgetMs ? (
            <>
              Epoch <b className="mono">{progress.epoch + 1}</b> of a <b className="mono">{formatDuration(progress.budgetMs / 1000)}</b> budget
            </>
          ) : (
            <>
              Epoch <b className="mono">{Math.min(progress.epoch + 1, Math.max(1, progress.epochs))}</b> of <b className="mono">{progress.epochs || '—'}</b>
            </>
          )}
        </span>
        <span className="rp-progress-track" title={`${(frame.epochProgress * 100).toFixed(0)}% of this epoch`}>
          <span style={{ width: `${(frame.epochProgress * 100).toFixed(1)}%` }} />
        </span>
        {/* An ETA only while the run trains: a failed or stopped run will not finish. */}
        {isActive(frame.view.phase) && (
          <span className="muted mono" data-testid="run-eta">
            epoch ETA {formatDuration(epochEta)} · {progress.budgetMs ? `time left ${formatDuration((progress.timeLeftMs ?? progress.budgetMs) / 1000)}` : `run ETA ${formatDuration(eta)}`}
          </span>
        )}
      </div>
      <div className="rp-charts">
        <MetricChart title="Loss" lines={LOSS} store={metrics} version={v} xLabel="step" testId="chart-loss" />
        {reconstructions ? (
          <ReconstructionCharts metrics={metrics} version={v} />
        ) : (
          <MetricChart title="Accuracy" lines={ACCURACY} store={metrics} version={v} xLabel="step" format={pct} range={[0, 1]} testId="chart-accuracy" />
        )}
        <MetricChart title="Learning rate" lines={LR} store={metrics} version={v} xLabel="step" format={sci} testId="chart-lr" />
        <MetricChart title="Throughput" lines={RATE} store={metrics} version={v} xLabel="step" format={whole} testId="chart-throughput" />
      </div>
      {/* A new run starts following its newest grid again. */}
      {reconstructions && <ReconstructionGrid key={frame.view.phase === 'idle' ? '' : frame.view.runId} grids={reconstructions} />}
    </div>
  );
}

export function RlLive({ frame, metrics }: { frame: SessionFrame; metrics: MetricStore }) {
  const v = frame.version;
  const { progress } = frame.view;
  const eta = etaSeconds(progress.step, progress.steps, frame.rate);
  // REINFORCE and PPO explore by sampling their policy: no ε, their entropy and losses instead.
  const policyGradient = metrics.last('entropy') !== undefined;
  return (
    <div className="rp-rl-live">
      <DrivingView snapshot={frame.snapshot} version={v} {...(frame.snapshotCaption ? { caption: frame.snapshotCaption } : {})} />
      <div className="rp-stats">
        <Stat label="environment steps" value={`${progress.step.toLocaleString('en-US')} / ${progress.steps.toLocaleString('en-US')}`} />
        {policyGradient ? (
          <Stat label="policy entropy" value={fmt(metrics.last('entropy'), (x) => x.toFixed(3))} />
        ) : (
          <Stat label="ε" value={fmt(metrics.last('epsilon'), (x) => x.toFixed(3))} />
        )}
        <Stat label="steps/s" value={fmt(frame.rate || undefined, whole)} />
        <Stat label="mean return (last 20)" value={fmt(metrics.last('meanReturn'), (x) => x.toFixed(2))} />
        {isActive(frame.view.phase) && <Stat label="ETA" value={formatDuration(eta)} />}
      </div>
      <div className="rp-charts">
        <MetricChart title="Episode return" lines={RETURN} store={metrics} version={v} xLabel="env step" testId="chart-return" />
        <MetricChart title="Mean speed" lines={SPEED} store={metrics} version={v} xLabel="env step" testId="chart-speed" />
        <MetricChart title="Collision rate" lines={CRASH} store={metrics} version={v} xLabel="env step" format={pct} range={[0, 1]} testId="chart-collisions" />
        {policyGradient ? (
          <>
            <MetricChart title="Policy entropy" lines={ENTROPY} store={metrics} version={v} xLabel="env step" testId="chart-entropy" />
            <MetricChart title="Policy and value loss" lines={PG_LOSS} store={metrics} version={v} xLabel="env step" format={sci} testId="chart-pg-loss" />
          </>
        ) : (
          <MetricChart title="Exploration ε" lines={EPS} store={metrics} version={v} xLabel="env step" range={[0, 1]} testId="chart-epsilon" />
        )}
        <MetricChart title="Steps per second" lines={SPS} store={metrics} version={v} xLabel="env step" format={whole} testId="chart-sps" />
      </div>
    </div>
  );
}

function fmt(v: number | undefined, f: (x: number) => string): string {
  return v === undefined || !Number.isFinite(v) ? '—' : f(v);
}

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <div className="rp-stat">
      <span>{label}</span>
      <b>{value}</b>
    </div>
  );
}
