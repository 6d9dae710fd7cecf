/**
 * Weights both ways: the app trains a small graph (SupervisedRun, cpu backend), its Export writes the
 * checkpoint as model.json + .bin, the generated project's convert_tfjs.py loads them into model.py,
 * PyTorch takes one more training step with train.py's optimizer and loss, export_tfjs.py writes
 * them back, the app's import (src/run/import-weights.ts) checks and stores them as a checkpoint, and
 * the app's evaluation of that checkpoint (the resumed run the Evaluate button starts) scores the
 * held-out images exactly as PyTorch does.
 */
import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerFastCpuKernels } from '../../../workers/backend/backend-cpu-kernels';
import { channelStats } from '../../../workers/supervised/augment';
import { restoreWeights } from '../../../workers/supervised/checkpoint';
import { SupervisedRun, prepareData } from '../../../workers/supervised/supervised-run';
import { chainPlan } from '../../../workers/supervised/train-test-plans';
import { readTrainSettings } from '../../../workers/supervised/train-settings';
import { Trainer } from '../../../workers/supervised/trainer';
import { exportFromCheckpoint } from '../../data/model-files';
import type { Checkpoint } from '../../protocol/checkpoint';
import type { EvaluationReport, TrainEvent } from '../../protocol/train';
import { importWeights, readModelFiles } from '../../run/import-weights';
import { exportPyTorch } from './index';
import { python, torchMissing, writeProjectWithAppData } from './test-python';

const missing = torchMissing();

const plan = chainPlan({
  dataset: { source: 'synthetic', numClasses: 4, imageSize: 8, channels: 3, samples: 256, seed: 5, validationSplit: 0.25 },
  augmentation: { randomFlip: true, padCrop: 1, normalize: 'per-channel' },
  layers: [
    ['Conv2D', { filters: 8, kernelSize: 3 }],
    ['BatchNorm'],
    ['Activation', { fn: 'relu' }],
    ['MaxPool', { poolSize: 2 }],
    ['Flatten'],
    ['Dense', { units: 4 }],
  ],
  optimizer: { optimizer: 'adam', learningRate: 0.01, epochs: 3, batchSize: 16 },
  evaluator: { samplePredictions: 0 },
});

const STEP = `
import json, sys
import numpy as np, torch
sys.path[:0] = [".", "tools"]
import convert_tfjs, export_tfjs, data, train
torch.manual_seed(0)
convert_tfjs.convert("tfjs/model.json", "app.pt")
net = convert_tfjs.new_model()
net.load_state_dict(torch.load("app.pt"))
stats = json.load(open("stats.json"))
augment = data.Augment(stats["mean"], stats["std"])
def images(name, n):
    raw = np.fromfile(name, np.uint8).reshape(n, *stats["shape"])
    return torch.from_numpy(raw.astype(np.float32)).permute(0, 3, 1, 2)
def labels(name):
    return torch.from_numpy(np.fromfile(name, np.uint8).astype(np.int64))
y = labels("train-labels.bin")
x = torch.stack([augment(img, True) for img in images("train.bin", len(y))])
net.train()
optimizer = train.make_optimizer(net)
loss = train.loss_fn(net(x), y)
optimizer.zero_grad()
loss.backward()
optimizer.step()
torch.save(net.state_dict(), "after.pt")
export_tfjs.export("after.pt", "back")
net.eval()
vy = labels("val-labels.bin")
vx = torch.stack([augment(img, False) for img in images("val.bin", len(vy))])
with torch.no_grad():
    logits = net(vx)
logits.numpy().astype(np.float32).tofile("torch-logits.bin")
print(json.dumps({"accuracy": float((logits.argmax(1) == vy).float().mean()), "count": len(vy)}))
`;

