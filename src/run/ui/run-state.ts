/**
 * The run's lifecycle on the page: one union keyed by phase, each phase carrying exactly what it
 * has, advanced by one pure reducer over the user's requests and the workers' events
 * (src/protocol/events.ts, as they arrive). Metrics themselves go to the MetricStore; this holds
 * what the controls and status line need.
 */
import type { Backend } from '../../graph/plan';
import { RETRYABLE_FAILURES, type BackendReport, type RunEvaluation, type RunEvent } from '../../protocol/events';
import type { RunProgress, RunRecord, RunStatus } from '../runs-db-record';
import { formatDuration } from './frame-throttle';

/** What every phase shows: one line for the status bar, and how far the run got. */
interface RunLine {
  /** One line for the status bar. */
  status: string;
  progress: RunProgress;
}

/** What is known of a run once there is one: its record, its plan's backend order, its results. */
interface RunFacts extends RunLine {
  runId: string;
  /** The run's own backend order (its plan's), which the next backend to offer comes from. */
  backendOrder: readonly Backend[];
  backend?: BackendReport;
  evaluation?: RunEvaluation;
}

/** No run on screen. */
export interface IdleRun extends RunLine {
  phase: 'idle';
}

/** A run with a worker: starting → running ⇄ paused → stopping. */
export interface ActiveRun extends RunFacts {
  phase: 'starting' | 'running' | 'paused' | 'stopping';
  /** Set once the first step is done: until then a WebGPU run is compiling its kernels. */
  stepped: boolean;
  /** Something the user must know while the run goes on (a checkpoint that could not be stored). */
  warning?: string;
}

export interface CompletedRun extends RunFacts {
  phase: 'completed';
}

/** Trained to the end, but the final checkpoint could not be stored: the weights live only in this page. */
export interface CompletedWithoutCheckpointRun extends RunFacts {
  phase: 'completed-without-checkpoint';
  /** Why the final checkpoint is not stored, and what to free. */
  warning: string;
}

export interface StoppedRun extends RunFacts {
  phase: 'stopped';
  /** Set when its stop point could not be stored (it resumes from the checkpoint before). */
  warning?: string;
}

export interface FailedRun extends RunFacts {
  phase: 'failed';
  error: string;
  /** The backend a retryable failure happened on, so the panel can offer the next one. */
  failedBackend?: Backend;
  /** The worker itself died (closed, crashed, never loaded), as opposed to training failing in it: offer a fresh start. */
  workerLost: boolean;
}

/** Was live when the page that drove it went away: resumable from its last checkpoint. */
export interface InterruptedRun extends RunFacts {
  phase: 'interrupted';
}

/** The run on screen; a phase holds only what it can have (a failed run its error, a live one its steps). */
export type RunView = IdleRun | ActiveRun | CompletedRun | CompletedWithoutCheckpointRun | StoppedRun | FailedRun | InterruptedRun;

/** Where a run is in its life, as the panel shows it (and, through `storedStatus`, the runs database). */
export type RunPhase = RunView['phase'];

/** The user's requests, the run record's and writer's news, and every event the worker sends. */
export type RunAction =
  | RunEvent
  | { type: 'start-requested'; runId: string; progress: RunProgress; backendOrder: readonly Backend[]; resumed?: boolean }
  | { type: 'pause-requested' }
  | { type: 'resume-requested' }
  | { type: 'stop-requested' }
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

export const IDLE: RunView = { phase: 'idle', status: 'Ready', progress: { epoch: 0, epochs: 0, step: 0, steps: 0 } };

export function isActive(phase: RunPhase): phase is ActiveRun['phase'] {
  return phase === 'starting' || phase === 'running' || phase === 'paused' || phase === 'stopping';
}

/** Whether the run on screen has a worker (narrows the view to {@link ActiveRun}). */
export function isActiveRun(view: RunView): view is ActiveRun {
  return isActive(view.phase);
}

