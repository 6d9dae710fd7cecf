/**
 * The run panel's view of one run as a discriminated phase plus what is known about it, advanced
 * by a pure reducer over the user's requests and the worker client's events. Metrics themselves
 * go to a MetricStore; this holds what the controls and status line need.
 */
import { DEFAULT_BACKEND_PREFERENCE, type Backend } from '../../graph/plan';
import type { BackendReport, ClientEvent, RunEvaluation } from '../client-types';
import type { RunProgress, RunRecord, RunStatus } from '../runs-db-record';

export type SessionPhase = 'idle' | 'starting' | 'running' | 'paused' | 'stopping' | 'completed' | 'stopped' | 'failed' | 'interrupted';

export interface SessionView {
  phase: SessionPhase;
  /** One line for the status bar. */
  status: string;
  runId?: string;
  error?: string;
  /** The backend a retryable failure happened on, so the panel can offer the next one. */
  failedBackend?: Backend;
  backend?: BackendReport;
  progress: RunProgress;
  evaluation?: RunEvaluation;
  /** Set once the first step is done: until then a WebGPU run is compiling its kernels. */
  stepped: boolean;
}

export type SessionAction =
  | ClientEvent
  | { type: 'start-requested'; runId: string; progress: RunProgress; resumed?: boolean }
  | { type: 'pause-requested' }
  | { type: 'resume-requested' }
  | { type: 'stop-requested' }
  | { type: 'start-failed'; message: string }
  | { type: 'show-record'; run: RunRecord };

export const IDLE: SessionView = { phase: 'idle', status: 'Ready', progress: { epoch: 0, epochs: 0, step: 0, steps: 0 }, stepped: false };

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

/** The backend to offer after a failure on `failed`: the next one in the default order. */
export function nextBackend(failed: Backend | undefined): Backend | undefined {
  if (!failed) return undefined;
  const i = DEFAULT_BACKEND_PREFERENCE.indexOf(failed);
  return i >= 0 ? DEFAULT_BACKEND_PREFERENCE[i + 1] : undefined;
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
      };
    case 'start-failed':
      return { ...s, phase: 'failed', status: 'Could not start', error: a.message };
    case 'show-record': {
      const r = a.run;
      const phase: SessionPhase = r.status === 'running' ? 'interrupted' : r.status;
      return {
        phase,
        status: r.status === 'interrupted' ? 'Interrupted by a reload: resume from the last checkpoint' : `Run ${r.status}`,
        runId: r.id,
        progress: r.progress,
        stepped: true,
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
    default:
      return reduceClientEvent(s, a);
  }
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
      return { ...s, phase: e.reason, status: e.reason === 'completed' ? 'Finished' : 'Stopped' };
    case 'failed': {
      const backend = e.backend ?? s.backend?.used;
      return { ...s, phase: 'failed', status: 'Failed', error: e.message, ...(backend && e.retryable ? { failedBackend: backend } : {}) };
    }
    default:
      return s;
  }
}