describe.skipIf(missing !== undefined)(`weights round trip through PyTorch${missing ? ` (skipped: ${missing})` : ''}`, () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
    registerFastCpuKernels();
  });

  it("the app's evaluation of PyTorch-trained weights equals PyTorch's", async () => {
    const exported = exportPyTorch(plan);
    if (!exported.ok) throw new Error(exported.message);
    const settings = readTrainSettings(plan);
    const data = prepareData(settings, undefined);
    const stats = channelStats(data.train.images, 3);

    // 1. The app trains, as the worker would, and Export writes its last checkpoint.
    const events: TrainEvent[] = [];
    expect(await new SupervisedRun(plan, undefined, { backend: 'cpu', emit: (e) => events.push(e), stepEventIntervalMs: 0 }).run()).toBe('completed');
    const trained = events.filter((e): e is Extract<TrainEvent, { type: 'checkpoint' }> => e.type === 'checkpoint').at(-1)!.payload;
    const app = exportFromCheckpoint(trained, 'model')!;

    // 2. PyTorch loads them, trains one more step, writes them back and scores the held-out images.
    const dir = mkdtempSync(join(tmpdir(), 'tensorloom-round-trip-'));
    writeProjectWithAppData(dir, exported.files, app, stats, data);
    writeFileSync(join(dir, 'step.py'), STEP);
    const torch = JSON.parse(python(dir, ['step.py']).trim().split('\n').pop()!) as { accuracy: number; count: number };
    const torchLogits = new Float32Array(new Uint8Array(readFileSync(join(dir, 'torch-logits.bin'))).buffer);

    // 3. The app imports them: checked against the plan, a checkpoint at the plan's last epoch.
    const read = readModelFiles([
      { name: 'model.json', bytes: new Uint8Array(readFileSync(join(dir, 'back/model.json'))) },
      { name: 'model.weights.bin', bytes: new Uint8Array(readFileSync(join(dir, 'back/model.weights.bin'))) },
    ]);
    if (!read.ok) throw new Error(read.message);
    const imported = importWeights(plan.model, read.files, { epoch: 3, step: 0 });
    if (!imported.ok) throw new Error(imported.message);

    // 4. Evaluate: the resumed run has no epoch left, trains nothing and reports its evaluation.
    const evalEvents: TrainEvent[] = [];
    const resumeFrom: Checkpoint = { ...imported.checkpoint, weightData: imported.checkpoint.weightData.slice(0) };
    expect(await new SupervisedRun(plan, undefined, { backend: 'cpu', emit: (e) => evalEvents.push(e), resumeFrom }).run()).toBe('completed');
    expect(evalEvents.some((e) => e.type === 'step')).toBe(false);
    const report = evalEvents.find((e) => e.type === 'evaluation')?.evaluation as (EvaluationReport & { split: string }) | undefined;
    expect(report).toMatchObject({ split: 'validation', count: torch.count });

    // The same model builder and input preparation, for the logits themselves.
    const trainer = new Trainer(plan, { settings, stats });
    restoreWeights(trainer.model, imported.checkpoint);
    const before = new Trainer(plan, { settings, stats });
    restoreWeights(before.model, trained);
    const xs = tf.tensor4d(Float32Array.from(data.validation.images), [data.validation.count, ...data.validation.shape]);
    const logits = tf.tidy(() => (trainer.model.predict(trainer.augmenter.evaluate(xs)) as tf.Tensor).dataSync());
    const old = tf.tidy(() => (before.model.predict(before.augmenter.evaluate(xs)) as tf.Tensor).dataSync());
    const maxDiff = Math.max(...logits.map((v, i) => Math.abs(v - torchLogits[i]!)));
    const moved = Math.max(...logits.map((v, i) => Math.abs(v - old[i]!)));
    console.log(
      `round trip: app accuracy ${report!.accuracy} (${torch.count} images), PyTorch ${torch.accuracy}; max |logits app − PyTorch| ${maxDiff.toExponential(2)}; PyTorch's step moved the logits by up to ${moved.toExponential(2)}`,
    );
    // PyTorch's step must show in the imported weights, or equal numbers would prove nothing.
    expect(moved).toBeGreaterThan(1e-3);
    // A model that learned (chance is 0.25, 64 images), so equal accuracies compare something.
    expect(torch.accuracy).toBeGreaterThan(0.4);
    expect(maxDiff).toBeLessThan(1e-4);
    expect(report!.accuracy).toBe(torch.accuracy);
    tf.dispose(xs);
    trainer.dispose();
    before.dispose();
  }, 60_000);
});