/** What the user must know about the run on screen beyond its status: a checkpoint that was not stored. */
export function warningOf(view: RunView): string | undefined {
  return view.phase === 'idle' || view.phase === 'completed' || view.phase === 'failed' || view.phase === 'interrupted' ? undefined : view.warning;
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
export function nextBackend(view: RunView): Backend | undefined {
  if (view.phase !== 'failed' || !view.failedBackend) return undefined;
  const i = view.backendOrder.indexOf(view.failedBackend);
  return i >= 0 ? view.backendOrder[i + 1] : undefined;
}

function firstStepStatus(backend: Backend): string {
  return backend === 'webgpu' ? 'Compiling WebGPU kernels for the first step…' : `Running the first step on ${backend}…`;
}

/** What a run keeps from phase to phase. */
function factsOf(s: RunFacts): RunFacts {
  return {
    status: s.status,
    progress: s.progress,
    runId: s.runId,
    backendOrder: s.backendOrder,
    ...(s.backend ? { backend: s.backend } : {}),
    ...(s.evaluation ? { evaluation: s.evaluation } : {}),
  };
}

/** A stored run as the panel shows it: a live status with no page driving it is interrupted. */
function fromRecord(r: RunRecord): RunView {
  const facts: RunFacts = {
    status: '',
    runId: r.id,
    progress: r.progress,
    backendOrder: r.plan.backendPreference,
    ...(r.backend ? { backend: { used: r.backend, skipped: r.skippedBackends } } : {}),
    ...(r.evaluation ? { evaluation: r.evaluation as RunEvaluation } : {}),
  };
  switch (r.status) {
    case 'completed':
      return { ...facts, phase: 'completed', status: 'Finished' };
    case 'completed-without-checkpoint':
      return {
        ...facts,
        phase: 'completed-without-checkpoint',
        status: 'Finished without checkpoint: the trained weights were not stored',
        warning: 'The final checkpoint could not be stored, so the trained weights are not in this browser.',
      };
    case 'stopped':
      return { ...facts, phase: 'stopped', status: 'Run stopped' };
    case 'failed':
      return { ...facts, phase: 'failed', status: 'Run failed', error: r.error ?? 'no reason was stored', workerLost: false };
    case 'running':
    case 'paused':
    case 'interrupted':
      return { ...facts, phase: 'interrupted', status: 'Interrupted (the page was reloaded or closed while it trained): resume it from its last checkpoint' };
  }
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
    case 'show-record':
      return fromRecord(a.run);
    case 'pause-requested':
      return s.phase === 'running' ? { ...s, status: 'Pausing after this step…' } : s;
    case 'resume-requested':
      return s.phase === 'paused' ? { ...s, status: 'Resuming…' } : s;
    case 'stop-requested':
      return isActiveRun(s) ? { ...s, phase: 'stopping', status: 'Stopping…' } : s;
    case 'checkpoint-failed':
      return isActiveRun(s) ? { ...s, warning: a.message } : s;
    case 'checkpoint-stored': {
      if (!isActiveRun(s) || !s.warning) return s;
      const { warning: _, ...rest } = s;
      return rest;
    }
    case 'run-ended':
      return isActiveRun(s) ? ended(s, a) : s;
    default:
      // A finished run ignores stragglers still in flight from its worker.
      return isActiveRun(s) ? reduceWorkerEvent(s, a) : s;
  }
}

function ended(s: ActiveRun, a: Extract<RunAction, { type: 'run-ended' }>): RunView {
  const facts = factsOf(s);
  // Only a lost last checkpoint outlives the run: a warning cleared by a later stored one is gone already.
  if (a.reason === 'completed' && a.checkpointLost) {
    return { ...facts, phase: 'completed-without-checkpoint', status: 'Finished without checkpoint', warning: a.checkpointLost };
  }
  if (a.reason === 'completed') return { ...facts, phase: 'completed', status: 'Finished' };
  const status = a.forced ? 'Stopped (the worker did not answer in time and was ended; its stored checkpoints are kept)' : 'Stopped';
  return { ...facts, phase: 'stopped', status, ...(a.checkpointLost ? { warning: a.checkpointLost } : {}) };
}

/** Training status while the run trains, unless an evaluation is being reported. */
function trainingStatus(s: ActiveRun, phase: ActiveRun['phase'], text: string): string {
  return phase === 'running' && !/^Evaluat/.test(s.status) ? text : s.status;
}

function reduceWorkerEvent(s: ActiveRun, e: RunEvent): RunView {
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
        status: trainingStatus(
          s,
          phase,
          e.timeLeftMs !== undefined ? `Training: epoch ${e.epoch + 1}, ${formatDuration(e.timeLeftMs / 1000)} left` : `Training: epoch ${e.epoch + 1} of ${s.progress.epochs || '?'}`,
        ),
        progress: {
          ...s.progress,
          step: e.step,
          epoch: Math.max(s.progress.epoch, e.epoch),
          steps: e.totalSteps || s.progress.steps,
          ...(e.timeLeftMs !== undefined ? { timeLeftMs: e.timeLeftMs } : {}),
        },
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
        status: trainingStatus(s, phase, `Training: episode ${e.episode + 1}`),
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
      return {
        ...factsOf(s),
        phase: 'failed',
        status: 'Failed',
        error: e.message,
        workerLost: e.kind === 'worker-lost',
        ...(backend && RETRYABLE_FAILURES.has(e.kind) ? { failedBackend: backend } : {}),
      };
    }
    default:
      return s;
  }
}
