/**
 * The Optimizer's time budget in the exported train.py: its learning rate is the app's
 * `makeTimeSchedule` at every share of the budget, two torchrun processes stop at the deadline
 * together (and agree on every weight, so they took the same rates), a resumed run keeps the clock
 * its checkpoint recorded, and validation is not counted as training time.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { registry } from '../../../nodes/registry';
import { makeTimeSchedule, type TimeScheduleParams } from '../../../nodes/training/time-schedule';
import { presetById } from '../../../presets';
import { compile } from '../../graph/compile';
import type { SupervisedPlan } from '../../graph/plan';
import { exportPyTorch } from './index';
import { everyOpPlan, python, records, torchMissing, writeProject, eachCaseTrainPy } from './test-python';

const missing = torchMissing();
const STEPS_PER_EPOCH = 7;
const FRACTIONS = [0, 0.05, 0.1, 0.2, 0.25, 0.4, 0.5, 0.75, 0.9, 0.99, 1, 1.5];
const STEPS = [0, 6, 7, 20, 50];

const CASES: (Partial<TimeScheduleParams> & { schedule: TimeScheduleParams['schedule'] })[] = [
  { schedule: 'onecycle', minLearningRateFraction: 0.05 },
  { schedule: 'onecycle', budgetWarmupFraction: 0 },
  { schedule: 'cosine', budgetWarmupFraction: 0.25, minLearningRateFraction: 0.1 },
  { schedule: 'constant', budgetWarmupFraction: 0.2 },
  { schedule: 'step', stepEvery: 2, stepGamma: 0.5, budgetWarmupFraction: 0.1 },
];

/** Writes the project and a CIFAR-format training and test file; returns its folder. */
function project(plan: SupervisedPlan, prefix: string): string {
  const exported = exportPyTorch(plan);
  if (!exported.ok) throw new Error(exported.message);
  const dir = mkdtempSync(join(tmpdir(), prefix));
  writeProject(dir, exported.files);
  mkdirSync(join(dir, 'data'));
  const { sampleShape, numClasses } = plan.dataset.value;
  writeFileSync(join(dir, 'data/data_batch_1.bin'), records(128, sampleShape, numClasses, 1));
  writeFileSync(join(dir, 'data/test_batch.bin'), records(24, sampleShape, numClasses, 2));
  return dir;
}

const checkpoint = (dir: string, path: string) =>
  JSON.parse(python(dir, ['-c', `import json, torch; s = torch.load("${path}"); print(json.dumps({"step": s["step"], "epoch": s["epoch"], "trained": s["trained_seconds"]}))`])) as {
    step: number;
    epoch: number;
    trained: number;
  };

