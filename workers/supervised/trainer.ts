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
import { captureCheckpoint, restoreWeights } from './checkpoint';
import { WeightAverage } from './trainer-ema';
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
  /** The weights' moving average, when the Optimizer keeps one (`emaDecay` > 0). */
  readonly ema: WeightAverage | undefined;

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
    const decay = this.settings.optimizer.emaDecay;
    this.ema = decay > 0 ? new WeightAverage(this.model, decay) : undefined;
  }

  /** Runs `fn` on the weights evaluation uses: the average when there is one. */
  private evaluated<T>(fn: () => Promise<T>): Promise<T> {
    return this.ema ? this.ema.within(fn) : fn();
  }

  /**
   * The model as a checkpoint with the optimizer's state; with an average, the average is the
   * checkpoint's model and the training weights ride along (see `Checkpoint.trainingWeightData`).
   */
  async capture(at: { epoch: number; step: number }): Promise<Checkpoint> {
    const raw = await captureCheckpoint(this.model, at, await this.optimizerState());
    if (!this.ema) return raw;
    const averaged = await this.ema.within(() => captureCheckpoint(this.model, at));
    return { ...raw, weightData: averaged.weightData, trainingWeightData: raw.weightData };
  }

  /** Loads a checkpoint's weights to train on: the training weights, and the average when both sides keep one. */
  restore(checkpoint: Checkpoint): void {
    restoreWeights(this.model, checkpoint);
    // Without a stored average (EMA switched on since) it restarts at the loaded weights.
    this.ema?.copyFromModel();
    if (checkpoint.trainingWeightData) restoreWeights(this.model, { ...checkpoint, weightData: checkpoint.trainingWeightData });
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
      this.ema?.update(this.step);
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
    return this.evaluated(() =>
      evaluateModel(this.model, set, {
        numClasses: this.settings.numClasses,
        batchSize: options.batchSize ?? Math.max(64, this.settings.optimizer.batchSize),
        samples: options.samples ?? this.settings.evaluator.samplePredictions,
        prepare: (x) => this.augmenter.evaluate(x),
        loss: this.lossFn,
        probabilities: this.probabilities,
        flip: this.settings.evaluator.flipAveraging,
      }),
    );
  }

  /** A reconstruction's loss and pixel MSE on `set`, the clean images as input (no corruption drawn, so training's random sequence is untouched). */
  async evaluateReconstruction(set: ImageSet, options: { batchSize?: number } = {}): Promise<ReconstructionReport> {
    return this.evaluated(() =>
      evaluateReconstruction(this.model, set, {
        batchSize: options.batchSize ?? Math.max(64, this.settings.optimizer.batchSize),
        prepare: (x) => this.augmenter.evaluate(x),
        loss: this.lossFn,
        scale: this.scale,
      }),
    );
  }

  /** The reconstruction grid of `set`'s first images after `epoch` epochs (see {@link reconstructionGrid}). */
  reconstructionGrid(set: ImageSet, epoch: number): Promise<ReconstructionGrid> {
    return this.evaluated(() => reconstructionGrid(this.model, set, { augmenter: this.augmenter, epoch }));
  }

  dispose(): void {
    this.ema?.dispose();
    this.opt.optimizer.dispose();
    this.model.dispose();
  }
}
