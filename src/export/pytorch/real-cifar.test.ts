/**
 * The exported project on real CIFAR-10 images (the same binary files the app loads): 300 steps of
 * train.py bring the training loss below the first step's. Needs ../shared/data/cifar10 (absent in
 * a user's clone: the test then skips, saying why) and Debian's PyTorch.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chainPlan, smallConvNet } from '../../../workers/supervised/train-test-plans';
import { exportPyTorch } from './index';
import { python, torchMissing, writeProject } from './test-python';

const CIFAR = resolve(__dirname, '../../../../shared/data/cifar10/data_batch_1.bin');
const RECORD = 1 + 32 * 32 * 3;
const reason = torchMissing() ?? (existsSync(CIFAR) ? undefined : `no CIFAR-10 batch at ${CIFAR}`);

describe.skipIf(reason !== undefined)(`exported train.py on real CIFAR-10${reason ? ` (skipped: ${reason})` : ''}`, () => {
  it('300 steps bring the training loss below the first step’s', () => {
    // 2 epochs of 150 batches of 32: 5,334 images, a tenth held out for validation.
    const plan = chainPlan({
      dataset: { source: 'cifar10', validationSplit: 0.1 },
      augmentation: { randomFlip: true, padCrop: 2, normalize: 'per-channel' },
      layers: smallConvNet(10),
      optimizer: { optimizer: 'adam', learningRate: 0.003, epochs: 2, batchSize: 32 },
    });
    const exported = exportPyTorch(plan);
    if (!exported.ok) throw new Error(exported.message);
    const dir = mkdtempSync(join(tmpdir(), 'tensorloom-real-cifar-'));
    writeProject(dir, exported.files);
    mkdirSync(join(dir, 'data'));
    writeFileSync(join(dir, 'data/data_batch_1.bin'), readFileSync(CIFAR).subarray(0, 5334 * RECORD));

    const out = python(dir, ['train.py', '--device', 'cpu', '--workers', '0', '--log-every', '50'], 180_000);
    const losses = [...out.matchAll(/^step (\d+): loss ([\d.]+)/gm)].map((m) => ({ step: Number(m[1]), loss: Number(m[2]) }));
    console.log(`real CIFAR-10, 300 steps of the exported train.py: ${losses.map((l) => `${l.step}: ${l.loss}`).join(', ')}`);
    expect(losses[0]).toMatchObject({ step: 1 });
    expect(losses.at(-1)!.step).toBe(300);
    expect(losses.at(-1)!.loss).toBeLessThan(losses[0]!.loss);
  }, 200_000);
});
