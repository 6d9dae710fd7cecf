/**
 * The supervised training step, shared by the worker and the Node tests: the model built from the
 * plan, its optimizer and weight decay, the loss, augmentation, and evaluation.
 */
import * as tf from '@tensorflow/tfjs';
import type { SupervisedPlan } from '../../src/graph/plan';
import type { ImageSet } from '../../src/data/cifar';
import { Augmenter, CIFAR10_STATS, type ChannelStats } from './augment';
import { buildModel } from '../model/model-builder';
import { captureOptimizerState, restoreOptimizerState, type OptimizerState } from '../model/optimizer-state';
import { readTrainSettings, type TrainSettings } from './train-settings';
import { transferWeights, type TransferReport } from './transfer';
import type { InitFrom } from '../../src/graph/plan';
import type { Checkpoint } from '../../src/protocol/checkpoint';
import { evaluateModel, type EvaluationReport } from './trainer-evaluate';
import { evaluateReconstruction, reconstructionGrid, type ReconstructionReport } from './trainer-reconstruction';
import type { ReconstructionGrid } from '../../src/protocol/events';
import { batchAccuracy, makeLoss, outputIsProbabilities, pixelMse, type LossFn } from './trainer-loss';
import {
  applyDecoupledDecay,
  decayedWeights,
  l2Penalty,
  makeOptimizer,
  type ScheduledOptimizer,
} from './trainer-optimizer';

/** The loss stopped being a finite number; training cannot continue from here. */
export class NonFiniteLossError extends Error {
  override readonly name = 'NonFiniteLossError';
  constructor(
    readonly step: number,
    readonly loss: number,
    readonly learningRate: number,
  ) {
    super(
      `loss became ${loss} at step ${step} (learning rate ${learningRate.toPrecision(3)}): the model diverged. ` +
        'Lower the learning rate, add warm-up or BatchNorm, or check the inputs are normalized.',
    );
  }
}

export interface TrainerOptions {
  /** Per-channel statistics for `per-channel` normalization; CIFAR-10's when omitted. */
  stats?: ChannelStats;
  /** Seeds augmentation; the dataset's seed when omitted. */
  seed?: number;
  /** The plan's settings, when the caller has read them already (`readTrainSettings`). */
  settings?: TrainSettings;
  /** Start from another run's layers (`plan.initFrom`, and that run's checkpoint the page read). */
  init?: { from: InitFrom; checkpoint: Checkpoint };
}

export interface StepResult {
  /** The data loss (without the L2 term) of the batch, before the update. */
  loss: number;
  /** A classifier's training accuracy on the augmented batch, before the update. */
  acc?: number;
  /** A reconstruction's MSE on the [0, 1] pixel scale against the clean image, before the update. */
  mse?: number;
}

export class Trainer {
  readonly model: tf.LayersModel;
  readonly settings: TrainSettings;
  readonly augmenter: Augmenter;
  /** What `options.init` copied and left fresh; undefined when every layer started fresh. */
  readonly transfer: TransferReport | undefined;
  /** Optimizer steps taken so far. */
  step = 0;
  private readonly opt: ScheduledOptimizer;
  private readonly lossFn: LossFn;
  private readonly probabilities: boolean;
  private readonly variables: tf.Variable[];
  private readonly kernels: tf.Variable[];
  private readonly scale: number[];
  private lr: number;

  constructor(plan: SupervisedPlan, options: TrainerOptions = {}) {
    this.settings = options.settings ?? readTrainSettings(plan);
    this.model = buildModel(plan.model);
    // Before the trainable weights are collected below: frozen layers must not be among them.
    this.transfer = options.init ? transferWeights(this.model, plan.model, options.init.checkpoint, options.init.from) : undefined;
    const channels = this.settings.sampleShape[2];
    const stats = options.stats ?? (channels === 3 ? CIFAR10_STATS : { mean: [0.5], std: [0.25] });
    this.augmenter = new Augmenter(this.settings.augmentations, stats, options.seed ?? this.settings.dataset.seed);
    this.opt = makeOptimizer(this.settings.optimizer);
    this.lr = this.settings.optimizer.learningRate;
    this.probabilities = outputIsProbabilities(plan.model);
    this.lossFn = makeLoss(this.settings.loss, this.probabilities);
    this.variables = this.model.trainableWeights.map((w) => w.read() as tf.Variable);
    this.kernels = decayedWeights(this.model);
    this.scale = this.augmenter.unitScale(channels);
  }

  /** True when the Loss compares the output with the input image (an autoencoder): no labels are read. */
  get reconstructs(): boolean {
    return this.settings.loss.target === 'input';
  }

