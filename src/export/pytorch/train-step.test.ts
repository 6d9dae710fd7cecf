/**
 * train.py optimizes as the app's Trainer does: from the same weights, two steps on the same batch
 * (augmentation made deterministic, dropout 0) leave the same weights in TF.js and PyTorch. This
 * covers the loss (label smoothing), the optimizer (AdamW's decoupled decay, SGD Nesterov with L2 on
 * kernels only), the learning rate at each step and BatchNorm in training mode.
 */
import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { registry } from '../../../nodes/registry';
import { makeSchedule } from '../../../nodes/training/lr-schedule';
import { Trainer } from '../../../workers/supervised/trainer';
import { toExportedModel } from '../../data/model-files';
import { admitDocumentText } from '../../graph/admit';
import { compile } from '../../graph/compile';
import type { SupervisedPlan } from '../../graph/plan';
import { exportPyTorch } from './index';
import { loadAppModelPy, python, torchMissing, writeProject } from './test-python';

const missing = torchMissing();
const STEPS = 2;
const STEPS_PER_EPOCH = 5;

function plan(optimizer: Record<string, unknown>): SupervisedPlan {
  const a = admitDocumentText(readFileSync(join(__dirname, 'fixtures/every-layer-op.json'), 'utf8'), registry);
  if (!a.ok) throw new Error('fixture not admitted');
  const doc = a.doc;
  const deterministic: Record<string, Record<string, unknown>> = {
    augment: { randomFlip: false, padCrop: 0, normalize: 'unit' },
    drop: { rate: 0 },
    optimizer,
  };
  doc.nodes = doc.nodes.map((n) => (deterministic[n.id] ? { ...n, params: { ...n.params, ...deterministic[n.id] } } : n));
  const r = compile(doc, registry);
  if (!r.ok || r.plan.mode !== 'supervised') throw new Error(r.diagnostics.map((d) => d.message).join('; '));
  return r.plan;
}

