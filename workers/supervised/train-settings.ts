/**
 * A supervised plan's settings as the worker trains by them: each stage read through
 * `stageSettings` (the node schemas' types and the defaults `compile` filled in), plus the image
 * shape and class count checked against the model.
 */
import type { SupervisedPlan } from '../../src/graph/plan';
import { PlanError, stageDefaults, stageSettings } from '../../nodes/stage-settings';
import type { AugmentationSettings } from '../../nodes/data/augmentation';
import type { DatasetSettings } from '../../nodes/data/dataset';
import type { EvaluatorSettings } from '../../nodes/evaluation/evaluator';
import type { LossSettings } from '../../nodes/training/loss';
import type { OptimizerSettings } from '../../nodes/training/optimizer';

/** Everything a supervised run needs besides the model. */
export interface TrainSettings {
  dataset: DatasetSettings;
  numClasses: number;
  sampleShape: [number, number, number];
  augmentations: AugmentationSettings[];
  loss: LossSettings;
  optimizer: OptimizerSettings;
  /** The Evaluator's, or its defaults when the graph has none. */
  evaluator: EvaluatorSettings;
}

/** Reads and checks the plan's stages; throws {@link PlanError} naming what does not fit. */
export function readTrainSettings(plan: SupervisedPlan): TrainSettings {
  const shape = plan.dataset.value.sampleShape;
  if (shape.length !== 3) {
    throw new PlanError(`supervised training needs images [height,width,channels], the dataset gives [${shape.join(',')}]`);
  }
  const out = plan.model.outputShape;
  const numClasses = plan.dataset.value.numClasses;
  const loss = stageSettings(plan, 'loss');
  const dataset = stageSettings(plan, 'dataset');
  if (loss.target === 'input') {
    if (out.join(',') !== shape.join(',')) {
      throw new PlanError(`a reconstruction needs the model to output its input's shape [${shape.join(',')}], it outputs [${out.join(',')}]`);
    }
  } else if (!dataset.useLabels) {
    throw new PlanError('the Dataset trains without labels, so only a reconstruction Loss can train on it');
  } else if (out.length !== 1 || out[0] !== numClasses) {
    throw new PlanError(`the model outputs [${out.join(',')}] but the dataset has ${numClasses} classes`);
  }
  return {
    dataset,
    numClasses,
    sampleShape: [shape[0]!, shape[1]!, shape[2]!],
    augmentations: stageSettings(plan, 'augmentations'),
    loss,
    optimizer: stageSettings(plan, 'optimizer'),
    evaluator: stageSettings(plan, 'evaluator') ?? stageDefaults('evaluator'),
  };
}