describe.skipIf(missing !== undefined)(`train.py with a time budget${missing ? ` (skipped: ${missing})` : ''}`, () => {
  it("takes the app's time-based learning rate at every share of the budget, for every kind", () => {
    const dir = mkdtempSync(join(tmpdir(), 'tensorloom-budget-lr-'));
    const expected = CASES.map((c, i) => {
      const doc = structuredClone(presetById('resnet-cifar')!.doc);
      const params = { learningRate: 0.2, budgetMinutes: 10, budgetWarmupFraction: 0.15, minLearningRateFraction: 0, ...c };
      doc.nodes = doc.nodes.map((n) => (n.id === 'optimizer' ? { ...n, params: { ...n.params, ...params } } : n));
      const r = compile(doc, registry);
      if (!r.ok || r.plan.mode !== 'supervised') throw new Error('the preset does not compile');
      const out = exportPyTorch(r.plan);
      if (!out.ok) throw new Error(out.message);
      writeProject(join(dir, `case${i}`), out.files);
      const schedule = makeTimeSchedule(r.plan.optimizer.params as unknown as TimeScheduleParams, STEPS_PER_EPOCH);
      return STEPS.map((step) => FRACTIONS.map((f) => schedule.at(f * schedule.budgetMs, step)));
    });
    writeFileSync(
      join(dir, 'rates.py'),
      `${eachCaseTrainPy(CASES.length)}    rates.append([[train.budget_learning_rate(f, s, ${STEPS_PER_EPOCH}) for f in ${JSON.stringify(FRACTIONS)}] for s in ${JSON.stringify(STEPS)}])
print(json.dumps(rates))
`,
    );
    const got = JSON.parse(python(dir, ['rates.py'])) as number[][][];
    got.forEach((bySteps, i) =>
      bySteps.forEach((rates, s) =>
        rates.forEach((r, f) => expect(r, `case ${i} (${CASES[i]!.schedule}) step ${STEPS[s]} at ${FRACTIONS[f]} of the budget`).toBeCloseTo(expected[i]![s]![f]!, 12)),
      ),
    );
    // The cases must reach the warm-up, the peak and the floor, or equal numbers would prove little.
    expect(expected[0]![0]![0]).toBeCloseTo(0.2 / 25, 12);
    expect(expected[0]![0]![FRACTIONS.indexOf(1)]).toBeCloseTo(0.01, 12);
    expect(expected[4]![4]![FRACTIONS.indexOf(0.5)]).toBeCloseTo(0.2 * 0.5 ** 3, 12);
  }, 30_000);

  it('stops two torchrun processes at the deadline together with the same weights; resumed, keeps the clock', () => {
    const plan = everyOpPlan({ optimizer: { budgetMinutes: 0.05, schedule: 'onecycle', emaDecay: 0.9 }, evaluate: { flipAveraging: true } });
    const dir = project(plan, 'tensorloom-budget-');
    const common = ['train.py', '--data', 'data', '--device', 'cpu', '--workers', '0', '--log-every', '0'];
    // --redirects/--tee: Debian's torch 1.13 launcher fails on Python 3.11 without them.
    const out = python(dir, ['-m', 'torch.distributed.run', '--standalone', '--nproc_per_node=2', '--redirects', '2', '--tee', '2', ...common, '--out', 'a'], 90_000);
    console.log(out.split('\n').filter((l) => /agree|budget|test:/.test(l)).join('\n'));
    const stopped = /time budget of 0.05 min spent: stopped after (\d+) steps/.exec(out);
    expect(stopped, out).not.toBeNull();
    expect(out).toMatch(/^epoch 1 at [\d.]+\/3 s: loss [\d.]+/m);
    // Had the processes taken different rates, their weights would differ; had one stopped alone, this would hang.
    expect(out).toMatch(/weights agree across 2 processes: largest difference 0\n/);
    const first = checkpoint(dir, 'a/checkpoint.pt');
    expect(first.step).toBe(Number(stopped![1]));
    expect(first.trained).toBeGreaterThanOrEqual(3);
    const report = JSON.parse(readFileSync(join(dir, 'a/evaluation.json'), 'utf8')) as { split: string; count: number };
    expect(report).toMatchObject({ split: 'test', count: 24 });

    // Resumed (in one process) with the budget spent: no step, only the evaluation.
    const again = python(dir, [...common, '--out', 'b', '--resume', 'a/checkpoint.pt']);
    expect(again).not.toMatch(/^epoch /m);
    expect(again).toContain(`stopped after ${first.step} steps`);
    expect(again).toMatch(/^test: accuracy [\d.]+ \(flip-averaged, weight average 0.9\) on 24 images/m);
    // With more minutes, the clock goes on from the checkpoint's time.
    const longer = python(dir, [...common, '--out', 'c', '--resume', 'a/checkpoint.pt', '--minutes', '0.07']);
    expect(longer).toMatch(new RegExp(`^epoch ${first.epoch + 1} at `, 'm'));
    const second = checkpoint(dir, 'c/checkpoint.pt');
    expect(second.step).toBeGreaterThan(first.step);
    expect(second.trained).toBeGreaterThanOrEqual(4.2);
  }, 150_000);

  it('leaves validation out of the clock, as the app does', () => {
    const plan = everyOpPlan({ optimizer: { budgetMinutes: 0.005, schedule: 'constant' } });
    const dir = project(plan, 'tensorloom-budget-validation-');
    // Every validation takes 0.5 s more, longer than the whole 0.3 s budget: counted, one epoch would be all.
    writeFileSync(
      join(dir, 'slow.py'),
      `import sys, time
sys.argv = ["train.py", "--data", "data", "--device", "cpu", "--workers", "0", "--log-every", "0", "--out", "slow"]
import train
evaluate = train.evaluate
def slow_evaluate(*args):
    time.sleep(0.5)
    return evaluate(*args)
train.evaluate = slow_evaluate
train.main()
`,
    );
    const out = python(dir, ['slow.py']);
    const epochs = [...out.matchAll(/^epoch \d+ at /gm)].length;
    const saved = checkpoint(dir, 'slow/checkpoint.pt');
    console.log(`0.3 s budget with 0.5 s validations: ${epochs} epochs, ${saved.step} steps, ${saved.trained.toFixed(2)} s trained`);
    expect(epochs).toBeGreaterThanOrEqual(2);
    expect(saved.trained).toBeGreaterThanOrEqual(0.3);
    expect(saved.trained).toBeLessThan(0.5);
  }, 60_000);
});
