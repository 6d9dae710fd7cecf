/**
 * Reads a supervised plan's stage params through the node schemas, so the worker trains by the
 * same defaults and bounds the editor showed, and a hand-edited plan fails with a named field.
 */
import type { z } from 'zod';
import { Augmentation } from '../../nodes/data/augmentation';
import { Dataset } from '../../nodes/data/dataset';
import { Evaluator } from '../../nodes/evaluation/evaluator';
import { Loss } from '../../nodes/training/loss';
import { Optimizer } from '../../nodes/training/optimizer';
import type { StagePlan, SupervisedPlan } from '../../src/graph/plan';

export type DatasetSettings = z.infer<typeof Dataset.params>;
export type AugmentationSettings = z.infer<typeof Augmentation.params>;
export type LossSettings = z.infer<typeof Loss.params>;
export type OptimizerSettings = z.infer<typeof Optimizer.params>;
export type EvaluatorSettings = z.infer<typeof Evaluator.params>;

/** Everything a supervised run needs besides the model. */
export interface TrainSettings {
  dataset: DatasetSettings;
  numClasses: number;
  sampleShape: [number, number, number];
  augmentations: AugmentationSettings[];
  loss: LossSettings;
  optimizer: OptimizerSettings;
  evaluator: EvaluatorSettings;
}

/** A plan that cannot be trained as it stands. */
export class PlanError extends Error {
  override readonly name = 'PlanError';
}

function parse<S extends z.ZodObject>(schema: S, stage: StagePlan | undefined, what: string): z.infer<S> {
  const r = schema.safeParse(stage?.params ?? {});
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new PlanError(`${what} setting ${issue.path.join('.') || '(params)'}: ${issue.message}`);
  }
  return r.data;
}

/** Parses and checks the plan's stages; throws {@link PlanError} with the offending field. */
export function readTrainSettings(plan: SupervisedPlan): TrainSettings {
  const shape = plan.dataset.value.sampleShape;
  if (shape.length !== 3) {
    throw new PlanError(`supervised training needs images [height,width,channels], the dataset gives [${shape.join(',')}]`);
  }
  const out = plan.model.outputShape;
  const numClasses = plan.dataset.value.numClasses;
  if (out.length !== 1 || out[0] !== numClasses) {
    throw new PlanError(`the model outputs [${out.join(',')}] but the dataset has ${numClasses} classes`);
  }
  return {
    dataset: parse(Dataset.params, plan.dataset, 'Dataset'),
    numClasses,
    sampleShape: [shape[0]!, shape[1]!, shape[2]!],
    augmentations: plan.augmentations.map((a, i) => parse(Augmentation.params, a, `Augmentation ${i + 1}`)),
    loss: parse(Loss.params, plan.loss, 'Loss'),
    optimizer: parse(Optimizer.params, plan.optimizer, 'Optimizer'),
    evaluator: parse(Evaluator.params, plan.evaluator, 'Evaluator'),
  };
}
