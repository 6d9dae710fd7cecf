/**
 * Trained models leave the app as TF.js layers-format files; the export worker builds them from a
 * DQN checkpoint's weights. What crosses the boundary, types only.
 */
import type { ModelPlan } from '../graph/plan';

/** The files of a trained model in TF.js layers format. */
export interface ExportedModel {
  modelJson: string;
  weights: ArrayBuffer;
  /** The weights file name model.json refers to. */
  weightsName: string;
}

/** One weight tensor's values, as a DQN checkpoint stores them. */
export interface NamedWeights {
  name: string;
  shape: number[];
  values: Float32Array;
}

/** The export worker's API as seen through `Comlink.wrap`. */
export interface ExportWorkerApi {
  /** Builds `model`, loads `weights` in its weight order and saves it as files named after `stem`. */
  fromWeights(model: ModelPlan, weights: NamedWeights[], stem: string): Promise<ExportedModel>;
}
