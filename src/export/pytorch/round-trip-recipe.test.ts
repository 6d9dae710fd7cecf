/**
 * Weights both ways with the speedrun recipe on (a time budget, a weight average, test-time flips):
 * the app trains to its deadline and exports its checkpoint, which is the average; PyTorch's
 * evaluation of it, with flips, equals the app's final evaluation; PyTorch takes a step and folds
 * it into the average as train.py does, writes the average back, and the app's import of it,
 * stored as a run and evaluated, trains nothing (its budget is marked spent) and scores what
 * PyTorch scores.
 */
import * as tf from '@tensorflow/tfjs';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerFastCpuKernels } from '../../../workers/backend/backend-cpu-kernels';
import { channelStats } from '../../../workers/supervised/augment';
import { SupervisedRun, prepareData } from '../../../workers/supervised/supervised-run';
import { chainPlan } from '../../../workers/supervised/train-test-plans';
import { readTrainSettings } from '../../../workers/supervised/train-settings';
import { exportFromCheckpoint } from '../../data/model-files';
import type { Checkpoint } from '../../protocol/checkpoint';
import type { EvaluationReport, TrainEvent } from '../../protocol/train';
import { storeImportedRun } from '../../run/import-run';
import { RunRepository, openRunsDatabase } from '../../run/runs-db';
import { exportPyTorch } from './index';
import { loadAppModelPy, python, torchMissing, writeProjectWithAppData } from './test-python';

const missing = torchMissing();

const plan = chainPlan({
  dataset: { source: 'synthetic', numClasses: 4, imageSize: 8, channels: 3, samples: 256, seed: 7, validationSplit: 0.25 },
  augmentation: { randomFlip: true, padCrop: 1, normalize: 'per-channel' },
  layers: [['Conv2D', { filters: 8, kernelSize: 3 }], ['BatchNorm'], ['Activation', { fn: 'relu' }], ['MaxPool', { poolSize: 2 }], ['Flatten'], ['Dense', { units: 4 }]],
  optimizer: { optimizer: 'adam', learningRate: 0.01, budgetMinutes: 0.02, schedule: 'onecycle', emaDecay: 0.9, batchSize: 16 },
  evaluator: { samplePredictions: 0, flipAveraging: true },
});

const STEP = `${loadAppModelPy('data, train', 'app.pt')}
stats = json.load(open("stats.json"))
augment = data.Augment(stats["mean"], stats["std"])
def images(name):
    raw = np.fromfile(name, np.uint8).reshape(-1, *stats["shape"])
    return torch.from_numpy(raw.astype(np.float32)).permute(0, 3, 1, 2)
def labels(name):
    return torch.from_numpy(np.fromfile(name, np.uint8).astype(np.int64))
val = data.Images(np.fromfile("val-labels.bin", np.uint8), np.fromfile("val.bin", np.uint8).reshape(-1, *stats["shape"]), augment, False)
loader = torch.utils.data.DataLoader(val, batch_size=32)
cpu = torch.device("cpu")
as_exported = train.evaluate(net, loader, cpu)
torch.manual_seed(0)
average = train.WeightAverage(net)
y = labels("train-labels.bin")
x = torch.stack([augment(img, True) for img in images("train.bin")])
optimizer = train.make_optimizer(net)
loss = train.loss_fn(net(x), y)
optimizer.zero_grad()
loss.backward()
optimizer.step()
average.update(net, 1)
torch.save(average.model.state_dict(), "after.pt")
export_tfjs.export("after.pt", "back")
after = train.evaluate(average.model, loader, cpu)
print(json.dumps({"exported": as_exported, "after": after}))
`;

type Scores = Pick<EvaluationReport, 'loss' | 'accuracy' | 'confusion'>;
const evaluationOf = (events: TrainEvent[]) => events.find((e) => e.type === 'evaluation')?.evaluation as (EvaluationReport & { split: string }) | undefined;

describe.skipIf(missing !== undefined)(`weights round trip with a budget, an average and flips${missing ? ` (skipped: ${missing})` : ''}`, () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
    registerFastCpuKernels();
  });

  it('PyTorch scores the exported average as the app does, and the app scores PyTorch’s average as PyTorch does', async () => {
    const exported = exportPyTorch(plan);
    if (!exported.ok) throw new Error(exported.message);
    const data = prepareData(readTrainSettings(plan), undefined);
    const stats = channelStats(data.train.images, 3);

    // 1. The app trains to its 1.2 s deadline; its last checkpoint holds the average as the model.
    const events: TrainEvent[] = [];
    expect(await new SupervisedRun(plan, undefined, { backend: 'cpu', emit: (e) => events.push(e), stepEventIntervalMs: 0 }).run()).toBe('completed');
    const trained = events.filter((e): e is Extract<TrainEvent, { type: 'checkpoint' }> => e.type === 'checkpoint').at(-1)!.payload;
    expect(trained.trainedMs).toBeGreaterThanOrEqual(1200);
    expect(trained.trainingWeightData).toBeDefined();
    const appReport = evaluationOf(events)!;
    const app = exportFromCheckpoint(trained, 'model')!;

    // 2. PyTorch scores it, takes a step, folds it into the average and writes the average back.
    const dir = mkdtempSync(join(tmpdir(), 'tensorloom-recipe-trip-'));
    writeProjectWithAppData(dir, exported.files, app, stats, data);
    writeFileSync(join(dir, 'step.py'), STEP);
    const torch = JSON.parse(python(dir, ['step.py']).trim().split('\n').pop()!) as { exported: Scores; after: Scores };

    // 3. The app stores them as an imported run and evaluates it.
    const db = openRunsDatabase(`recipe-trip-${Math.random()}`, { indexedDB: new IDBFactory(), IDBKeyRange });
    const repo = new RunRepository(db, { sessionId: 's', tabId: 't' });
    const file = (name: string) => ({ name, bytes: new Uint8Array(readFileSync(join(dir, 'back', name))) });
    const stored = await storeImportedRun(repo, plan, [file('model.json'), file('model.weights.bin')]);
    if (!stored.ok) throw new Error(stored.message);
    const resumeFrom = (await repo.latestCheckpoint(stored.run.id))!.payload as Checkpoint;
    db.close();
    const evalEvents: TrainEvent[] = [];
    expect(await new SupervisedRun(plan, undefined, { backend: 'cpu', emit: (e) => evalEvents.push(e), resumeFrom }).run()).toBe('completed');
    const imported = evaluationOf(evalEvents)!;

    console.log(
      `recipe round trip: app ${appReport.loss} / PyTorch ${torch.exported.loss} on the exported average; after PyTorch's step PyTorch ${torch.after.loss} / app ${imported.loss} (accuracy ${torch.after.accuracy} / ${imported.accuracy})`,
    );
    expect(evalEvents.some((e) => e.type === 'step')).toBe(false);
    const close = (a: Scores, b: Scores) => {
      expect(Math.abs(a.loss - b.loss) / b.loss).toBeLessThan(1e-5);
      expect(a.confusion).toEqual(b.confusion);
    };
    close(torch.exported, appReport);
    close(imported, torch.after);
    // PyTorch's step must show in what came back, or equal numbers would prove nothing.
    expect(Math.abs(torch.after.loss - torch.exported.loss)).toBeGreaterThan(1e-3);
  }, 90_000);
});
