/**
 * The one event vocabulary from worker to chart: what both training workers send, what the page's
 * run reducer folds and what the metric store charts, with the same names all the way (a field
 * the store charts is named as its series). Types only, so the page imports them without TF.js.
 *
 * Epochs are counted one way everywhere: `epoch` is the number of epochs completed — in a step
 * event the epochs done before the one in progress (so also its 0-based index), in an epoch event
 * those done including the one just finished, in a checkpoint those the checkpoint contains.
 */
import type { Backend } from '../graph/plan';
import type { WorldSnapshot } from '../rl/highway/env';
import type { Checkpoint } from './checkpoint';
import type { BackendTiming } from './backend';
import type { TrainerCheckpoint } from './rl-checkpoint';

/** What a worker is busy with, as told by `status` events (the page shows the text). */
export type WorkerStage = 'backend' | 'loading' | 'building' | 'compiling' | 'training' | 'evaluating';

/** A backend that was tried and not used, and why. */
export interface SkippedBackend {
  backend: Backend;
  reason: string;
}

/** The backend that came up, and why the ones before it in the order did not. */
export interface BackendReport {
  used: Backend;
  skipped: SkippedBackend[];
  /** `auto` chose by measurement: each candidate's training-step time, fastest (the one used) first. */
  measured?: BackendTiming[];
}

/**
 * Why a run failed: `diverged` (NaN/Infinity loss), `backend` (a kernel or device failed; another
 * backend may work), `plan` (the plan cannot be trained), `data` (no or bad images), `unknown`,
 * `worker-lost` (the worker itself died, was closed, or its script never loaded: the page's
 * watchdog says so, never the worker).
 */
export type FailureKind = 'diverged' | 'backend' | 'plan' | 'data' | 'unknown' | 'worker-lost';

/** Failures another backend might not have; a diverged loss or a bad plan fails everywhere. */
export const RETRYABLE_FAILURES: ReadonlySet<FailureKind> = new Set(['backend', 'unknown']);

/** How a run ended: what either worker's `start()` resolves with. */
export type RunOutcome = 'completed' | 'stopped' | 'failed';

/** One image's prediction, with its raw HWC pixels so the page can draw it without the dataset. */
export interface PredictionSample {
  /** Index into the evaluated set. */
  index: number;
  label: number;
  predicted: number;
  /** Probability the model gives its predicted class. */
  confidence: number;
  pixels: Uint8Array;
}

/** The evaluator's report on a classifier. */
export interface ClassificationEvaluation {
  kind: 'classification';
  /** Scored on the test batch when one was given, else on the validation split. */
  split: 'test' | 'validation';
  count: number;
  loss: number;
  accuracy: number;
  /** Accuracy per true class; NaN for a class with no images in the set. */
  perClassAccuracy: number[];
  /** `confusion[true][predicted]` image counts. */
  confusion: number[][];
  samples: PredictionSample[];
  /** Each image's prediction averaged with its mirror image's (the Evaluator's flip averaging); absent in older runs. */
  flipAveraged?: boolean;
  /** The decay of the weight average scored instead of the trained weights (the Optimizer's EMA); absent when none. */
  weightAverageDecay?: number;
}

/** One driver's held-out score. */
export interface PolicyScore {
  policy: 'agent' | 'idm' | 'random';
  label: string;
  episodes: number;
  meanReturn: number;
  meanSpeed: number;
  collisionRate: number;
}

/** The agent and the baseline drivers on the same held-out seeds. */
export interface DrivingEvaluation {
  kind: 'driving';
  /** First of the held-out seeds the episodes were played on. */
  heldOutSeed: number;
  rows: PolicyScore[];
  /** Where the Agent kept the best: the weights it drives with and how they were chosen. */
  kept?: {
    step: number;
    validationReturn: number;
    validations: number;
    validationEpisodes: number;
    /** When the best few were validated again on new episodes: the episodes `validationReturn` averages over. */
    confirmedOn?: number;
  };
}

/**
 * A few fixed held-out images through an autoencoder at one epoch's end, as HWC 0–255 pixels: the
 * clean image, what the model saw (absent when nothing corrupts) and what it made of it. The same
 * images and the same corruption every epoch, so the grids compare across epochs.
 */
export interface ReconstructionGrid {
  /** Epochs completed when it was drawn. */
  epoch: number;
  /** [height, width, channels] of each image. */
  shape: [number, number, number];
  inputs: Uint8Array[];
  corrupted?: Uint8Array[];
  outputs: Uint8Array[];
}

/** The evaluator's report on an autoencoder: the held-out reconstruction error, and grids from the epochs. */
export interface ReconstructionEvaluation {
  kind: 'reconstruction';
  split: 'test' | 'validation';
  count: number;
  loss: number;
  /** Mean squared error on the [0, 1] pixel scale, and its PSNR in dB. */
  mse: number;
  psnr: number;
  /** Grids in epoch order (thinned to six for a long run), the final one last. */
  grids: ReconstructionGrid[];
}

export type RunEvaluation = ClassificationEvaluation | DrivingEvaluation | ReconstructionEvaluation;

