/**
 * The run's lifecycle on the page: one phase plus what is known about the run, advanced by one
 * pure reducer over the user's requests and the workers' events (src/protocol/events.ts, as they
 * arrive). Metrics themselves go to the MetricStore; this holds what the controls and status line
 * need.
 */
import type { Backend } from '../../graph/plan';
import { RETRYABLE_FAILURES, type BackendReport, type RunEvaluation, type RunEvent } from '../../protocol/events';
import type { RunProgress, RunRecord, RunStatus } from '../runs-db-record';

/** Where a run is in its life, as the panel shows it (and, through `storedStatus`, the runs database). */
export type RunPhase =
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

/** The run on screen: its phase and what the controls and the status line show. */
export interface RunView {
  phase: RunPhase;
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

/** The user's requests, the run record's and writer's news, and every event the worker sends. */
export type RunAction =
  | RunEvent
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

export const IDLE: RunView = { phase: 'idle', status: 'Ready', progress: { epoch: 0, epochs: 0, step: 0, steps: 0 }, stepped: false, backendOrder: [] };

export function isActive(phase: RunPhase): boolean {
  return phase === 'starting' || phase === 'running' || phase === 'paused' || phase === 'stopping';
}

/** Stored status for a phase; undefined for phases that are not stored (idle). */
export function storedStatus(phase: RunPhase): RunStatus | undefined {
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
export function nextBackend(view: Pick<RunView, 'failedBackend' | 'backendOrder'>): Backend | undefined {
  if (!view.failedBackend) return undefined;
  const i = view.backendOrder.indexOf(view.failedBackend);
  return i >= 0 ? view.backendOrder[i + 1] : undefined;
}

function recordStatusText(phase: RunPhase): string {
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

/** Advances the run; events that do not fit its phase leave it unchanged. */
export function reduceRun(s: RunView, a: RunAction): RunView {
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
      const phase: RunPhase = r.status === 'running' || r.status === 'paused' ? 'interrupted' : r.status;
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
      return reduceWorkerEvent(s, a);
  }
}

function ended(s: RunView, a: Extract<RunAction, { type: 'run-ended' }>): RunView {
  if (a.reason === 'completed' && a.checkpointLost) {
    return { ...s, phase: 'completed-without-checkpoint', status: 'Finished without checkpoint', warning: a.checkpointLost };
  }
  if (a.reason === 'completed') return { ...s, phase: 'completed', status: 'Finished' };
  const status = a.forced ? 'Stopped (the worker did not answer in time and was ended; its stored checkpoints are kept)' : 'Stopped';
  return { ...s, phase: 'stopped', status, ...(a.checkpointLost ? { warning: a.checkpointLost } : {}) };
}

function reduceWorkerEvent(s: RunView, e: RunEvent): RunView {
  // A finished run ignores stragglers still in flight from its worker.
  if (!isActive(s.phase)) return s;
  switch (e.type) {
    case 'status':
      return s.phase === 'stopping' ? s : { ...s, status: e.text.charAt(0).toUpperCase() + e.text.slice(1) };
    case 'backend':
      return { ...s, backend: e.report, status: s.stepped ? s.status : firstStepStatus(e.report.used) };
    case 'step': {
      const phase = s.phase === 'starting' ? 'running' : s.phase;
      return {
        ...s,
        phase,
        stepped: true,
        status: phase === 'running' && !/^Evaluat/.test(s.status) ? `Training: epoch ${e.epoch + 1} of ${s.progress.epochs || '?'}` : s.status,
        progress: { ...s.progress, step: e.step, epoch: Math.max(s.progress.epoch, e.epoch), steps: e.totalSteps || s.progress.steps },
      };
    }
    case 'epoch':
      return { ...s, progress: { ...s.progress, epoch: Math.max(s.progress.epoch, e.epoch), step: e.step } };
    case 'progress': {
      const phase = s.phase === 'starting' ? 'running' : s.phase;
      return {
        ...s,
        phase,
        stepped: true,
        status: phase === 'running' && !/^Evaluat/.test(s.status) ? `Training: episode ${e.episode + 1}` : s.status,
        progress: { ...s.progress, step: e.step, steps: e.totalSteps || s.progress.steps },
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
      const workerLost = e.kind === 'worker-lost';
      return {
        ...s,
        phase: 'failed',
        status: 'Failed',
        error: e.message,
        ...(backend && RETRYABLE_FAILURES.has(e.kind) ? { failedBackend: backend } : {}),
        ...(workerLost ? { workerLost: true } : {}),
      };
    }
    default:
      return s;
  }
}
