/**
 * What the run panel drives of a training worker, whichever kind. The events it hears are the
 * workers' own (src/protocol/events.ts), passed through unchanged.
 */
import type { Backend } from '../graph/plan';
import type { ImageSet } from '../data/cifar';
import type { FaultInjection } from '../protocol/liveness';
import type { ExportedModel } from '../protocol/export-model';
import type { PolicyScore } from '../protocol/events';

export type { ExportedModel };
export type {
  BackendReport,
  ClassificationEvaluation,
  DrivingEvaluation,
  PolicyScore,
  PredictionSample,
  RunEvaluation,
  RunEvent,
} from '../protocol/events';

/**
 * How long one backend may take to start (its smoke test included) before the next is tried.
 * SwiftShader's WebGPU on a busy CPU needs well over the workers' 20 s default.
 */
export const BACKEND_START_TIMEOUT_MS = 60_000;

/** What starting a run needs besides the plan. */
export interface StartOptions {
  /** Backends to try, in order. */
  backends: readonly Backend[];
  /** A checkpoint to continue from (resume after an interruption). */
  checkpoint?: { payload: unknown; epoch: number; step: number };
  /** Supervised plans with `initFrom`: that run's newest checkpoint payload, when the runs database has one. */
  initWeights?: unknown;
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