async function save(model: tf.LayersModel) {
  return toExportedModel((await model.save(tf.io.withSaveHandler(async (a) => ({ modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' }, ...a })))) as unknown as tf.io.ModelArtifacts);
}

const STEP = `
${loadAppModelPy('data, train', 'before.pt')}net.train()
shape = json.load(open("batch.json"))
images = torch.from_numpy(np.fromfile("images.bin", np.uint8).reshape(shape).astype(np.float32)).permute(0, 3, 1, 2)
augment = data.Augment([0.5] * 3, [0.25] * 3)
x = torch.stack([augment(img, True) for img in images])
y = torch.from_numpy(np.fromfile("labels.bin", np.uint8).astype(np.int64))
optimizer = train.make_optimizer(net)
for step in range(${STEPS}):
    for group in optimizer.param_groups:
        group["lr"] = train.learning_rate(step, ${STEPS_PER_EPOCH}, train.EPOCHS)
    loss = train.loss_fn(net(x), y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
torch.save(net.state_dict(), "after.pt")
export_tfjs.export("after.pt", "after")
`;

describe.skipIf(missing !== undefined)(`train.py's steps${missing ? ` (skipped: ${missing})` : ''}`, () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it.each([
    ['AdamW, decoupled decay, label smoothing, cosine warm-up', { optimizer: 'adamw', learningRate: 0.05, weightDecay: 0.05, schedule: 'cosine', warmupEpochs: 1 }],
    ['SGD Nesterov, L2 decay, step schedule', { optimizer: 'sgd', learningRate: 0.2, momentum: 0.9, nesterov: true, weightDecay: 0.01, schedule: 'step', stepEvery: 1, stepGamma: 0.5, warmupEpochs: 0 }],
  ])('%s: same weights after two steps', async (_label, optimizer) => {
    const p = plan(optimizer);
    const exported = exportPyTorch(p);
    if (!exported.ok) throw new Error(exported.message);
    const trainer = new Trainer(p);
    let seed = 11;
    // Positive BatchNorm variances; everything else random too, so no layer starts as an identity.
    trainer.model.setWeights(trainer.model.getWeights().map((w) => tf.randomNormal(w.shape, 0, 0.3, 'float32', seed++).abs().add(0.5).mul(w.shape.length === 1 ? 1 : 0.3)));
    const before = await save(trainer.model);
    const start = trainer.model.getWeights().map((t) => t.dataSync().slice());
    const [h, w, c] = p.model.inputShape as [number, number, number];
    const n = 8;
    // Varied images and unbalanced labels: with look-alike images and balanced labels, label
    // smoothing's share of the gradient cancels out and a wrong smoothing would go unseen.
    let r = 12345;
    const images = new Uint8Array(n * h * w * c).map(() => (r = (r * 1103515245 + 12345) % 2 ** 31) % 256);
    const labels = Uint8Array.from([0, 0, 0, 1, 1, 2, 3, 0]);
    const schedule = makeSchedule(p.optimizer.params as never, STEPS_PER_EPOCH);
    for (let s = 0; s < STEPS; s++) {
      trainer.setLearningRate(schedule.at(s));
      const xs = tf.tensor4d(Float32Array.from(images), [n, h, w, c]);
      const ys = tf.oneHot(tf.tensor1d(Array.from(labels), 'int32'), p.dataset.value.numClasses) as tf.Tensor2D;
      await trainer.trainStep(xs, ys);
      tf.dispose([xs, ys]);
    }
    // The steps must move the weights well past the tolerance, or equal weights would prove nothing.
    const trainable = new Set(trainer.model.trainableWeights.map((v) => v.originalName));
    const change = Math.max(
      ...trainer.model.getWeights().map((t, i) => (trainable.has(trainer.model.weights[i]!.originalName) ? Math.max(...t.dataSync().map((v, j) => Math.abs(v - start[i]![j]!))) : 0)),
    );
    const dir = mkdtempSync(join(tmpdir(), 'tensorloom-step-'));
    writeProject(dir, {
      ...exported.files,
      'tfjs/model.json': before.modelJson,
      [`tfjs/${before.weightsName}`]: new Uint8Array(before.weights),
      'images.bin': images,
      'labels.bin': labels,
      'batch.json': JSON.stringify([n, h, w, c]),
    });
    writeFileSync(join(dir, 'step.py'), STEP);
    python(dir, ['step.py']);
    const backJson = JSON.parse(readFileSync(join(dir, 'after/model.json'), 'utf8')) as { weightsManifest: { weights: { name: string; shape: number[] }[] }[] };
    const bin = new Float32Array(new Uint8Array(readFileSync(join(dir, 'after/model.weights.bin'))).buffer);
    const app = new Map(trainer.model.weights.map((v, i) => [v.originalName, trainer.model.getWeights()[i]!.dataSync()]));
    let offset = 0;
    let worst = 0;
    let compared = 0;
    for (const spec of backJson.weightsManifest[0]!.weights) {
      const size = spec.shape.reduce((a, b) => a * b, 1);
      const torchValues = bin.subarray(offset, offset + size);
      offset += size;
      // PyTorch's running variance is the unbiased batch variance, TF.js's the biased one (README says so).
      if (spec.name.endsWith('moving_variance')) continue;
      const appValues = app.get(spec.name);
      expect(appValues, spec.name).toBeDefined();
      torchValues.forEach((v, i) => {
        worst = Math.max(worst, Math.abs(v - appValues![i]!));
      });
      compared++;
    }
    console.log(`${_label}: ${compared} weights compared, largest change ${change.toExponential(2)}, max |PyTorch − TF.js| after ${STEPS} steps = ${worst.toExponential(2)}`);
    expect(change).toBeGreaterThan(1e-2);
    expect(worst).toBeLessThan(1e-4);
    trainer.dispose();
  }, 60_000);
});
