/**
 * One supervised run from start to end: data preparation, the epoch loop with its learning-rate
 * schedule, pause / resume / stop at step boundaries, per-epoch validation and checkpoints, the
 * final evaluation, and failure reporting. Free of Comlink, so Node tests drive it directly.
 */
import * as tf from '@tensorflow/tfjs';
import type { SupervisedPlan } from '../../src/graph/plan';
import type { ImageSet } from '../../src/data/cifar';
import { makeSchedule } from '../../nodes/training/lr-schedule';
import { makeTimeSchedule } from '../../nodes/training/time-schedule';
import { channelStats } from './augment';
import { checkpointBytes, checkpointTransfers, type Checkpoint } from './checkpoint';
import { EpochSampler, splitDataset, syntheticDataset, toBatch, toImages } from './data';
import { psnr } from './trainer-loss';
import type { EvaluationReport, FailureKind, SourceImages, TrainEvent, WorkerStage } from '../../src/protocol/train';
import { RunLoop, backendOrUnknown, type RunLoopOptions, type RunOutcome } from '../backend/run-loop';
import { PlanError } from '../../nodes/stage-settings';
import { readTrainSettings, type TrainSettings } from './train-settings';
import { NonFiniteLossError, Trainer } from './trainer';
import { describeTransfer } from './transfer';
import { thinGrids, type ReconstructionReport } from './trainer-reconstruction';
import type { ReconstructionGrid } from '../../src/protocol/events';
import type { InitFrom } from '../../src/graph/plan';

export type { RunOutcome };

/** Under a time budget: the steps the run will have taken at the deadline, at its pace so far. */
export function estimatedSteps(step: number, trainedMs: number, budgetMs: number): number {
  return trainedMs > 0 ? Math.max(step, Math.round((step * budgetMs) / trainedMs)) : step;
}

/** The images are missing or do not fit the plan. */
export class DataError extends Error {
  override readonly name = 'DataError';
}

export interface SupervisedRunOptions extends RunLoopOptions {
  /** Receives every event; `transfer` lists buffers the receiver may take over (checkpoints). */
  emit(event: TrainEvent, transfer?: Transferable[]): void;
  /** Least time between step events; the default gives ~20 Hz. */
  stepEventIntervalMs?: number;
  /** Emit a checkpoint after every epoch (always at the end). */
  checkpointEveryEpoch?: boolean;
  /**
   * Continue an interrupted run: weights, optimizer state, step count and epoch come from the
   * checkpoint and the data order replays from the seed. (Checkpoints from before optimizer state
   * was saved resume with fresh moment estimates.)
   */
  resumeFrom?: Checkpoint;
  /** The newest checkpoint of the run `plan.initFrom` names, read by the page; absent when that run is not stored. */
  initWeights?: Checkpoint;
}

function checkImages(set: ImageSet, s: TrainSettings, what: string): void {
  const [h, w, c] = s.sampleShape;
  if (set.shape[0] !== h || set.shape[1] !== w || set.shape[2] !== c) {
    throw new DataError(`${what} images are [${set.shape.join(',')}] but the model expects [${h},${w},${c}]`);
  }
  if (!s.dataset.useLabels) return;
  for (const l of set.labels) {
    if (l >= s.numClasses) throw new DataError(`${what} has label ${l}, the plan has ${s.numClasses} classes`);
  }
}

/** Builds the train / validation / test sets a plan asks for from what the page provided. */
export function prepareData(
  s: TrainSettings,
  source: SourceImages | undefined,
): { train: ImageSet; validation: ImageSet; test?: ImageSet } {
  const d = s.dataset;
  let all: ImageSet;
  if (d.source === 'synthetic') {
    all = syntheticDataset({ numClasses: d.numClasses, imageSize: d.imageSize, channels: d.channels, samples: d.samples, seed: d.seed });
  } else {
    if (!source) throw new DataError('CIFAR-10 images are not loaded yet: load the dataset before training');
    all = source.train;
  }
  checkImages(all, s, 'the training set');
  if (source?.test && d.source !== 'synthetic') checkImages(source.test, s, 'the test set');
  const labelsPerClass = d.useLabels ? d.labelsPerClass : 0;
  const split = splitDataset(all, { validationSplit: d.validationSplit, maxTrainImages: d.maxTrainImages, seed: d.seed, labelsPerClass });
  if (split.train.count === 0) throw new DataError('no training images left after the validation split');
  return d.source === 'synthetic' || !source?.test ? split : { ...split, test: source.test };
}

/**
 * One supervised run from start to end (see the file comment); the pause / stop / yield / failure
 * machinery is the shared {@link RunLoop}.
 */
