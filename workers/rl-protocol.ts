/**
 * What the RL training worker says while it runs: plain, structured-clone-safe events. Types only,
 * so the page (src/run) imports them without pulling TF.js in.
 */
import type { Backend } from '../src/graph/plan';
import type { WorldSnapshot } from '../src/rl/highway/env';
import type { BackendAttempt } from './backend';
import type { EpisodeReport, RecentStats, TrainerCheckpoint } from './rl-trainer';

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