  get learningRate(): number {
    return this.lr;
  }

  setLearningRate(lr: number): void {
    this.lr = lr;
    this.opt.setLearningRate(lr);
  }

  /**
   * One optimizer step on a batch of raw 0–255 pixels `xs` and one-hot labels `ys` (a
   * reconstruction reads no labels: its target is the clean augmented image, its input the
   * corrupted one): augments, minimizes, and reads back the loss and accuracy (or pixel MSE).
   * Throws {@link NonFiniteLossError} on NaN or Infinity, before the broken update is kept in any
   * later step.
   */
  async trainStep(xs: tf.Tensor4D, ys?: tf.Tensor2D): Promise<StepResult> {
    const { weightDecay, optimizer } = this.settings.optimizer;
    const l2 = weightDecay > 0 && optimizer !== 'adamw' && this.kernels.length > 0;
    const reconstructs = this.reconstructs;
    if (!reconstructs && !ys) throw new Error('a classifier needs labels for its training step');
    const { input, clean } = this.augmenter.trainPair(xs);
    const target = reconstructs ? clean : ys!;
    // Filled inside minimize's closure: the data loss and accuracy (or pixel MSE) of the same forward pass.
    const kept: { dataLoss?: tf.Scalar; metric?: tf.Scalar; total?: tf.Scalar } = {};
    try {
      const total = this.opt.optimizer.minimize(
        () => {
          const out = this.model.apply(input, { training: true }) as tf.Tensor;
          const loss = this.lossFn(target, out);
          kept.dataLoss = tf.keep(loss);
          kept.metric = tf.keep(reconstructs ? pixelMse(clean, out, this.scale) : batchAccuracy(target, out));
          return l2 ? tf.add(loss, l2Penalty(this.kernels, weightDecay)) : loss;
        },
        true,
        this.variables,
      );
      if (!total || !kept.dataLoss || !kept.metric) throw new Error('the optimizer returned no loss');
      kept.total = total;
      if (optimizer === 'adamw' && weightDecay > 0) applyDecoupledDecay(this.kernels, this.lr, weightDecay);
      const [lossV, metricV, totalV] = await Promise.all([kept.dataLoss.data(), kept.metric.data(), total.data()]);
      this.step++;
      const loss = lossV[0]!;
      if (!Number.isFinite(loss) || !Number.isFinite(totalV[0]!)) {
        throw new NonFiniteLossError(this.step, Number.isFinite(loss) ? totalV[0]! : loss, this.lr);
      }
      return reconstructs ? { loss, mse: metricV[0]! } : { loss, acc: metricV[0]! };
    } finally {
      tf.dispose([...new Set([input, clean]), ...Object.values(kept)]);
    }
  }

  /** The optimizer's moments and iteration count, for a checkpoint. */
  optimizerState(): Promise<OptimizerState> {
    return captureOptimizerState(this.opt.optimizer);
  }

  /** Continues the optimization a checkpoint recorded (same plan, same optimizer kind). */
  restoreOptimizer(state: OptimizerState): Promise<void> {
    return restoreOptimizerState(this.opt.optimizer, state);
  }

  /** Loss, accuracy, per-class accuracy, confusion matrix and sample predictions on `set`. */
  async evaluate(set: ImageSet, options: { batchSize?: number; samples?: number } = {}): Promise<EvaluationReport> {
    return evaluateModel(this.model, set, {
      numClasses: this.settings.numClasses,
      batchSize: options.batchSize ?? Math.max(64, this.settings.optimizer.batchSize),
      samples: options.samples ?? this.settings.evaluator.samplePredictions,
      prepare: (x) => this.augmenter.evaluate(x),
      loss: this.lossFn,
      probabilities: this.probabilities,
    });
  }

  /** A reconstruction's loss and pixel MSE on `set`, the clean images as input (no corruption drawn, so training's random sequence is untouched). */
  async evaluateReconstruction(set: ImageSet, options: { batchSize?: number } = {}): Promise<ReconstructionReport> {
    return evaluateReconstruction(this.model, set, {
      batchSize: options.batchSize ?? Math.max(64, this.settings.optimizer.batchSize),
      prepare: (x) => this.augmenter.evaluate(x),
      loss: this.lossFn,
      scale: this.scale,
    });
  }

  /** The reconstruction grid of `set`'s first images after `epoch` epochs (see {@link reconstructionGrid}). */
  reconstructionGrid(set: ImageSet, epoch: number): Promise<ReconstructionGrid> {
    return reconstructionGrid(this.model, set, { augmenter: this.augmenter, epoch });
  }

  dispose(): void {
    this.opt.optimizer.dispose();
    this.model.dispose();
  }
}
