/**
 * The exporter's contract without Python: it refuses what it cannot write (naming the op and node),
 * pads as TF does, and checks app weights against the plan before they travel with a project.
 */
import { describe, expect, it } from 'vitest';
import { registry } from '../../../nodes/registry';
import { presetById } from '../../../presets';
import { compile } from '../../graph/compile';
import type { OpSpec } from '../../graph/ops';
import type { TrainingPlan } from '../../graph/plan';
import { exportPyTorch, expectedTfjsWeights, checkTfjsWeights } from './index';
import { samePadding } from './layers';
import { className, pythonName } from './names';

function plan(id: 'resnet-cifar' | 'dqn-driver' | 'ppo-driver' | 'autoencoder-cifar' | 'ssl-classifier-cifar'): TrainingPlan {
  const r = compile(structuredClone(presetById(id)!.doc), registry);
  if (!r.ok) throw new Error('preset does not compile');
  return r.plan;
}

/** A model.json + bin with the given weights (zeros), as TF.js writes them. */
function tfjsFiles(specs: { name: string; shape: number[] }[]) {
  const bytes = specs.reduce((n, s) => n + 4 * s.shape.reduce((a, b) => a * b, 1), 0);
  const weights = specs.map((s) => ({ ...s, dtype: 'float32' }));
  return { modelJson: JSON.stringify({ weightsManifest: [{ paths: ['./m.bin'], weights }] }), files: { 'm.bin': new Uint8Array(bytes) } };
}

describe('exportPyTorch', () => {
  it('writes model, data, training, README and both weight tools for a supervised plan; model and tools only for RL', () => {
    const supervised = exportPyTorch(plan('resnet-cifar'));
    expect(supervised.ok && Object.keys(supervised.files).sort()).toEqual(
      ['README.md', 'data.py', 'model.py', 'requirements.txt', 'tools/convert_tfjs.py', 'tools/export_tfjs.py', 'tools/model_topology.json', 'train.py'],
    );
    const rl = exportPyTorch(plan('dqn-driver'));
    expect(rl.ok && Object.keys(rl.files)).not.toContain('train.py');
    expect(rl.ok && rl.files['README.md']).toContain('The simulator stays in the app');
    expect(rl.ok && rl.files['README.md']).toContain('trains a DQN agent');
    const ppo = exportPyTorch(plan('ppo-driver'));
    expect(ppo.ok && ppo.files['README.md']).toContain('trains a PPO agent');
    expect(ppo.ok && ppo.files['README.md']).toContain('logits, value = out[:, :-1], out[:, -1]');
  });

  it('writes no train.py for training it would not reproduce (reconstruction, no labels, corruption, subsets), and says why', () => {
    const ae = exportPyTorch(plan('autoencoder-cifar'));
    expect(ae.ok && Object.keys(ae.files)).not.toContain('train.py');
    expect(ae.ok && Object.keys(ae.files)).toContain('model.py');
    expect(ae.ok && ae.files['README.md']).toContain('a reconstruction loss');
    expect(ae.ok && ae.files['README.md']).toContain('training without labels');
    const subset = exportPyTorch(plan('ssl-classifier-cifar'));
    expect(subset.ok && Object.keys(subset.files)).not.toContain('train.py');
    expect(subset.ok && subset.files['README.md']).toContain('a class-balanced subset of the labels');
  });

  it('refuses an op it does not know, naming the op and its node', () => {
    const p = structuredClone(plan('dqn-driver')) as TrainingPlan;
    const ops = p.model.ops as { spec: OpSpec }[];
    ops[2]!.spec = { op: 'pixelShuffle', factor: 2 } as unknown as OpSpec;
    expect(exportPyTorch(p)).toEqual({ ok: false, about: 'graph', message: 'the PyTorch export does not know the "pixelShuffle" op yet (node "hidden1", op "hidden1/act")' });
  });

  it("pads like TF's 'same': the odd pixel after, none when the stride fits", () => {
    expect(samePadding(8, 3, 2)).toEqual([0, 1]);
    expect(samePadding(15, 3, 2)).toEqual([1, 1]);
    expect(samePadding(32, 1, 2)).toEqual([0, 0]);
    expect(samePadding(4, 3, 1)).toEqual([1, 1]);
    expect(samePadding(3, 2, 2)).toEqual([0, 1]);
  });

  it('names Python things after the graph, valid where the graph is not', () => {
    expect(className('ResNet-20 on CIFAR-10')).toBe('ResNet20OnCIFAR10');
    expect(className('3 layers')).toBe('Model3Layers');
    expect(pythonName('stage1-block1/conv1')).toBe('stage1_block1_conv1');
    expect(pythonName('2nd/conv')).toBe('layer_2nd_conv');
    expect(pythonName('train')).toBe('layer_train');
  });
});

