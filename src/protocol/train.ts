/**
 * What the training worker says while it runs: plain, structured-clone-safe events. Types only, so
 * the page (src/run) imports them without pulling TF.js in.
 */
import type { Backend } from '../graph/plan';
import type { SupervisedPlan } from '../graph/plan';
import type { BackendAttempt, BackendChoice } from './backend';
import type { Checkpoint } from './checkpoint';
import type { ImageSet } from './image-set';

export type { BackendAttempt, Checkpoint, ImageSet };

/** Where a run is in its life, as told by `status` events. */
export type RunPhase = 'backend' | 'loading' | 'building' | 'compiling' | 'training' | 'evaluating';

/** One training step's numbers. Sent at most ~20 times a second; intermediate steps are folded in. */
export interface StepEvent {
  type: 'step';
  /** Optimizer steps taken (1-based), and the run's total. */
  step: number;
  totalSteps: number;
  /** 0-based epoch and 1-based step within it. */
  epoch: number;
  epochStep: number;
  stepsPerEpoch: number;
  /** Mean loss and accuracy over the steps since the previous step event. */
  loss: number;
  acc: number;
  /** Learning rate of the latest step. */
  lr: number;
  /** Training throughput since the previous step event, pauses excluded. */
  imagesPerSec: number;
  /** Training time so far in ms, pauses excluded. */
  elapsedMs: number;
}

export interface EpochEvent {
  type: 'epoch';
  /** 0-based index of the epoch just finished. */
  epoch: number;
  trainLoss: number;
  trainAcc: number;
  /** Absent when the dataset holds no validation images. */
  valLoss?: number;
  valAcc?: number;
  elapsedMs: number;
}

export type TrainEvent =
  | { type: 'backend'; backend: Backend; attempts: BackendAttempt[] }
  | { type: 'status'; phase: RunPhase; text: string }
  | StepEvent
  | EpochEvent
  | { type: 'paused'; step: number }
  | { type: 'resumed'; step: number }
  | { type: 'checkpoint'; checkpoint: Checkpoint }
  /** The evaluator's report on the test images (or validation images when there is no test set). */
  | { type: 'evaluation'; split: 'test' | 'validation'; report: EvaluationReport }
  | { type: 'done'; reason: 'completed' | 'stopped'; step: number; elapsedMs: number }
  | { type: 'failed'; kind: FailureKind; reason: string; backend?: Backend };

/**
 * Why a run failed: `diverged` (NaN/Infinity loss), `backend` (a kernel or device failed; another
 * backend may work), `plan` (the plan cannot be trained), `data` (no or bad images), `unknown`.
 */
export type FailureKind = 'diverged' | 'backend' | 'plan' | 'data' | 'unknown';

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

/** How a run ended. */
export type RunOutcome = 'completed' | 'stopped' | 'failed';

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