export class SupervisedRun extends RunLoop<TrainEvent> {
  private trainer: Trainer | undefined;
  /** The reconstruction grids this run drew, for its final evaluation. */
  private readonly grids: ReconstructionGrid[] = [];
  /** Training time of this run so far, earlier sessions (a resumed checkpoint's) included. */
  private trainedMs: () => number = () => this.activeMs();

  constructor(
    readonly plan: SupervisedPlan,
    private readonly source: SourceImages | undefined,
    private readonly o: SupervisedRunOptions,
  ) {
    super(o, o.emit, 16);
  }

  protected override classify(e: unknown): FailureKind {
    if (e instanceof NonFiniteLossError) return 'diverged';
    if (e instanceof PlanError) return 'plan';
    if (e instanceof DataError) return 'data';
    return backendOrUnknown(e);
  }

  protected override cleanup(): void {
    this.trainer?.dispose();
    this.trainer = undefined;
  }

  protected async train(): Promise<'completed' | 'stopped'> {
    const settings = readTrainSettings(this.plan);
    this.status('loading', 'preparing images');
    const data = prepareData(settings, this.source);
    this.status('building', `building the model (${this.plan.model.totalParams.toLocaleString('en-US')} parameters)`);
    const perChannel = settings.augmentations.some((a) => a.normalize === 'per-channel');
    const stats = perChannel ? channelStats(data.train.images, settings.sampleShape[2]) : undefined;
    const init = this.initOptions();
    const trainer = (this.trainer = new Trainer(this.plan, { settings, ...(stats ? { stats } : {}), ...(init ? { init } : {}) }));
    if (trainer.transfer) this.status('building', describeTransfer(trainer.transfer));
    if (this.o.resumeFrom) {
      trainer.restore(this.o.resumeFrom);
      if (this.o.resumeFrom.optimizer) await trainer.restoreOptimizer(this.o.resumeFrom.optimizer);
      trainer.step = this.o.resumeFrom.step;
      if (this.o.resumeFrom.augmentState !== undefined) trainer.augmenter.randomState = this.o.resumeFrom.augmentState;
    }
    return this.loop(trainer, settings, data);
  }

  /** The transfer the plan asks for, or a PlanError in the user's words when its source run is not here. */
  private initOptions(): { from: InitFrom; checkpoint: Checkpoint } | undefined {
    const from = this.plan.initFrom;
    if (!from) return undefined;
    const resumed = this.o.resumeFrom;
    if (!this.o.initWeights && resumed) {
      // Its own checkpoint holds every weight; only which layers stay frozen came from the source.
      const o = readTrainSettings(this.plan).optimizer;
      const left = o.budgetMinutes > 0 ? (resumed.trainedMs ?? 0) < o.budgetMinutes * 60_000 : resumed.epoch < o.epochs;
      if (from.mode === 'freeze' && left) {
        throw new PlanError(
          `this run froze the layers it took from run ${from.runId}, which is no longer in this browser, so which layers to keep fixed is unknown: Evaluate still works; to train on, set the Optimizer to fine-tune or start a new run`,
        );
      }
      this.status('building', `run ${from.runId}, which this run started from, is not in this browser: continuing from this run's own checkpoint`);
      return undefined;
    }
    if (!this.o.initWeights) {
      throw new PlanError(
        `this graph starts from run ${from.runId}, which has no stored checkpoint in this browser (deleted, never finished an epoch, or trained elsewhere): clear the Optimizer's "initialise from run" or name another run`,
      );
    }
    return { from, checkpoint: this.o.initWeights };
  }

  private status(stage: WorkerStage, text: string): void {
    this.emit({ type: 'status', stage, text });
  }

