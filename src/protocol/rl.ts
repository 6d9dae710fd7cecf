/**
 * What the RL training worker says while it runs: plain, structured-clone-safe events. Types only,
 * so the page (src/run) imports them without pulling TF.js in.
 */
import type { WorldSnapshot } from '../rl/highway/env';
import type { Backend, ReinforcementPlan } from '../graph/plan';
import type { BackendAttempt, BackendChoice } from './backend';
import type { EpisodeReport, RecentStats, TrainerCheckpoint } from './rl-checkpoint';

export type { BackendAttempt, EpisodeReport, RecentStats, TrainerCheckpoint, WorldSnapshot };

export type RlPhase = 'backend' | 'building' | 'training' | 'evaluating';

/** Who drives in an evaluation: the trained agent (greedy) or a baseline. */
export type DriverKind = 'agent' | 'idm' | 'random';

export const DRIVER_LABEL: Record<DriverKind, string> = {
  agent: 'DQN agent',
  idm: 'IDM + MOBIL',
  random: 'random',
};

/** Training progress, sent at `progressIntervalMs` (default ~15 Hz) or once per step when steps are slower. */
export interface RlProgressEvent {
  type: 'progress';
  /** Environment steps taken, and the run's total. */
  step: number;
  totalSteps: number;
  /** Episodes finished. */
  episode: number;
  epsilon: number;
  /** Huber loss of the latest gradient step; null before learning starts. */
  loss: number | null;
  /** Environment steps per second since the previous progress event, pauses excluded. */
  stepsPerSecond: number;
  elapsedMs: number;
  /** Averages over the last episodes (up to 20). */
  recent: RecentStats;
  /** The training environment's world now, for the driving view; null for non-highway environments. */
  frame: WorldSnapshot | null;
}

/** One driver's held-out score (the fields of src/run's `PolicyScore`, plus the per-episode returns). */
export interface DriverScore {
  policy: DriverKind;
  label: string;
  episodes: number;
  meanReturn: number;
  meanSpeed: number;
  collisionRate: number;
  returns: number[];
}

export interface DrivingReport {
  /** Seeds heldOutSeed … heldOutSeed + episodes − 1, never used for training. */
  heldOutSeed: number;
  episodes: number;
  rows: DriverScore[];
}

/** Why a run failed: `backend` (a kernel or device failed), `plan` (cannot be trained), `unknown`. */
export type RlFailureKind = 'backend' | 'plan' | 'unknown';

export type RlEvent =
  | { type: 'backend'; backend: Backend; attempts: BackendAttempt[] }
  | { type: 'status'; phase: RlPhase; text: string }
  | RlProgressEvent
  | { type: 'episode'; report: EpisodeReport }
  | { type: 'paused'; step: number }
  | { type: 'resumed'; step: number }
  /** The run so far, replay buffer included; sent at the end, on stop, and every `checkpointEverySteps`. */
  | { type: 'checkpoint'; step: number; checkpoint: TrainerCheckpoint }
  | { type: 'evaluation-progress'; policy: DriverKind; episode: number; episodes: number }
  | { type: 'evaluation'; report: DrivingReport }
  | { type: 'done'; reason: 'completed' | 'stopped'; step: number; elapsedMs: number }
  | { type: 'failed'; kind: RlFailureKind; reason: string; backend?: Backend };

export interface EvaluationSettings {
  episodes: number;
  heldOutSeed: number;
  baselines: ('idm' | 'random')[];
}

/** How a run ended. */
export type RlOutcome = 'completed' | 'stopped' | 'failed';

export interface RlInitOptions {
  /**
   * Backends to try in order; the plan's preference when omitted. A DQN steps one observation at a
   * time and reads Q-values back every step, so wasm usually beats the GPU backends here.
   */
  backendPreference?: readonly Backend[];
  /** Give up on a backend that takes longer than this to start (ms, default 20 s). */
  backendTimeoutMs?: number;
  /** Continue a run from a checkpoint event's payload. */
  resumeFrom?: TrainerCheckpoint;
  /** Also emit a checkpoint every this many steps (default: only at the end and on stop). */
  checkpointEverySteps?: number;
}

/** The worker's API as seen through `Comlink.wrap`; every method returns a Promise there. */
export interface RlWorkerApi {
  /** Chooses a backend and keeps the plan and the event callback; rejects when no backend works. */
  init(plan: ReinforcementPlan, options: RlInitOptions, onEvent: (event: RlEvent) => void): Promise<BackendChoice>;
  /** Trains, then evaluates when the plan has an Evaluator; resolves with how the run ended. */
  start(): Promise<RlOutcome>;
  pause(): void;
  resume(): void;
  /** Stops at the next step boundary; a checkpoint and `done: stopped` follow. */
  stop(): void;
  /** A checkpoint of the run now, replay buffer included unless `includeReplay` is false. */
  checkpoint(includeReplay?: boolean): Promise<TrainerCheckpoint>;
  /** Plays one episode for the driving view, a snapshot per simulation substep, paced in real time. */
  watch(driver: DriverKind, seed: number, onFrame: (frame: WorldSnapshot) => void, realTime?: boolean): Promise<{ return: number; crashed: boolean; meanSpeed: number }>;
  /** Ends a `watch` in progress. */
  stopWatch(): void;
}
