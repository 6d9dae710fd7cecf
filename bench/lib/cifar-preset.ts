/**
 * `bench:cifar --preset <id>`: one of the app's CIFAR-10 presets trained by the app's own run loop
 * (SupervisedRun: its data split, augmentation, schedule, time budget, weight average and
 * evaluation), in Node on 'wasm', with the Optimizer's budget set to `--minutes`. The held-out
 * images are the run's own validation split (the Dataset's `validationSplit` of the 50,000 training
 * images), as in a browser run given the same five files, so the two figures compare.
 */
import { loadavg } from 'node:os';
import { registry } from '../../nodes/registry';
import { presetById } from '../../presets/index';
import { compile } from '../../src/graph/compile';
import type { SupervisedPlan } from '../../src/graph/plan';
import type { ImageSet } from '../../src/data/cifar';
import type { TrainEvent } from '../../src/protocol/train';
import { SupervisedRun } from '../../workers/supervised/supervised-run';

/** `--preset` names: the short ones, or any CIFAR preset's id. */
const ALIASES: Record<string, string> = { fast: 'fast-cifar', resnet: 'resnet-cifar' };

export interface PresetBenchOptions {
  preset: string;
  minutes: number;
  /** Overrides of node params by node type, e.g. `{ Optimizer: { learningRate: 0.1 } }` from `--optimizer learningRate=0.1`. */
  overrides?: Record<string, Record<string, number>>;
  log(line: string): void;
}

export interface PresetBenchResult {
  preset: string;
  heldout_accuracy: number;
  heldout_images: number;
  minutes: number;
  images_seen: number;
  img_s: number;
  epochs: number;
  steps: number;
  /** Validation accuracy after each finished epoch (the last one may be cut by the deadline). */
  epoch_accuracy: number[];
  ema_decay: number;
  flip_averaging: boolean;
  load_1m: number;
}

/** The preset's plan with its Optimizer's budget (and any overrides) applied before compiling. */
export function presetPlan(id: string, minutes: number, overrides: Record<string, Record<string, number>> = {}): SupervisedPlan {
  const presetId = ALIASES[id] ?? id;
  const preset = presetById(presetId);
  if (!preset) throw new Error(`--preset: no preset '${id}' (try fast, resnet, or a preset id)`);
  const doc = structuredClone(preset.doc);
  for (const [type, params] of Object.entries({ ...overrides, Optimizer: { ...overrides.Optimizer, budgetMinutes: minutes } })) {
    const node = doc.nodes.find((n) => n.type === type);
    if (!node) throw new Error(`the ${preset.title} preset has no ${type} node`);
    Object.assign(node.params, params);
  }
  const compiled = compile(doc, registry);
  if (!compiled.ok) throw new Error(`the ${preset.title} preset does not compile: ${compiled.diagnostics.map((d) => d.message).join('; ')}`);
  if (compiled.plan.mode !== 'supervised') throw new Error(`the ${preset.title} preset is not a supervised graph`);
  return compiled.plan;
}

/** Trains the preset for its budget and scores it on its validation split. */
export async function benchPreset(train: ImageSet, o: PresetBenchOptions): Promise<PresetBenchResult> {
  const plan = presetPlan(o.preset, o.minutes, o.overrides);
  const optimizer = plan.optimizer.params;
  const events: TrainEvent[] = [];
  let lastLog = 0;
  let last: Extract<TrainEvent, { type: 'step' }> | undefined;
  const run = new SupervisedRun(plan, { train }, {
    backend: 'wasm',
    checkpointEveryEpoch: false,
    stepEventIntervalMs: 1000,
    emit: (e) => {
      if (e.type === 'step') {
        last = e;
        if (e.elapsedMs - lastLog >= 30_000) {
          lastLog = e.elapsedMs;
          o.log(`${(e.elapsedMs / 1000).toFixed(0)} s: step ${e.step}, epoch ${e.epoch + 1}, ${e.imagesPerSecond.toFixed(1)} img/s, lr ${e.learningRate.toFixed(3)}, loss ${e.loss.toFixed(3)}`);
        }
      } else if (e.type === 'epoch') {
        o.log(`epoch ${e.epoch}: validation accuracy ${e.valAccuracy?.toFixed(4)} at ${(e.elapsedMs / 1000).toFixed(0)} s`);
        events.push(e);
      } else if (e.type === 'evaluation' || e.type === 'failed') {
        events.push(e);
      }
    },
  });
  const outcome = await run.run();
  const failed = events.find((e) => e.type === 'failed');
  if (outcome !== 'completed' || failed) throw new Error(`the run ended ${outcome}${failed?.type === 'failed' ? `: ${failed.message}` : ''}`);
  const evaluation = events.find((e) => e.type === 'evaluation');
  if (evaluation?.type !== 'evaluation' || evaluation.evaluation.kind !== 'classification') throw new Error('the run reported no classification evaluation');
  const epochs = events.filter((e): e is Extract<TrainEvent, { type: 'epoch' }> => e.type === 'epoch');
  const batch = Number(optimizer.batchSize);
  const steps = last?.step ?? 0;
  // Training time as the budget counts it (validation left out): the budget less the time left at the last step.
  const budgetMs = Number(optimizer.budgetMinutes) * 60_000;
  const trainSeconds = (last?.timeLeftMs !== undefined ? budgetMs - last.timeLeftMs : (last?.elapsedMs ?? 0)) / 1000;
  const trainCount = Math.round(train.count * (1 - Number(plan.dataset.params.validationSplit)));
  const round = (x: number) => Number(x.toPrecision(4));
  return {
    preset: plan.name,
    heldout_accuracy: round(evaluation.evaluation.accuracy),
    heldout_images: evaluation.evaluation.count,
    minutes: round(trainSeconds / 60),
    images_seen: steps * batch,
    img_s: round((steps * batch) / trainSeconds),
    epochs: round((steps * batch) / trainCount),
    steps,
    epoch_accuracy: epochs.map((e) => round(e.valAccuracy ?? NaN)),
    ema_decay: Number(optimizer.emaDecay),
    flip_averaging: plan.evaluator?.params.flipAveraging === true,
    load_1m: round(loadavg()[0]!),
  };
}