describe('the training recipe in train.py and the README', () => {
  const withParams = (optimizer: Record<string, unknown>, evaluator: Record<string, unknown> = {}) => {
    const p = structuredClone(plan('resnet-cifar'));
    if (p.mode !== 'supervised') throw new Error('not supervised');
    p.optimizer.params = { ...p.optimizer.params, ...optimizer };
    if (p.evaluator) p.evaluator.params = { ...p.evaluator.params, ...evaluator };
    const out = exportPyTorch(p);
    if (!out.ok) throw new Error(out.message);
    return { train: out.files['train.py'] as string, readme: out.files['README.md'] as string };
  };

  it('writes the budget, the average and the flips only when the graph sets them', () => {
    const plain = withParams({ budgetMinutes: 0, emaDecay: 0 }, { flipAveraging: false });
    for (const absent of ['budget_learning_rate', 'BUDGET_MINUTES', 'WeightAverage', 'x.flip(3)', 'flip_averaged', 'weight_average_decay', '## Training recipe']) {
      expect(plain.train + plain.readme).not.toContain(absent);
    }
    expect(plain.train).toContain('EPOCHS = ');
    const recipe = withParams({ budgetMinutes: 10, emaDecay: 0.999, budgetWarmupFraction: 0.2 }, { flipAveraging: true });
    expect(recipe.train).toContain('BUDGET_MINUTES = 10');
    expect(recipe.train).toContain('EMA_DECAY = 0.999');
    expect(recipe.train).toContain('out = (model(x) + model(x.flip(3))) / 2');
    expect(recipe.train).not.toMatch(/EPOCHS =|def learning_rate\(/);
    expect(recipe.readme).toContain('The graph trains for 10 minutes');
    expect(recipe.readme).toContain('warm-up over the first 20%');
    expect(recipe.readme).toContain('decay 0.999');
    expect(recipe.readme).toContain('**Test-time flips.**');
  });

  it('exports a plan stored before the budget, the average and the flips existed, as without them', () => {
    const p = structuredClone(plan('resnet-cifar'));
    if (p.mode !== 'supervised') throw new Error('not supervised');
    for (const key of ['budgetMinutes', 'emaDecay', 'budgetWarmupFraction']) delete p.optimizer.params[key];
    delete p.evaluator;
    const out = exportPyTorch(p);
    expect(out.ok && out.files['train.py']).toContain('EPOCHS = ');
    expect(out.ok && out.files['train.py']).not.toContain('WeightAverage');
  });
});

describe('app weights that travel with a project', () => {
  it("are taken when they are this graph's, into tfjs/", () => {
    const p = plan('dqn-driver');
    const out = exportPyTorch(p, tfjsFiles(expectedTfjsWeights(p.model)));
    expect(out.ok && Object.keys(out.files)).toEqual(expect.arrayContaining(['tfjs/model.json', 'tfjs/m.bin']));
  });

  it('are refused with the first layer that differs', () => {
    const resnet = plan('resnet-cifar').model;
    const dqn = expectedTfjsWeights(plan('dqn-driver').model);
    expect(checkTfjsWeights(resnet, tfjsFiles(dqn))).toBe('layer stem_conv_conv has no kernel in model.json: was it exported from a different graph?');
    const wider = expectedTfjsWeights(resnet).map((w) => (w.name === 'logits_dense/kernel' ? { ...w, shape: [64, 100] } : w));
    expect(checkTfjsWeights(resnet, tfjsFiles(wider))).toBe('layer logits_dense: kernel is [64,100] in model.json, this graph has [64,10]');
    const files = tfjsFiles(expectedTfjsWeights(resnet));
    expect(checkTfjsWeights(resnet, { ...files, files: {} })).toBe('the weights file ./m.bin that model.json names is missing');
    expect(checkTfjsWeights(resnet, { ...files, files: { 'm.bin': new Uint8Array(8) } })).toMatch(/^the weights files hold 8 bytes, model.json describes \d+$/);
  });
});
