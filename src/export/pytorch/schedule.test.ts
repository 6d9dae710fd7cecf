/**
 * train.py's learning_rate(step) is the app's schedule: every kind, with and without warm-up,
 * evaluated at every step of a short run in Python and compared with `makeSchedule`.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { registry } from '../../../nodes/registry';
import { makeSchedule, type ScheduleParams } from '../../../nodes/training/lr-schedule';
import { presetById } from '../../../presets';
import { compile } from '../../graph/compile';
import { exportPyTorch } from './index';
import { python, torchMissing, writeProject, eachCaseTrainPy } from './test-python';

const missing = torchMissing();
const STEPS_PER_EPOCH = 7;

const CASES: (Partial<ScheduleParams> & { schedule: ScheduleParams['schedule'] })[] = [
  { schedule: 'constant' },
  { schedule: 'constant', warmupEpochs: 1.5 },
  { schedule: 'step', stepEvery: 2, stepGamma: 0.5, warmupEpochs: 1 },
  { schedule: 'cosine', minLearningRateFraction: 0.1 },
  { schedule: 'cosine', warmupEpochs: 1, minLearningRateFraction: 0 },
  { schedule: 'onecycle' },
  { schedule: 'onecycle', warmupEpochs: 1.5, minLearningRateFraction: 0.05 },
];

describe.skipIf(missing !== undefined)(`exported learning-rate schedule${missing ? ` (skipped: ${missing})` : ''}`, () => {
  it("equals the app's at every step, for every kind", () => {
    const dir = mkdtempSync(join(tmpdir(), 'tensorloom-lr-'));
    const expected: number[][] = [];
    CASES.forEach((c, i) => {
      const doc = structuredClone(presetById('resnet-cifar')!.doc);
      const params = { learningRate: 0.2, epochs: 5, warmupEpochs: 0, minLearningRateFraction: 0, ...c };
      doc.nodes = doc.nodes.map((n) => (n.id === 'optimizer' ? { ...n, params: { ...n.params, ...params } } : n));
      const r = compile(doc, registry);
      if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join('; '));
      const out = exportPyTorch(r.plan);
      if (!out.ok) throw new Error(out.message);
      writeProject(join(dir, `case${i}`), out.files);
      const optimizer = r.plan.mode === 'supervised' ? (r.plan.optimizer.params as unknown as ScheduleParams) : undefined;
      const schedule = makeSchedule(optimizer!, STEPS_PER_EPOCH);
      expected.push(Array.from({ length: schedule.totalSteps + 2 }, (_, s) => schedule.at(s)));
    });
    writeFileSync(
      join(dir, 'rates.py'),
      `${eachCaseTrainPy(CASES.length)}    rates.append([train.learning_rate(s, ${STEPS_PER_EPOCH}, train.EPOCHS) for s in range(train.EPOCHS * ${STEPS_PER_EPOCH} + 2)])
print(json.dumps(rates))
`,
    );
    const got = JSON.parse(python(dir, ['rates.py'])) as number[][];
    got.forEach((rates, i) => {
      expect(rates.length, `case ${i}`).toBe(expected[i]!.length);
      rates.forEach((r, s) => expect(r, `case ${i} (${CASES[i]!.schedule}) step ${s}`).toBeCloseTo(expected[i]![s]!, 12));
    });
  }, 30_000);
});
