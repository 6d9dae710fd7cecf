/**
 * The RL training worker's API, drivers and evaluation reports; its events are in events.ts, shared
 * with the supervised worker. Types only, so the page imports them without pulling TF.js in.
 */
import type { WorldSnapshot } from '../rl/highway/env';
import type { Backend, ReinforcementPlan } from '../graph/plan';
import type { BackendAttempt, BackendChoice } from './backend';
import type { EpisodeReport, RecentStats, TrainerCheckpoint } from './rl-checkpoint';
import type { RlEvent, RunOutcome } from './events';

export type { BackendAttempt, EpisodeReport, RecentStats, TrainerCheckpoint, WorldSnapshot };
export type { EpisodeEvent, ProgressEvent, RlEvent } from './events';

/** Who drives in an evaluation: the trained agent (greedy) or a baseline. */
export type DriverKind = 'agent' | 'idm' | 'random';

export const DRIVER_LABEL: Record<DriverKind, string> = {
  agent: 'DQN agent',
  idm: 'IDM + MOBIL',
  random: 'random',
};

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

export interface EvaluationSettings {
  episodes: number;
  heldOutSeed: number;
  baselines: ('idm' | 'random')[];
}

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
  start(): Promise<RunOutcome>;
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