/** Supervised: one or more optimizer steps (folded in when steps come faster than ~20 a second). */
export interface StepEvent {
  type: 'step';
  /** Optimizer steps taken (1-based), and the run's total. */
  step: number;
  totalSteps: number;
  /** Epochs completed before the one in progress (its 0-based index). */
  epoch: number;
  /** Steps done within the epoch in progress (1-based), and its length. */
  epochStep: number;
  stepsPerEpoch: number;
  /** Mean loss and accuracy over the steps since the previous step event (no accuracy for a reconstruction). */
  loss: number;
  accuracy?: number;
  /** Learning rate of the latest step. */
  learningRate: number;
  /** Training throughput since the previous step event, pauses excluded. */
  imagesPerSecond: number;
  /** Training time so far in ms, pauses excluded. */
  elapsedMs: number;
  /** With a time budget: the training time left until the run stops, in ms. */
  timeLeftMs?: number;
}

/** Supervised: an epoch ended, with its mean training numbers and the validation numbers. */
export interface EpochEvent {
  type: 'epoch';
  /** Epochs completed, this one included (1 after the first). */
  epoch: number;
  /** Optimizer steps taken at the epoch's end. */
  step: number;
  epochLoss: number;
  /** A classifier's; a reconstruction sends MSE (on the [0, 1] pixel scale) and PSNR (dB) instead. */
  epochAccuracy?: number;
  epochMse?: number;
  epochPsnr?: number;
  /** Absent when the dataset holds no validation images. */
  valLoss?: number;
  valAccuracy?: number;
  valMse?: number;
  valPsnr?: number;
  elapsedMs: number;
}

/** RL: training progress, sent ~15 times a second or once per step when steps are slower. */
export interface ProgressEvent {
  type: 'progress';
  /** Environment steps taken, and the run's total. */
  step: number;
  totalSteps: number;
  /** Episodes finished. */
  episode: number;
  /** DQN's exploration rate (absent for REINFORCE and PPO, which explore by sampling their policy). */
  epsilon?: number;
  /** DQN: Huber loss of the latest gradient step; absent before learning starts. */
  tdLoss?: number;
  /** REINFORCE / PPO: the latest update's policy loss, value loss and policy entropy; absent before the first update. */
  policyLoss?: number;
  valueLoss?: number;
  entropy?: number;
  /** Environment steps per second since the previous progress event, pauses excluded. */
  stepsPerSecond: number;
  elapsedMs: number;
  /** Averages over the last episodes (up to 20); absent until an episode has ended. */
  meanReturn?: number;
  meanSpeed?: number;
  collisionRate?: number;
  /** The training environment's world now, for the driving view; null for other environments. */
  frame: WorldSnapshot | null;
}

/** RL: an episode ended. */
export interface EpisodeEvent {
  type: 'episode';
  /** Environment steps taken when it ended. */
  step: number;
  /** 0-based index of the episode, and the seed it was played on. */
  index: number;
  seed: number;
  episodeReturn: number;
  /** Environment steps the episode lasted. */
  steps: number;
  /** Time-averaged speed (m/s), where the environment has one. */
  meanSpeed: number | null;
  crashed: boolean;
}

/** A checkpoint to store; `payload` is the worker's own checkpoint shape (its buffers transferred). */
export interface CheckpointEvent<Payload = unknown> {
  type: 'checkpoint';
  /** Supervised: epochs completed. RL has no epochs: the environment step, as `step`. */
  epoch: number;
  step: number;
  payload: Payload;
  /** Bytes held in the payload's typed arrays, for the history list. */
  bytes: number;
}

/** What every worker sends, whatever it trains. */
type CommonEvent<Payload> =
  | { type: 'backend'; report: BackendReport }
  | { type: 'status'; stage: WorkerStage; text: string }
  | { type: 'paused'; step: number }
  | { type: 'resumed'; step: number }
  | CheckpointEvent<Payload>
  | { type: 'evaluation'; evaluation: RunEvaluation }
  | { type: 'done'; reason: 'completed' | 'stopped'; step: number; elapsedMs: number }
  | { type: 'failed'; kind: FailureKind; message: string; backend?: Backend };

/** Supervised reconstruction: the fixed held-out images at an epoch's end, for the page to step through. */
export interface ReconstructionsEvent {
  type: 'reconstructions';
  grid: ReconstructionGrid;
}

/** What the supervised training worker sends. */
export type TrainEvent = CommonEvent<Checkpoint> | StepEvent | EpochEvent | ReconstructionsEvent;

/** What the RL training worker sends. */
export type RlEvent = CommonEvent<TrainerCheckpoint> | ProgressEvent | EpisodeEvent;

/** A frame of the driving view: from training progress, or from a watched evaluation episode. */
export interface WorldEvent {
  type: 'world';
  snapshot: WorldSnapshot;
  caption?: string;
}

/**
 * Every event the page's run reducer and metric store take: the workers' own, a watched episode's
 * frames, and `alive` (the worker's heartbeat, seen by the page's watchdog, renews the run record).
 */
export type RunEvent = CommonEvent<unknown> | StepEvent | EpochEvent | ReconstructionsEvent | ProgressEvent | EpisodeEvent | WorldEvent | { type: 'alive' };
