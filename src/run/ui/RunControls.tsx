/**
 * The run panel's bar: which plan, which backend (auto = the plan's order, or one), the Run /
 * Pause / Resume / Stop / Export buttons, the status line with the backend that runs (and why
 * others were skipped) and the newest stored checkpoint, and overall progress.
 */
import { DEFAULT_BACKEND_PREFERENCE, type Backend, type TrainingPlan } from '../../graph/plan';
import type { SessionFrame } from './run-session';
import { isActive } from './run-state';
import { formatDuration } from './frame-throttle';

export interface RunControlsProps {
  plan: TrainingPlan | null;
  frame: SessionFrame;
  backendRequest: 'auto' | Backend;
  onBackendRequest(b: 'auto' | Backend): void;
  /** Why a backend looks unavailable here (null when it looks fine). */
  availability: Record<Backend, string | null>;
  /** Why Run is disabled, when it is. */
  blocked: string | null;
  onRun(): void;
  onPause(): void;
  onResume(): void;
  onStop(): void;
  onExport(): void;
  onExportPyTorch(): void;
  canExport: boolean;
  /** The newest stored checkpoint of the run going on, in words ("after epoch 1"); absent before the first. */
  saved?: string;
  open: boolean;
  onToggle(): void;
}

/** "ResNet-20 on CIFAR-10 · supervised · 274.0 k params" */
export function planLine(plan: TrainingPlan): string {
  const params = plan.model.trainableParams;
  const size = params >= 1e6 ? `${(params / 1e6).toFixed(2)} M` : params >= 1e3 ? `${(params / 1e3).toFixed(1)} k` : String(params);
  const kind = plan.mode === 'rl' ? String(plan.agent.params.algorithm ?? 'dqn').toUpperCase() : 'supervised';
  return `${plan.name} · ${kind} · ${size} params`;
}

function progressOf(frame: SessionFrame): { fraction: number; text: string } | null {
  const p = frame.view.progress;
  if (p.budgetMs) {
    // A time budget: the bar is the training time used, the text the time left.
    const left = p.timeLeftMs ?? p.budgetMs;
    return { fraction: Math.min(1, Math.max(0, 1 - left / p.budgetMs)), text: `${formatDuration(left / 1000)} left` };
  }
  if (p.epochs > 0) {
    const done = Math.min(p.epochs, p.epoch + (isActive(frame.view.phase) ? frame.epochProgress : 0));
    return { fraction: done / p.epochs, text: `epoch ${Math.min(p.epoch + 1, p.epochs)}/${p.epochs}` };
  }
  if (p.steps > 0) return { fraction: Math.min(1, p.step / p.steps), text: `${p.step.toLocaleString('en-US')}/${p.steps.toLocaleString('en-US')} steps` };
  return null;
}

export function RunControls(props: RunControlsProps) {
  const { plan, frame, backendRequest, availability } = props;
  const view = frame.view;
  const active = isActive(view.phase);
  const progress = progressOf(frame);
  const order = plan?.backendPreference ?? DEFAULT_BACKEND_PREFERENCE;
  const backend = view.phase === 'idle' ? undefined : view.backend;
  const used = backend?.used;
  return (
    <header className="rp-bar">
      <h2 className="panel-title">Run</h2>
      <select
          title={`Backend. auto tries ${order.join(' → ')} and uses the first that trains`}
          aria-label="Backend"
          data-testid="backend-select"
          value={backendRequest}
          disabled={active}
          onChange={(e) => props.onBackendRequest(e.target.value as 'auto' | Backend)}
        >
          <option value="auto">auto: {order[0]} first</option>
          {DEFAULT_BACKEND_PREFERENCE.map((b) => (
            <option key={b} value={b}>
              {b}
              {availability[b] ? ` (${availability[b]})` : ''}
            </option>
          ))}
        </select>
      {!active ? (
        <button type="button" className="btn primary" data-testid="run-button" disabled={props.blocked !== null} title={props.blocked ?? 'Start training'} onClick={props.onRun}>
          ▶ Run
        </button>
      ) : view.phase === 'paused' ? (
        <button type="button" className="btn primary" data-testid="resume-button" onClick={props.onResume}>
          ▶ Resume
        </button>
      ) : (
        <button type="button" className="btn" data-testid="pause-button" disabled={view.phase !== 'running'} onClick={props.onPause}>
          ❚❚ Pause
        </button>
      )}
      <button type="button" className="btn danger" data-testid="stop-button" disabled={!active || view.phase === 'stopping'} onClick={props.onStop}>
        ■ Stop
      </button>
      {/* Nothing to export while a run goes: the room goes to its status. */}
      {!active && (
        <>
          <button type="button" className="btn" data-testid="export-button" disabled={!props.canExport} onClick={props.onExport} title="Download model.json and weights (TF.js format)">
            ⤓ Export
          </button>
          <button type="button" className="btn" data-testid="export-pytorch-button" disabled={!props.canExport} onClick={props.onExportPyTorch} title="Download a PyTorch project of this graph with this run's trained weights (.zip)">
            ⤓ PyTorch
          </button>
        </>
      )}
      <div className="rp-status rp-grow" data-testid="run-status" data-phase={view.phase}>
        <span className={`rp-dot ${view.phase}`} />
        <span className="rp-status-text" data-testid="run-status-text" title={view.phase === 'failed' ? view.error : view.status}>
          {view.phase === 'idle' && props.blocked ? props.blocked : view.status}
        </span>
        {used && (
          <span className="rp-chip" data-testid="backend-used" title={backend!.skipped.map((s) => `${s.backend} skipped: ${s.reason}`).join('\n') || 'first choice'}>
            {used}
          </span>
        )}
        {backend?.skipped.map((s) => (
          <span key={s.backend} className="rp-chip skipped" title={s.reason} data-testid="backend-skipped">
            {s.backend}
          </span>
        ))}
        {active && props.saved && (
          <span className="rp-chip saved" data-testid="run-saved" title={`The checkpoint ${props.saved} is stored in this browser: after a reload or a crash, Resume continues from it.`}>
            saved {props.saved}
          </span>
        )}
        {backend?.measured && (
          <span className="muted mono" data-testid="backend-timings" title="auto timed one training step of this graph on each backend and trains on the fastest">
            {backend.measured.map((t) => `${t.backend} ${t.stepMs < 10 ? t.stepMs.toFixed(1) : Math.round(t.stepMs)} ms`).join(' · ')} a step
          </span>
        )}
      </div>
      {progress && (
        <span className="rp-progress" data-testid="run-progress">
          <span className="rp-progress-track">
            <span style={{ width: `${(progress.fraction * 100).toFixed(1)}%` }} />
          </span>
          {progress.text}
        </span>
      )}
      <button type="button" className="btn ghost small rp-toggle" aria-expanded={props.open} onClick={props.onToggle} title={props.open ? 'Collapse' : 'Expand'}>
        {props.open ? '▾' : '▴'}
      </button>
    </header>
  );
}
