/**
 * The weight average and test-time flips in the exported train.py. The average: two one-step
 * epochs (the second a resumed run) leave the average the app's rule gives (`emaDecayAt`), and the
 * average is what is saved, exported by tools/export_tfjs.py and evaluated. The flips (and the Loss node's label smoothing, on logits
 * and on softmax outputs): PyTorch's evaluation of the app's weights equals the app's own.
 */
import * as tf from '@tensorflow/tfjs';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { emaDecayAt } from '../../../workers/supervised/trainer-ema';
import { prepareData } from '../../../workers/supervised/supervised-run';
import { chainPlan } from '../../../workers/supervised/train-test-plans';
import { readTrainSettings } from '../../../workers/supervised/train-settings';
import { Trainer } from '../../../workers/supervised/trainer';
import { toExportedModel } from '../../data/model-files';
import { exportPyTorch } from './index';
import { everyOpPlan, loadAppModelPy, python, records, torchMissing, writeProject } from './test-python';

const missing = torchMissing();
const DECAY = 0.5;

const EMA_CHECK = (d1: number, d2: number, cls: string) => `import json, sys
import torch
sys.path[:0] = [".", "tools"]
import convert_tfjs, data, export_tfjs, train
floats = lambda s: {k: v.double() for k, v in s.items() if v.is_floating_point()}
w0, a, b, saved = (torch.load(p) for p in ("init.pt", "a/checkpoint.pt", "b/checkpoint.pt", "b/weights.pt"))
def diff(x, y):
    x, y = floats(x), floats(y)
    return max((x[k] - y[k]).abs().max().item() for k in x)
after_1 = {k: ${d1} * v + ${1 - d1} * floats(a["training"])[k] for k, v in floats(w0).items()}
after_2 = {k: ${d2} * v + ${1 - d2} * floats(b["training"])[k] for k, v in floats(a["model"]).items()}
export_tfjs.export("b/checkpoint.pt", "back")
convert_tfjs.convert("back/model.json", "back.pt")
_, _, test = data.datasets("data")
x = torch.stack([test[i][0] for i in range(len(test))])
y = torch.tensor([test[i][1] for i in range(len(test))])
def loss(state, flip):
    net = train.${cls}()
    net.load_state_dict(state)
    net.eval()
    with torch.no_grad():
        out = (net(x) + net(x.flip(3))) / 2 if flip else net(x)
    return train.loss_fn(out, y).item()
print(json.dumps({"average_1": diff(a["model"], after_1), "average_2": diff(b["model"], after_2), "saved": diff(saved, b["model"]), "tools": diff(torch.load("back.pt"), b["model"]),
                  "moved": diff(a["training"], w0), "apart": diff(b["model"], b["training"]), "steps": [a["step"], b["step"]],
                  "flipped": loss(b["model"], True), "plain": loss(b["model"], False), "training_flipped": loss(b["training"], True)}))
`;

