/**
 * A supervised checkpoint's shape and format constants: a trained model as plain JSON plus one
 * `ArrayBuffer` of weights (TF.js layers format), posted out of the worker and stored by the page.
 * Types and constants only; TF.js is named for its weight-manifest type alone.
 */
import type { io } from '@tensorflow/tfjs';

export interface OptimizerState {
  specs: io.WeightsManifestEntry[];
  data: ArrayBuffer;
  /** Adam's running β₁ᵗ and β₂ᵗ; absent for other optimizers. */
  adamPowers?: [number, number];
}

export const CHECKPOINT_FORMAT = 'tensorloom-checkpoint';
export const CHECKPOINT_VERSION = 1;

export interface Checkpoint {
  format: typeof CHECKPOINT_FORMAT;
  version: typeof CHECKPOINT_VERSION;
  /** Epochs completed (1-based) and optimizer steps taken when it was captured. */
  epoch: number;
  step: number;
  /** The layers model's Keras JSON topology. */
  modelTopology: object;
  weightSpecs: io.WeightsManifestEntry[];
  /** All weights, concatenated in `weightSpecs` order; transferable. */
  weightData: ArrayBuffer;
  /**
   * The optimizer's iteration count and moments, so a resumed run continues the same optimization;
   * absent in checkpoints written before this field existed (their optimizer then starts afresh).
   */
  optimizer?: OptimizerState;
  /**
   * Set when the run was stopped inside an epoch: batches of epoch `epoch` (0-based, so the one
   * after `epoch` complete epochs) already trained, with the sums of their training loss and
   * accuracy, so a resumed run skips exactly those and reports the epoch's means whole.
   */
  within?: { batches: number; lossSum: number; accSum: number };
  /** The augmentation draws' generator state, so a resumed run flips and crops as the uninterrupted one. */
  augmentState?: number;
  /**
   * Set when the Optimizer keeps an average of the weights (EMA): `weightData` then holds the
   * average, the model that is evaluated, exported and transferred, and this the weights training
   * continues from, in the same `weightSpecs` layout.
   */
  trainingWeightData?: ArrayBuffer;
  /** Training time so far in ms (pauses, validation and checkpoints excluded), so a resumed run with a time budget keeps its clock. */
  trainedMs?: number;
}