  private async loop(
    trainer: Trainer,
    s: TrainSettings,
    data: { train: ImageSet; validation: ImageSet; test?: ImageSet },
  ): Promise<'completed' | 'stopped'> {
    const { batchSize } = s.optimizer;
    const sampler = new EpochSampler(data.train.count, batchSize, s.dataset.seed);
    const schedule = makeSchedule(s.optimizer, sampler.stepsPerEpoch);
    // A time budget replaces the epoch count: the rate follows the training time, and the run ends
    // at the deadline (training time of earlier sessions of this run counted in).
    const timed = s.optimizer.budgetMinutes > 0 ? makeTimeSchedule(s.optimizer, sampler.stepsPerEpoch) : undefined;
    const epochs = timed ? Infinity : s.optimizer.epochs;
    const trainedBefore = this.o.resumeFrom?.trainedMs ?? 0;
    // Validation, grids and checkpoints measure the run; they are not training, so a time budget
    // leaves them out (a 10-minute run trains for 10 minutes however often it validates).
    let measuringMs = 0;
    const measuring = async (work: () => Promise<void>): Promise<void> => {
      const start = this.now();
      try {
        await work();
      } finally {
        measuringMs += this.now() - start;
      }
    };
    this.trainedMs = () => trainedBefore + this.activeMs() - measuringMs;
    let epochsDone = Math.min(this.o.resumeFrom?.epoch ?? 0, epochs);
    let deadline = false;
    /** The last epoch's validation when it doubles as the final evaluation. */
    let finalReport:
      | { kind: 'classification'; report: EvaluationReport }
      | { kind: 'reconstruction'; report: ReconstructionReport }
      | undefined;
    const interval = this.o.stepEventIntervalMs ?? 50;
    let window = { loss: 0, acc: 0, steps: 0, images: 0, start: 0, lastEmit: this.now() };
    // A reconstruction reads no labels; its running metric (`acc` here, `accSum` in a checkpoint) is the pixel MSE.
    const reconstructs = trainer.reconstructs;
    const gpu = this.backend === 'webgpu' || this.backend === 'webgl';
    this.status(gpu ? 'compiling' : 'training', gpu ? `compiling ${this.backend} kernels (first step)` : 'training');

    const first = epochsDone;
    // The data order replays from the seed; a stop point inside an epoch also skips its trained batches.
    const within = this.o.resumeFrom?.within;
    for (let e = 0; e < first; e++) sampler.nextEpoch();
    for (let epoch = first; epoch < epochs; epoch++) {
      const batches = sampler.nextEpoch();
      const resumed = epoch === first && within ? within : undefined;
      let epochLoss = resumed?.lossSum ?? 0;
      let epochAcc = resumed?.accSum ?? 0;
      let i = resumed?.batches ?? 0;
      const startBatch = i;
      for (; i < batches.length; i++) {
        if (timed && this.trainedMs() >= timed.budgetMs) {
          deadline = true;
          break;
        }
        const afterResume = (): void => {
          window = { ...window, lastEmit: this.now(), start: this.activeMs() };
        };
        if (await this.stepBoundary(trainer.step, { afterResume })) {
          const at = i > 0 ? { batches: i, lossSum: epochLoss, accSum: epochAcc } : undefined;
          return this.finish(trainer, 'stopped', epoch, at);
        }
        const lr = timed ? timed.at(this.trainedMs(), trainer.step) : schedule.at(trainer.step);
        trainer.setLearningRate(lr);
        const indices = batches[i]!;
        const batch = reconstructs ? { xs: toImages(data.train, indices) } : toBatch(data.train, indices, s.numClasses);
        let r;
        try {
          r = await trainer.trainStep(batch.xs, 'ys' in batch ? batch.ys : undefined);
        } finally {
          tf.dispose(Object.values(batch).filter((t): t is tf.Tensor => t instanceof tf.Tensor));
        }
        if (trainer.step === 1 && gpu) this.status('training', 'training');
        const metric = (reconstructs ? r.mse : r.acc) ?? NaN;
        epochLoss += r.loss;
        epochAcc += metric;
        window.loss += r.loss;
        window.acc += metric;
        window.steps++;
        window.images += indices.length;
        const t = this.now();
        const last = i === batches.length - 1 || (timed !== undefined && this.trainedMs() >= timed.budgetMs);
        if (t - window.lastEmit >= interval || last) {
          const elapsedMs = this.activeMs();
          const seconds = (elapsedMs - window.start) / 1000;
          const timeLeftMs = timed ? Math.max(0, timed.budgetMs - this.trainedMs()) : undefined;
          this.emit({
            type: 'step',
            step: trainer.step,
            totalSteps: timed ? estimatedSteps(trainer.step, this.trainedMs(), timed.budgetMs) : schedule.totalSteps,
            epoch,
            epochStep: i + 1,
            stepsPerEpoch: batches.length,
            loss: window.loss / window.steps,
            ...(reconstructs ? {} : { accuracy: window.acc / window.steps }),
            learningRate: lr,
            imagesPerSecond: seconds > 0 ? window.images / seconds : 0,
            elapsedMs,
            ...(timeLeftMs !== undefined ? { timeLeftMs } : {}),
          });
          window = { loss: 0, acc: 0, steps: 0, images: 0, start: elapsedMs, lastEmit: t };
        }
        await this.maybeYield();
      }
      // The deadline at an epoch's first batch: the epoch before it was reported in full already.
      if (deadline && i === startBatch) break;
      const trained = i;
      let val: { valLoss: number; valAccuracy?: number; valMse?: number; valPsnr?: number } | undefined;
      if (data.validation.count > 0) {
        // The last epoch's validation is the final evaluation too when there is no test set: the
        // weights do not change in between, so one pass serves both (with flips that was two).
        const lastEpoch = deadline || epoch === epochs - 1 || (timed !== undefined && this.trainedMs() >= timed.budgetMs);
        const isFinal = lastEpoch && !data.test;
        await measuring(async () => {
          this.status('evaluating', `validating epoch ${epoch + 1}`);
          if (reconstructs) {
            const v = await trainer.evaluateReconstruction(data.validation);
            if (isFinal) finalReport = { kind: 'reconstruction', report: v };
            val = { valLoss: v.loss, valMse: v.mse, valPsnr: v.psnr };
          } else {
            const v = await trainer.evaluate(data.validation, isFinal ? {} : { samples: 0 });
            if (isFinal) finalReport = { kind: 'classification', report: v };
            val = { valLoss: v.loss, valAccuracy: v.accuracy };
          }
        });
        if (val && !Number.isFinite(val.valLoss)) throw new NonFiniteLossError(trainer.step, val.valLoss, trainer.learningRate);
        this.status('training', 'training');
      }
      const meanMetric = epochAcc / trained;
      epochsDone = epoch + 1;
      this.emit({
        type: 'epoch',
        epoch: epoch + 1,
        step: trainer.step,
        epochLoss: epochLoss / trained,
        ...(reconstructs ? { epochMse: meanMetric, epochPsnr: psnr(meanMetric) } : { epochAccuracy: meanMetric }),
        ...val,
        elapsedMs: this.activeMs(),
      });
      if (reconstructs) await measuring(() => this.emitGrid(trainer, data, epoch + 1));
      if (deadline) break;
      if (this.o.checkpointEveryEpoch !== false && epoch < epochs - 1) await measuring(() => this.checkpoint(trainer, epoch + 1));
    }
    const finalSet = data.test ?? (data.validation.count > 0 ? data.validation : undefined);
    if (finalSet) {
      this.status('evaluating', `evaluating on ${data.test ? 'the test set' : 'the validation set'}`);
      const split = data.test ? 'test' : 'validation';
      if (reconstructs) {
        // Evaluate on a finished run trains no epoch: its grid is drawn here.
        if (this.grids.at(-1)?.epoch !== epochsDone) await this.emitGrid(trainer, data, epochsDone);
        const report = finalReport?.kind === 'reconstruction' ? finalReport.report : await trainer.evaluateReconstruction(finalSet);
        this.emit({ type: 'evaluation', evaluation: { kind: 'reconstruction', split, ...report, grids: thinGrids(this.grids) } });
      } else {
        const report = finalReport?.kind === 'classification' ? finalReport.report : await trainer.evaluate(finalSet);
        const how = {
          flipAveraged: s.evaluator.flipAveraging,
          ...(s.optimizer.emaDecay > 0 ? { weightAverageDecay: s.optimizer.emaDecay } : {}),
        };
        this.emit({ type: 'evaluation', evaluation: { kind: 'classification', split, ...report, ...how } });
      }
    }
    return this.finish(trainer, 'completed', epochsDone);
  }

