/**
 * The run panel's view of one run as a discriminated phase plus what is known about it, advanced
 * by a pure reducer over the user's requests and the worker client's events. Metrics themselves
 * go to a MetricStore; this holds what the controls and status line need.
 */
import type { Backend } from '../../graph/plan';
import type { BackendReport, ClientEvent, RunEvaluation } from '../client-types';
import type { RunProgress, RunRecord, RunStatus } from '../runs-db-record';

export type SessionPhase =
  | 'idle'
  | 'starting'
  | 'running'
  | 'paused'
  | 'stopping'
  | 'completed'
  /** Trained to the end, but the final checkpoint could not be stored: the weights live only in this page. */
  | 'completed-without-checkpoint'
  | 'stopped'
  | 'failed'
  | 'interrupted';

export interface SessionView {
  phase: SessionPhase;
  /** One line for the status bar. */
  status: string;
  runId?: string;
  error?: string;
  /** The backend a retryable failure happened on, so the panel can offer the next one. */
  failedBackend?: Backend;
  /** The run's own backend order (its plan's), which the next backend to offer comes from. */
  backendOrder: readonly Backend[];
  backend?: BackendReport;
  progress: RunProgress;
  evaluation?: RunEvaluation;
  /** Set once the first step is done: until then a WebGPU run is compiling its kernels. */
  stepped: boolean;
  /** Something the user must know while the run goes on (a checkpoint that could not be stored). */
  warning?: string;
  /** The worker itself died (closed, crashed, never loaded), as opposed to training failing in it. */
  workerLost?: boolean;
}

export type SessionAction =
  | ClientEvent
  | { type: 'start-requested'; runId: string; progress: RunProgress; backendOrder: readonly Backend[]; resumed?: boolean }
  | { type: 'pause-requested' }
  | { type: 'resume-requested' }
  | { type: 'stop-requested' }
  | { type: 'start-failed'; message: string }
  | { type: 'show-record'; run: RunRecord }
  /** A checkpoint could not be stored; `message` says why and what to free. */
  | { type: 'checkpoint-failed'; message: string }
  /** A checkpoint was stored: an earlier warning about storing them no longer holds. */
  | { type: 'checkpoint-stored' }
  /**
   * The run ended, its checkpoint writes settled. `checkpointLost`: its last checkpoint is not
   * stored (why, in words); `forced`: the worker did not answer Stop in time and was ended.
   */
  | { type: 'run-ended'; reason: 'completed' | 'stopped'; checkpointLost?: string; forced?: boolean };

export const IDLE: SessionView = { phase: 'idle', status: 'Ready', progress: { epoch: 0, epochs: 0, step: 0, steps: 0 }, stepped: false, backendOrder: [] };

export function isActive(phase: SessionPhase): boolean {
  return phase === 'starting' || phase === 'running' || phase === 'paused' || phase === 'stopping';
}

/** Stored status for a phase; undefined for phases that are not stored (idle). */
export function storedStatus(phase: SessionPhase): RunStatus | undefined {
  switch (phase) {
    case 'starting':
    case 'running':
    case 'stopping':
      return 'running';
    case 'idle':
      return undefined;
    default:
      return phase;
  }
}

/**
 * The backend to offer after a retryable failure: the one after the failed backend in the run's own
 * order (an RL run goes wasm → webgpu → webgl → cpu, a supervised one webgpu → webgl → wasm → cpu).
 */
export function nextBackend(view: Pick<SessionView, 'failedBackend' | 'backendOrder'>): Backend | undefined {
  if (!view.failedBackend) return undefined;
  const i = view.backendOrder.indexOf(view.failedBackend);
  return i >= 0 ? view.backendOrder[i + 1] : undefined;
}

function recordStatusText(phase: SessionPhase): string {
  switch (phase) {
    case 'interrupted':
      return 'Interrupted (the page was reloaded or closed while it trained): resume it from its last checkpoint';
    case 'completed':
      return 'Finished';
    case 'completed-without-checkpoint':
      return 'Finished without checkpoint: the trained weights were not stored';
    default:
      return `Run ${phase}`;
  }
}

function firstStepStatus(backend: Backend): string {
  return backend === 'webgpu' ? 'Compiling WebGPU kernels for the first step…' : `Running the first step on ${backend}…`;
}

