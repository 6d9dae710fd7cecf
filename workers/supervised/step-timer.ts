/**
 * One real training step of the run's graph, timed, for `auto`'s choice of backend
 * (`workers/backend/backend-measure.ts`): the plan's model, optimizer, loss and batch size on
 * random pixels, so the time is the step the run will take (its data loading aside). The first
 * step compiles shaders on WebGPU/WebGL and is not counted; the second is.
 */
import * as tf from '@tensorflow/tfjs';
import type { SupervisedPlan } from '../../src/graph/plan';
import { readTrainSettings } from './train-settings';
import { Trainer } from './trainer';

/** The time of one training step of `plan` on the active backend, in ms (`now` for tests). */
export async function timeTrainingStep(plan: SupervisedPlan, now: () => number = () => performance.now()): Promise<number> {
  const settings = readTrainSettings(plan);
  const [h, w, c] = settings.sampleShape;
  const n = settings.optimizer.batchSize;
  const trainer = new Trainer(plan, { settings });
  const xs = tf.tidy(() => tf.randomUniform([n, h, w, c], 0, 255).round() as tf.Tensor4D);
  const ys = trainer.reconstructs
    ? undefined
    : tf.tidy(() => tf.oneHot(tf.randomUniform([n], 0, settings.numClasses, 'int32') as tf.Tensor1D, settings.numClasses).toFloat() as tf.Tensor2D);
  try {
    await trainer.trainStep(xs, ys);
    const start = now();
    await trainer.trainStep(xs, ys);
    return now() - start;
  } finally {
    tf.dispose([xs, ...(ys ? [ys] : [])]);
    trainer.dispose();
  }
}
