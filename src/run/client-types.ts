/**
 * What the run panel sees of a training worker, whichever kind: the worker clients translate the
 * supervised and RL workers' own messages into these events, so the panel has one vocabulary.
 */
import type { Backend } from '../graph/plan';
import type { WorldSnapshot } from '../rl/highway/env';
import type { ImageSet } from '../data/cifar';
import type { FaultInjection } from '../protocol/liveness';
import type { SkippedBackend } from './runs-db-record';
import type { ExportedModel } from '../protocol/export-model';

export type { ExportedModel };

/**
 * How long one backend may take to start (its smoke test included) before the next is tried.
 * SwiftShader's WebGPU on a busy CPU needs well over the workers' 20 s default.
 */
export const BACKEND_START_TIMEOUT_MS = 60_000;

/** The backend that came up, and why the ones before it in the order did not. */
export interface BackendReport {
  used: Backend;
  skipped: SkippedBackend[];
}

/** One image's prediction, with its raw HWC pixels for drawing. */
export interface PredictionSample {
  index: number;
  label: number;
  predicted: number;
  confidence: number;
  pixels: Uint8Array;
}

export interface ClassificationEvaluation {
  kind: 'classification';
  /** Scored on the test batch when one was given, else on the validation split. */
  split: 'test' | 'validation';
  count: number;
  loss: number;
  accuracy: number;
  perClassAccuracy: number[];
  confusion: number[][];
  samples: PredictionSample[];
}

export interface PolicyScore {
  policy: 'agent' | 'idm' | 'random';
  label: string;
  episodes: number;
  meanReturn: number;
  meanSpeed: number;
  collisionRate: number;
}

export interface DrivingEvaluation {
  kind: 'driving';
  /** First of the held-out seeds the episodes were played on. */
  heldOutSeed: number;
  rows: PolicyScore[];
}

export type RunEvaluation = ClassificationEvaluation | DrivingEvaluation;

/** Supervised metrics of one optimizer step (validation values only at epoch ends). */
export interface StepMetrics {
  step: number;
  epoch: number;
  /** Fraction of the current epoch done, 0–1. */
  epochProgress: number;
  /** Planned optimizer steps of the whole run, once the worker knows the dataset size. */
  totalSteps?: number;
  loss?: number;
  accuracy?: number;
  learningRate?: number;
  imagesPerSecond?: number;
}

export interface EpochMetrics {
  epoch: number;
  step: number;
  loss?: number;
  accuracy?: number;
  valLoss?: number;
  valAccuracy?: number;
}

/** RL progress, reported every few environment steps. */
export interface RlMetrics {
  step: number;
  /** Planned environment steps of the whole run. */
  totalSteps?: number;
  episode: number;
  epsilon?: number;
  stepsPerSecond?: number;
  loss?: number;
  /** The return of an episode that just ended (one point per episode). */
  episodeReturn?: number;
  /** Averages over the last episodes. */
  meanReturn?: number;
  meanSpeed?: number;
  collisionRate?: number;
}

export type ClientEvent =
  | { type: 'status'; text: string }
  | { type: 'backend'; report: BackendReport }
  | { type: 'step'; metrics: StepMetrics }
  | { type: 'epoch'; metrics: EpochMetrics }
  | { type: 'rl'; metrics: RlMetrics }
  | { type: 'world'; snapshot: WorldSnapshot; caption?: string }
  | { type: 'evaluation'; evaluation: RunEvaluation }
  | { type: 'checkpoint'; epoch: number; step: number; payload: unknown; bytes: number }
  | { type: 'paused' }
  | { type: 'resumed' }
  | { type: 'done'; reason: 'completed' | 'stopped' }
  /**
   * `retryable`: another backend might work (a kernel or device failure, not a diverged loss or a
   * bad plan). `workerLost`: the worker itself died (closed, crashed, or its script never loaded).
   */
  | { type: 'failed'; message: string; backend?: Backend; retryable: boolean; workerLost?: boolean }
  /** The worker showed a sign of life (its heartbeat): it renews the run record's heartbeat. */
  | { type: 'alive' };

/** What starting a run needs besides the plan. */
export interface StartOptions {
  /** Backends to try, in order. */
  backends: readonly Backend[];
  /** A checkpoint to continue from (resume after an interruption). */
  checkpoint?: { payload: unknown; epoch: number; step: number };
  /** Supervised runs on CIFAR-10: the images, handed over (transferred) to the worker. */
  data?: { train: ImageSet; test?: ImageSet };
}

/** The part of a worker client the panel drives; one implementation per worker kind. */
export interface RunClient {
  start(options: StartOptions): Promise<void>;
  pause(): Promise<void>;
  resume(): Promise<void>;
  /** Asks the worker to stop at its next step boundary; resolves once the worker has taken the request. */
  stop(): Promise<void>;
  /**
   * The newest checkpoint the worker holds in memory (the trained model once the run ended), for
   * export when none could be stored; undefined when it has none or is gone.
   */
  latestCheckpoint(): Promise<unknown>;
  /** RL: plays one held-out episode with a driver, streaming `world` events for the driving view. */
  watch?(driver: PolicyScore['policy'], seed: number): Promise<void>;
  stopWatch?(): void;
  /** Ends the worker. */
  dispose(): void;
  /** Development builds: hands the worker a fault to act out (src/protocol/liveness.ts), for e2e tests. */
  injectFault?(fault: FaultInjection): void;
}
