/**
 * A supervised run's lifecycle as a discriminated union, advanced by a pure reducer over the
 * training worker's events and the user's few requests. The worker's messages are events, never
 * direct state writes; the UI renders whatever state comes out.
 */
import type { Backend } from '../graph/plan';
import type { BackendAttempt, EpochEvent, EvaluationReport, FailureKind, StepEvent, TrainEvent } from '../protocol/train';

/** What every state after `idle` carries along. */
export interface RunContext {
  /** The backends to try, in order, as the run was started with. */
  preference: readonly Backend[];
  attempts: BackendAttempt[];
  backend?: Backend;
  /** The latest worker status line, e.g. "compiling webgpu kernels (first step)". */
  status?: string;
  lastStep?: StepEvent;
  epochs: EpochEvent[];
  evaluation?: { split: 'test' | 'validation'; report: EvaluationReport };
  lastCheckpoint?: { epoch: number; step: number; bytes: number };
}

export type RunState =
  | { phase: 'idle' }
  | ({ phase: 'starting' } & RunContext)
  | ({ phase: 'compiling' } & RunContext)
  | ({ phase: 'running' } & RunContext)
  | ({ phase: 'paused' } & RunContext)
  | ({ phase: 'stopping' } & RunContext)
  | ({ phase: 'done'; reason: 'completed' | 'stopped' } & RunContext)
  | ({
      phase: 'failed';
      reason: string;
      kind: FailureKind;
      /** The backend to offer a retry on, when the failure may be the backend's fault. */
      nextBackend?: Backend;
    } & RunContext);

export type RunPhase = RunState['phase'];

/** The user's requests; the worker's confirmations arrive as {@link TrainEvent}s. */
export type RunRequest =
  | { type: 'start'; preference: readonly Backend[] }
  | { type: 'stop-requested' }
  | { type: 'reset' };

export type RunAction = RunRequest | TrainEvent;

export const initialRunState: RunState = { phase: 'idle' };

/** True while a worker is busy with the run. */
export function isActive(state: RunState): boolean {
  return state.phase === 'starting' || state.phase === 'compiling' || state.phase === 'running' || state.phase === 'paused' || state.phase === 'stopping';
}

/** The backend after `current` in `preference`, for "retry on the next backend". */
export function nextBackendAfter(preference: readonly Backend[], current: Backend): Backend | undefined {
  const i = preference.indexOf(current);
  return i < 0 ? undefined : preference[i + 1];
}

/** Failures that another backend might not have: not a diverged loss, a bad plan or missing data. */
const BACKEND_FAULT: ReadonlySet<FailureKind> = new Set(['backend', 'unknown']);

function context(state: Exclude<RunState, { phase: 'idle' }>): RunContext {
  const { preference, attempts, backend, status, lastStep, epochs, evaluation, lastCheckpoint } = state;
  return {
    preference,
    attempts,
    epochs,
    ...(backend ? { backend } : {}),
    ...(status !== undefined ? { status } : {}),
    ...(lastStep ? { lastStep } : {}),
    ...(evaluation ? { evaluation } : {}),
    ...(lastCheckpoint ? { lastCheckpoint } : {}),
  };
}

function failed(ctx: RunContext, kind: FailureKind, reason: string, backend: Backend | undefined): RunState {
  const next = backend && BACKEND_FAULT.has(kind) ? nextBackendAfter(ctx.preference, backend) : undefined;
  return { phase: 'failed', ...ctx, reason, kind, ...(next ? { nextBackend: next } : {}) };
}

/** Advances the run. Events that do not fit the current phase leave the state unchanged. */
export function runReducer(state: RunState, action: RunAction): RunState {
  if (action.type === 'reset') return isActive(state) ? state : initialRunState;
  if (action.type === 'start') {
    if (isActive(state)) return state;
    return { phase: 'starting', preference: action.preference, attempts: [], epochs: [] };
  }
  if (state.phase === 'idle' || state.phase === 'done' || state.phase === 'failed') return state;
  const ctx = context(state);
  const keep = (patch: Partial<RunContext>): RunState => ({ ...state, ...patch });
  switch (action.type) {
    case 'stop-requested':
      return state.phase === 'starting' ? state : { phase: 'stopping', ...ctx };
    case 'backend':
      return state.phase === 'starting' ? { phase: 'starting', ...ctx, backend: action.backend, attempts: action.attempts } : state;
    case 'status':
      if (action.phase === 'compiling' && state.phase === 'starting') return { phase: 'compiling', ...ctx, status: action.text };
      return keep({ status: action.text });
    case 'step':
      if (state.phase === 'starting' || state.phase === 'compiling') return { phase: 'running', ...ctx, lastStep: action };
      return keep({ lastStep: action });
    case 'epoch':
      return keep({ epochs: [...ctx.epochs, action] });
    case 'paused':
      return state.phase === 'running' ? { phase: 'paused', ...ctx } : state;
    case 'resumed':
      return state.phase === 'paused' ? { phase: 'running', ...ctx } : state;
    case 'checkpoint':
      return keep({
        lastCheckpoint: { epoch: action.checkpoint.epoch, step: action.checkpoint.step, bytes: action.checkpoint.weightData.byteLength + (action.checkpoint.optimizer?.data.byteLength ?? 0) },
      });
    case 'evaluation':
      return keep({ evaluation: { split: action.split, report: action.report } });
    case 'done':
      return { phase: 'done', ...ctx, reason: action.reason };
    case 'failed':
      return failed(ctx, action.kind, action.reason, action.backend ?? ctx.backend);
  }
}