export function reduceSession(s: SessionView, a: SessionAction): SessionView {
  switch (a.type) {
    case 'start-requested':
      return {
        phase: 'starting',
        status: a.resumed ? 'Resuming from the last checkpoint…' : 'Starting the worker…',
        runId: a.runId,
        progress: a.progress,
        stepped: false,
        backendOrder: a.backendOrder,
      };
    case 'start-failed':
      return { ...s, phase: 'failed', status: 'Could not start', error: a.message };
    case 'show-record': {
      const r = a.run;
      const phase: SessionPhase = r.status === 'running' || r.status === 'paused' ? 'interrupted' : r.status;
      return {
        phase,
        status: recordStatusText(phase),
        runId: r.id,
        progress: r.progress,
        stepped: true,
        backendOrder: r.plan.backendPreference,
        ...(r.error ? { error: r.error } : {}),
        ...(r.backend ? { backend: { used: r.backend, skipped: r.skippedBackends } } : {}),
        ...(r.evaluation ? { evaluation: r.evaluation as RunEvaluation } : {}),
      };
    }
    case 'pause-requested':
      return s.phase === 'running' ? { ...s, status: 'Pausing after this step…' } : s;
    case 'resume-requested':
      return s.phase === 'paused' ? { ...s, status: 'Resuming…' } : s;
    case 'stop-requested':
      return isActive(s.phase) ? { ...s, phase: 'stopping', status: 'Stopping…' } : s;
    case 'checkpoint-failed':
      return isActive(s.phase) ? { ...s, warning: a.message } : s;
    case 'checkpoint-stored': {
      if (!s.warning) return s;
      const { warning: _, ...rest } = s;
      return rest;
    }
    case 'run-ended':
      return isActive(s.phase) ? ended(s, a) : s;
    default:
      return reduceClientEvent(s, a);
  }
}

function ended(s: SessionView, a: Extract<SessionAction, { type: 'run-ended' }>): SessionView {
  if (a.reason === 'completed' && a.checkpointLost) {
    return { ...s, phase: 'completed-without-checkpoint', status: 'Finished without checkpoint', warning: a.checkpointLost };
  }
  if (a.reason === 'completed') return { ...s, phase: 'completed', status: 'Finished' };
  const status = a.forced ? 'Stopped (the worker did not answer in time and was ended; its stored checkpoints are kept)' : 'Stopped';
  return { ...s, phase: 'stopped', status, ...(a.checkpointLost ? { warning: a.checkpointLost } : {}) };
}

function reduceClientEvent(s: SessionView, e: ClientEvent): SessionView {
  // A finished run ignores stragglers still in flight from its worker.
  if (!isActive(s.phase)) return s;
  switch (e.type) {
    case 'status':
      return s.phase === 'stopping' ? s : { ...s, status: e.text.charAt(0).toUpperCase() + e.text.slice(1) };
    case 'backend':
      return { ...s, backend: e.report, status: s.stepped ? s.status : firstStepStatus(e.report.used) };
    case 'step': {
      const m = e.metrics;
      const phase = s.phase === 'starting' ? 'running' : s.phase;
      return {
        ...s,
        phase,
        stepped: true,
        status: phase === 'running' && !/^Evaluat/.test(s.status) ? `Training: epoch ${m.epoch + 1} of ${s.progress.epochs || '?'}` : s.status,
        progress: { ...s.progress, step: m.step, epoch: Math.max(s.progress.epoch, m.epoch), ...(m.totalSteps ? { steps: m.totalSteps } : {}) },
      };
    }
    case 'epoch':
      return { ...s, progress: { ...s.progress, epoch: Math.max(s.progress.epoch, e.metrics.epoch), step: e.metrics.step } };
    case 'rl': {
      const phase = s.phase === 'starting' ? 'running' : s.phase;
      return {
        ...s,
        phase,
        stepped: true,
        status: phase === 'running' && !/^Evaluat/.test(s.status) ? `Training: episode ${e.metrics.episode + 1}` : s.status,
        progress: { ...s.progress, step: e.metrics.step, ...(e.metrics.totalSteps ? { steps: e.metrics.totalSteps } : {}) },
      };
    }
    case 'evaluation':
      return { ...s, evaluation: e.evaluation };
    case 'paused':
      return s.phase === 'stopping' ? s : { ...s, phase: 'paused', status: 'Paused' };
    case 'resumed':
      return s.phase === 'stopping' ? s : { ...s, phase: 'running', status: 'Training' };
    case 'done':
      return ended(s, { type: 'run-ended', reason: e.reason });
    case 'failed': {
      const backend = e.backend ?? s.backend?.used;
      return {
        ...s,
        phase: 'failed',
        status: 'Failed',
        error: e.message,
        ...(backend && e.retryable && !e.workerLost ? { failedBackend: backend } : {}),
        ...(e.workerLost ? { workerLost: true } : {}),
      };
    }
    default:
      return s;
  }
}
