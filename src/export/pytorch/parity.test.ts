/**
 * The exported project computes what the app's model computes: the worker's model builder makes the
 * TF.js model (cpu backend), the app's Export writes its weights, tools/convert_tfjs.py turns them
 * into weights.pt, and model.py's logits on the same inputs match; tools/export_tfjs.py takes them
 * back to a model.json that TF.js loads and that predicts the same again.
 */
import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { registry } from '../../../nodes/registry';
import { presetById } from '../../../presets';
import { buildModel } from '../../../workers/model/model-builder';
import { toExportedModel } from '../../data/model-files';
import { admitDocumentText } from '../../graph/admit';
import { compile } from '../../graph/compile';
import type { GraphDocument } from '../../graph/document';
import type { TrainingPlan } from '../../graph/plan';
import { exportPyTorch } from './index';
import { loadAppModelPy, PYTHON, python, torchMissing, writeProject } from './test-python';

const missing = torchMissing();
const BATCH = 3;
/** Each graph's exported project, by label, for the refusal check. */
const projects = new Map<string, string>();

function planOf(doc: GraphDocument): TrainingPlan {
  const r = compile(doc, registry);
  if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join('; '));
  return r.plan;
}

const fixture = (file: string) => (): GraphDocument => {
  const a = admitDocumentText(readFileSync(join(__dirname, 'fixtures', file), 'utf8'), registry);
  if (!a.ok) throw new Error(a.problems.map((p) => p.message).join('; '));
  return a.doc;
};

const GRAPHS: [string, () => GraphDocument][] = [
  ['ResNet preset', () => structuredClone(presetById('resnet-cifar')!.doc)],
  ['DQN preset', () => structuredClone(presetById('dqn-driver')!.doc)],
  ['every layer op', fixture('every-layer-op.json')],
  ['decoder layers', fixture('decoder-layers.json')],
];

/** Random weights everywhere, BatchNorm statistics included, so no layer is an identity by accident. */
function randomizeWeights(model: tf.LayersModel): void {
  let seed = 7;
  model.setWeights(
    model.getWeights().map((w, i) => {
      const isVariance = model.weights[i]!.originalName.endsWith('moving_variance');
      return isVariance ? tf.randomUniform(w.shape, 0.5, 1.5, 'float32', seed++) : tf.randomNormal(w.shape, 0, 0.3, 'float32', seed++);
    }),
  );
}

const CHECK = `
${loadAppModelPy('model', 'weights.pt')}net.eval()
shape = json.load(open("input.json"))
x = torch.from_numpy(np.fromfile("input.bin", np.float32).reshape(shape))
if x.dim() == 4:
    x = x.permute(0, 3, 1, 2)
with torch.no_grad():
    out = net(x).numpy()
expected = np.fromfile("expected.bin", np.float32).reshape(out.shape)
export_tfjs.export("weights.pt", "back")
print(json.dumps({"maxDiff": float(np.abs(out - expected).max()), "weights": model.count_weights(net),
                  "trainable": sum(p.numel() for p in net.parameters())}))
`;

describe.skipIf(missing !== undefined)(`PyTorch export matches TF.js${missing ? ` (skipped: ${missing})` : ''}`, () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it.each(GRAPHS)('%s: same weights count, same logits within 1e-4, and back to TF.js', async (_label, doc) => {
    const plan = planOf(doc());
    const exported = exportPyTorch(plan);
    if (!exported.ok) throw new Error(exported.message);
    const dir = mkdtempSync(join(tmpdir(), 'tensorloom-pt-'));
    projects.set(_label, dir);
    const model = buildModel(plan.model);
    randomizeWeights(model);
    const x = tf.randomUniform([BATCH, ...plan.model.inputShape], -2, 2, 'float32', 3);
    const expected = (model.predict(x) as tf.Tensor).dataSync();
    const app = toExportedModel(await model.save(tf.io.withSaveHandler(async (a) => ({ modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' }, ...a }))) as unknown as tf.io.ModelArtifacts);
    writeProject(dir, {
      ...exported.files,
      'tfjs/model.json': app.modelJson,
      [`tfjs/${app.weightsName}`]: new Uint8Array(app.weights),
      'input.bin': new Uint8Array(x.dataSync().buffer),
      'input.json': JSON.stringify(x.shape),
      'expected.bin': new Uint8Array(new Float32Array(expected).buffer),
    });
    writeFileSync(join(dir, 'check.py'), CHECK);
    const report = JSON.parse(python(dir, ['check.py']).trim().split('\n').pop()!) as { maxDiff: number; weights: number; trainable: number };
    expect(report.weights).toBe(plan.model.totalParams);
    expect(report.trainable).toBe(plan.model.trainableParams);
    expect(report.maxDiff).toBeLessThan(1e-4);
    console.log(`${_label}: max |PyTorch − TF.js| = ${report.maxDiff.toExponential(2)}`);

    const backJson = readFileSync(join(dir, 'back/model.json'), 'utf8');
    const back = await tf.loadLayersModel(
      tf.io.fromMemory({ ...JSON.parse(backJson), weightSpecs: JSON.parse(backJson).weightsManifest[0].weights, weightData: new Uint8Array(readFileSync(join(dir, 'back/model.weights.bin'))).buffer }),
    );
    const again = (back.predict(x) as tf.Tensor).dataSync();
    expect(Math.max(...again.map((v, i) => Math.abs(v - expected[i]!)))).toBeLessThan(1e-5);
    tf.dispose([x, model, back] as never);
  }, 60_000);

  it("refuses another graph's weights, naming the layer", () => {
    const resnet = projects.get('ResNet preset');
    const dqn = projects.get('DQN preset');
    if (!resnet || !dqn) throw new Error('the parity tests above did not run');
    const r = spawnSync(PYTHON, ['tools/convert_tfjs.py', join(dqn, 'tfjs/model.json'), 'other.pt'], { cwd: resnet, encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("refused: layer 'stem_conv_conv' of this model has no weights in");
  }, 30_000);
});