async function save(model: tf.LayersModel) {
  return toExportedModel(
    (await model.save(tf.io.withSaveHandler(async (a) => ({ modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' }, ...a })))) as unknown as tf.io.ModelArtifacts,
  );
}

describe.skipIf(missing !== undefined)(`train.py's weight average and test-time flips${missing ? ` (skipped: ${missing})` : ''}`, () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('averages as the app does across a resume, and saves and evaluates the average (with flips)', () => {
    // One step an epoch (30 training images, batch 32), so each checkpoint is one step further.
    const plan = everyOpPlan({ optimizer: { emaDecay: DECAY, batchSize: 32, schedule: 'constant' }, evaluate: { flipAveraging: true } });
    const exported = exportPyTorch(plan);
    if (!exported.ok) throw new Error(exported.message);
    const dir = mkdtempSync(join(tmpdir(), 'tensorloom-ema-'));
    writeProject(dir, exported.files);
    mkdirSync(join(dir, 'data'));
    const { sampleShape, numClasses } = plan.dataset.value;
    writeFileSync(join(dir, 'data/data_batch_1.bin'), records(40, sampleShape, numClasses, 4));
    writeFileSync(join(dir, 'data/test_batch.bin'), records(24, sampleShape, numClasses, 5));
    python(dir, ['-c', `import torch, model; torch.manual_seed(3); torch.save(model.${exported.className}().state_dict(), "init.pt")`]);
    const common = ['train.py', '--data', 'data', '--device', 'cpu', '--workers', '0', '--log-every', '0'];
    python(dir, [...common, '--epochs', '1', '--weights', 'init.pt', '--out', 'a']);
    const resumed = python(dir, [...common, '--epochs', '2', '--resume', 'a/checkpoint.pt', '--out', 'b']);
    writeFileSync(join(dir, 'check.py'), EMA_CHECK(emaDecayAt(DECAY, 1), emaDecayAt(DECAY, 2), exported.className));
    const r = JSON.parse(python(dir, ['check.py']).trim().split('\n').pop()!) as Record<string, number> & { steps: number[] };
    console.log(`EMA: ${JSON.stringify(r)}`);
    expect(r.steps).toEqual([1, 2]);
    // The warm-up rule holds the first decays below the set one: 2/11, then 3/12.
    expect(emaDecayAt(DECAY, 1)).toBeCloseTo(2 / 11, 15);
    expect(r.moved).toBeGreaterThan(1e-3);
    expect(r.apart).toBeGreaterThan(1e-4);
    expect(r.average_1).toBeLessThan(1e-6);
    expect(r.average_2).toBeLessThan(1e-6);
    expect(r.saved).toBe(0);
    // tools/export_tfjs.py takes a checkpoint's average, as the app exports its checkpoints' average.
    expect(r.tools).toBe(0);
    const report = JSON.parse(readFileSync(join(dir, 'b/evaluation.json'), 'utf8')) as { split: string; count: number; loss: number };
    expect(report).toMatchObject({ split: 'test', count: 24, flip_averaged: true, weight_average_decay: DECAY });
    expect(resumed).toMatch(/^test: accuracy [\d.]+ \(flip-averaged, weight average 0.5\) on 24 images/m);
    // The report is the average's, with flips: by hand, and unlike the plain or the training weights' loss.
    // (Two steps leave the fixture's model little moved, so the margins are small, yet far above float32 noise.)
    expect(Math.abs(report.loss - r.flipped!)).toBeLessThan(1e-6);
    expect(Math.abs(r.plain! - r.flipped!)).toBeGreaterThan(2e-5);
    expect(Math.abs(r.training_flipped! - r.flipped!)).toBeGreaterThan(1e-4);
  }, 90_000);

  it.each([
    ['logits', false],
    ['softmax output', true],
  ])("scores the app's weights as the app does, with flips and label smoothing (%s)", async (_label, softmax) => {
    const plan = chainPlan({
      dataset: { source: 'synthetic', numClasses: 4, imageSize: 8, channels: 3, samples: 160, seed: 9, validationSplit: 0.4 },
      augmentation: { randomFlip: false, padCrop: 0, normalize: 'unit' },
      layers: [['Conv2D', { filters: 6, kernelSize: 3 }], ['BatchNorm'], ['Activation', { fn: 'relu' }], ['Flatten'], ['Dense', { units: 4 }], ...(softmax ? [['Activation', { fn: 'softmax' }] as [string, Record<string, unknown>]] : [])],
      loss: { labelSmoothing: 0.1 },
      evaluator: { flipAveraging: true, samplePredictions: 0 },
    });
    const exported = exportPyTorch(plan);
    if (!exported.ok) throw new Error(exported.message);
    const settings = readTrainSettings(plan);
    const trainer = new Trainer(plan, { settings });
    let seed = 21;
    // Positive BatchNorm variances (and biases, means, scales); kernels centred, so the logits stay moderate.
    trainer.model.setWeights(trainer.model.getWeights().map((w) => (w.shape.length === 1 ? tf.randomUniform(w.shape, 0.2, 1, 'float32', seed++) : tf.randomNormal(w.shape, 0, 0.3, 'float32', seed++))));
    const set = prepareData(settings, undefined).validation;
    const app = await trainer.evaluate(set);
    const model = await save(trainer.model);
    const dir = mkdtempSync(join(tmpdir(), 'tensorloom-flip-'));
    writeProject(dir, {
      ...exported.files,
      'tfjs/model.json': model.modelJson,
      [`tfjs/${model.weightsName}`]: new Uint8Array(model.weights),
      'images.bin': set.images,
      'labels.bin': set.labels,
    });
    writeFileSync(
      join(dir, 'eval.py'),
      `${loadAppModelPy('data, train', 'app.pt')}
images = np.fromfile("images.bin", np.uint8).reshape(${set.count}, ${set.shape.join(', ')})
labels = np.fromfile("labels.bin", np.uint8)
loader = torch.utils.data.DataLoader(data.Images(labels, images, data.Augment([0.5] * 3, [0.25] * 3), False), batch_size=16)
report = train.evaluate(net, loader, torch.device("cpu"))
net.eval()
x = torch.stack([loader.dataset[i][0] for i in range(len(labels))])
with torch.no_grad():
    plain = train.loss_fn(net(x), torch.from_numpy(labels.astype(np.int64))).item()
print(json.dumps({"loss": report["loss"], "accuracy": report["accuracy"], "confusion": report["confusion"], "plain": plain}))
`,
    );
    const torch = JSON.parse(python(dir, ['eval.py']).trim().split('\n').pop()!) as { loss: number; accuracy: number; confusion: number[][]; plain: number };
    console.log(`flips (${_label}): app loss ${app.loss}, PyTorch ${torch.loss}, without flips ${torch.plain}; accuracy ${app.accuracy} / ${torch.accuracy}`);
    expect(set.count).toBe(64);
    expect(Math.abs(torch.plain - torch.loss)).toBeGreaterThan(1e-3);
    expect(Math.abs(torch.loss - app.loss) / app.loss).toBeLessThan(1e-5);
    expect(torch.confusion).toEqual(app.confusion);
    trainer.dispose();
  }, 60_000);
});
