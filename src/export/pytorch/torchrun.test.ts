/**
 * The exported train.py under PyTorch's own launcher: two gloo processes on the CPU train two epochs
 * on a small CIFAR-format file, the loss falls, every process ends with the same weights, and the
 * Evaluator's report is written; data.py holds out the app's validation images.
 */
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { splitDataset } from '../../../workers/supervised/data';
import { exportPyTorch } from './index';
import { everyOpPlan, python, records, torchMissing, writeProject } from './test-python';

const missing = torchMissing();

describe.skipIf(missing !== undefined)(`exported train.py under torchrun${missing ? ` (skipped: ${missing})` : ''}`, () => {
  it('trains 2 epochs in 2 gloo processes: loss falls, weights agree, report written', () => {
    const plan = everyOpPlan();
    const exported = exportPyTorch(plan);
    if (!exported.ok) throw new Error(exported.message);
    const dir = mkdtempSync(join(tmpdir(), 'tensorloom-torchrun-'));
    writeProject(dir, exported.files);
    mkdirSync(join(dir, 'data'));
    const { sampleShape, numClasses } = plan.dataset.value;
    writeFileSync(join(dir, 'data/data_batch_1.bin'), records(192, sampleShape, numClasses, 1));
    writeFileSync(join(dir, 'data/test_batch.bin'), records(40, sampleShape, numClasses, 2));
    // --redirects/--tee: Debian's torch 1.13 launcher fails on Python 3.11 without them.
    // --standalone: a free port, so a run elsewhere on this machine holding 29500 does not collide.
    const out = python(dir, ['-m', 'torch.distributed.run', '--standalone', '--nproc_per_node=2', '--redirects', '2', '--tee', '2',
      'train.py', '--data', 'data', '--device', 'cpu', '--workers', '0', '--out', 'runs'], 60_000);
    const losses = [...out.matchAll(/^epoch \d+\/2: loss ([\d.]+)/gm)].map((m) => Number(m[1]));
    console.log(out.split('\n').filter((l) => /epoch|agree|processes|test:/.test(l)).join('\n'));
    expect(out).toContain('2 process(es) on cpu');
    expect(losses).toHaveLength(2);
    expect(losses[1]!).toBeLessThan(losses[0]!);
    expect(out).toMatch(/weights agree across 2 processes: largest difference 0\n/);
    const report = JSON.parse(readFileSync(join(dir, 'runs/evaluation.json'), 'utf8')) as { split: string; count: number; confusion: number[][] };
    expect(report.split).toBe('test');
    expect(report.count).toBe(40);
    expect(report.confusion.flat().reduce((a, b) => a + b, 0)).toBe(40);
  }, 120_000);
});

describe.skipIf(missing !== undefined)(`exported train.py in one process${missing ? ` (skipped: ${missing})` : ''}`, () => {
  it('resumes from its checkpoint at the next epoch, with the optimizer state it saved', () => {
    const plan = everyOpPlan();
    const exported = exportPyTorch(plan);
    if (!exported.ok) throw new Error(exported.message);
    const dir = mkdtempSync(join(tmpdir(), 'tensorloom-resume-'));
    writeProject(dir, exported.files);
    mkdirSync(join(dir, 'data'));
    writeFileSync(join(dir, 'data/data_batch_1.bin'), records(96, plan.dataset.value.sampleShape, plan.dataset.value.numClasses, 3));
    const common = ['train.py', '--data', 'data', '--device', 'cpu', '--workers', '0'];
    const first = python(dir, [...common, '--epochs', '1', '--out', 'a']);
    expect(first).toMatch(/^epoch 1\/1: /m);
    const resumed = python(dir, [...common, '--epochs', '2', '--out', 'b', '--resume', 'a/checkpoint.pt']);
    expect(resumed).not.toMatch(/^epoch 1\//m);
    expect(resumed).toMatch(/^epoch 2\/2: loss [\d.]+/m);
    const state = python(dir, ['-c', 'import torch; s = torch.load("b/checkpoint.pt"); print(s["epoch"], s["step"], len(s["optimizer"]["state"]) > 0)']);
    expect(state.trim()).toBe('2 8 True');
  }, 60_000);
});

describe.skipIf(missing !== undefined)(`exported data.py${missing ? ` (skipped: ${missing})` : ''}`, () => {
  it('holds out the same validation images as the app, with and without a cap on training images', () => {
    const exported = exportPyTorch(everyOpPlan());
    if (!exported.ok) throw new Error(exported.message);
    const dir = mkdtempSync(join(tmpdir(), 'tensorloom-split-'));
    writeProject(dir, exported.files);
    const count = 1000;
    // Each image's two bytes are its index, so the app's split can be read back as indices.
    const images = new Uint8Array(count * 2).map((_, i) => (i % 2 === 0 ? Math.floor(i / 2 / 256) : (i - 1) / 2 % 256));
    const set = { images, labels: new Uint8Array(count), count, shape: [1, 1, 2] as [number, number, number] };
    for (const p of [{ validationSplit: 0.1, maxTrainImages: 0, seed: 1 }, { validationSplit: 0.25, maxTrainImages: 300, seed: 12345 }]) {
      const app = splitDataset(set, p);
      const indices = (s: { images: Uint8Array; count: number }) => Array.from({ length: s.count }, (_, i) => s.images[2 * i]! * 256 + s.images[2 * i + 1]!);
      const out = python(dir, ['-c', `import json, data\ndata.VALIDATION_SPLIT, data.MAX_TRAIN_IMAGES, data.SEED = ${p.validationSplit}, ${p.maxTrainImages}, ${p.seed}\nprint(json.dumps(data.split(${count})))`]);
      expect(JSON.parse(out)).toEqual([indices(app.train), indices(app.validation)]);
    }
  }, 30_000);
});
