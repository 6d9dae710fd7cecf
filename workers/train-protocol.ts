/**
 * What the training worker says while it runs: plain, structured-clone-safe events. Types only, so
 * the page (src/run) imports them without pulling TF.js in.
 */
import type { Backend } from '../src/graph/plan';
import type { ImageSet } from '../src/run/cifar';
import type { BackendAttempt } from './backend';
import type { Checkpoint } from './checkpoint';
import type { EvaluationReport } from './trainer-evaluate';

export type { BackendAttempt, Checkpoint, EvaluationReport, ImageSet };

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
