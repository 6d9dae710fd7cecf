/**
 * The supervised training worker's API and what it takes and reports besides its events (which
 * are in events.ts, shared with the RL worker). Types only, so the page imports them without TF.js.
 */
import type { Backend } from '../graph/plan';
import type { SupervisedPlan } from '../graph/plan';
import type { BackendAttempt, BackendChoice } from './backend';
import type { Checkpoint } from './checkpoint';
import type { ImageSet } from './image-set';
import type { RunOutcome, TrainEvent } from './events';

export type { BackendAttempt, Checkpoint, ImageSet };
export type { EpochEvent, FailureKind, StepEvent, TrainEvent, WorkerStage } from './events';

/** Images the page hands the worker (CIFAR-10 from upload or cache); it splits them per the plan. */
export interface SourceImages {
  train: ImageSet;
  /** The official test batch, used by the final evaluation when present. */
  test?: ImageSet;
}

/** One image's prediction, for the evaluator's gallery. */
export interface SamplePrediction {
  /** Index into the evaluated set. */
  index: number;
  label: number;
  predicted: number;
  /** Probability the model gives its predicted class. */
  confidence: number;
  /** The raw HWC pixels, so the page can draw the image without the dataset at hand. */
  pixels: Uint8Array;
}

export interface EvaluationReport {
  count: number;
  loss: number;
  accuracy: number;
  /** Accuracy per true class; NaN for a class with no images in the set. */
  perClassAccuracy: number[];
  /** `confusion[true][predicted]` image counts. */
  confusion: number[][];
  samples: SamplePrediction[];
}

export interface InitOptions {
  /** Backends to try in order; the plan's preference when omitted. */
  backendPreference?: readonly Backend[];
  /**
   * Give up on a backend that takes longer than this to start (ms, default 60 s). Starting
   * includes a training smoke test, which software WebGPU needs tens of seconds to compile.
   */
  backendTimeoutMs?: number;
  /** Continue from a checkpoint of an earlier run of the same plan (its epoch and step). */
  resumeFrom?: Checkpoint;
  /** The newest checkpoint of the run `plan.initFrom` names: the layers to start from (matched by node id and shape). */
  initWeights?: Checkpoint;
}

/** The worker's API as seen through `Comlink.wrap`; every method returns a Promise there. */
export interface TrainWorkerApi {
  /**
   * Chooses a backend (trying each in order and reporting why earlier ones were skipped) and keeps
   * the plan and the event callback. Rejects with the attempts when no backend can train; a
   * `failed` event with kind `backend` is emitted too.
   */
  init(plan: SupervisedPlan, options: InitOptions, onEvent: (event: TrainEvent) => void): Promise<BackendChoice>;
  /** Hands over CIFAR-10 images (transfer their buffers); not needed for a synthetic dataset. */
  setData(images: SourceImages): void;
  /** Trains to the end; resolves with how the run ended. Rejects when `init` did not succeed. */
  start(): Promise<RunOutcome>;
  /** Pauses at the next step boundary; a `paused` event confirms. */
  pause(): void;
  resume(): void;
  /** Stops at the next step boundary; the run ends with a checkpoint and `done: stopped`. */
  stop(): void;
  /**
   * The latest checkpoint of this worker's run (a copy the worker keeps, since the emitted one's
   * buffer was transferred), for export; undefined before the first epoch ends.
   */
  latestCheckpoint(): Checkpoint | undefined;
}