  /** Sends the reconstruction grid of the held-out images (the training images when none are held out). */
  private async emitGrid(trainer: Trainer, data: { train: ImageSet; validation: ImageSet }, epoch: number): Promise<void> {
    const grid = await trainer.reconstructionGrid(data.validation.count > 0 ? data.validation : data.train, epoch);
    this.grids.push(grid);
    this.emit({ type: 'reconstructions', grid });
  }

  private async checkpoint(trainer: Trainer, epoch: number, within?: Checkpoint['within']): Promise<void> {
    const captured = await trainer.capture({ epoch, step: trainer.step });
    const checkpoint: Checkpoint = { ...captured, augmentState: trainer.augmenter.randomState, trainedMs: this.trainedMs(), ...(within ? { within } : {}) };
    const bytes = checkpointBytes(checkpoint);
    this.emit({ type: 'checkpoint', epoch, step: trainer.step, payload: checkpoint, bytes }, checkpointTransfers(checkpoint));
  }

  /** The last checkpoint: at the run's end, or at the stop point (`within` an epoch when stopped mid-way). */
  private async finish(trainer: Trainer, reason: 'completed' | 'stopped', epoch: number, within?: Checkpoint['within']): Promise<'completed' | 'stopped'> {
    await this.checkpoint(trainer, epoch, within);
    this.emit({ type: 'done', reason, step: trainer.step, elapsedMs: this.activeMs() });
    return reason;
  }
}
