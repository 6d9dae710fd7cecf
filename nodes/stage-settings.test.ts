/** Reading a compiled plan's stage settings: typed by the node schemas, filled once by compile. */
import { describe, expect, it } from 'vitest';
import { compile } from '../src/graph/compile';
import type { ReinforcementPlan, SupervisedPlan, TrainingPlan } from '../src/graph/plan';
import { presetDoc } from '../presets/test-fixtures';
import { registry } from './registry';
import { PlanError, stageDefaults, stageSettings } from './stage-settings';

function compiled(id: 'resnet-cifar' | 'dqn-driver'): TrainingPlan {
  const r = compile(presetDoc(id), registry);
  if (!r.ok) throw new Error(`preset ${id} does not compile: ${r.diagnostics.map((d) => d.message).join('; ')}`);
  return r.plan;
}

const supervised = (): SupervisedPlan => compiled('resnet-cifar') as SupervisedPlan;
const reinforcement = (): ReinforcementPlan => compiled('dqn-driver') as ReinforcementPlan;

/** A structured-clone copy of a plan (as the worker receives it) with one stage's params changed. */
function editedStage<P extends TrainingPlan>(plan: P, stage: 'optimizer' | 'agent', edit: (params: Record<string, unknown>) => void): P {
  const copy = structuredClone(plan) as P & Record<string, { params: Record<string, unknown> }>;
  edit(copy[stage].params);
  return copy;
}

describe('stageSettings', () => {
  it("reads the ResNet preset's stages with the document's values and the schema's defaults", () => {
    const plan = supervised();
    const optimizer = stageSettings(plan, 'optimizer');
    // From the document…
    expect(optimizer).toMatchObject({ optimizer: 'sgd', learningRate: 0.1, schedule: 'onecycle', epochs: 30, batchSize: 64 });
    // …and the defaults compile filled in for what the document leaves out.
    expect(optimizer).toMatchObject({ stepEvery: 30, stepGamma: 0.1, beta1: 0.9, minLearningRateFraction: 0 });
    expect(stageSettings(plan, 'dataset')).toMatchObject({ source: 'cifar10', validationSplit: 0.1, maxTrainImages: 0, seed: 1 });
    expect(stageSettings(plan, 'loss')).toEqual({ loss: 'softmaxCrossEntropy', target: 'labels', labelSmoothing: 0, huberDelta: 1 });
    expect(stageSettings(plan, 'augmentations')).toEqual([{ randomFlip: true, padCrop: 4, normalize: 'per-channel', maskPatches: 0, maskSize: 8, noiseStd: 0 }]);
    expect(stageSettings(plan, 'evaluator')).toMatchObject({ samplePredictions: 16, episodes: 50, heldOutSeed: 1_000_000 });
  });

  it('returns the params compile carried, without parsing them again', () => {
    const plan = supervised();
    expect(stageSettings(plan, 'optimizer')).toBe(plan.optimizer.params);
    expect(stageSettings(plan, 'augmentations')[0]).toBe(plan.augmentations[0]!.params);
  });

  it("reads the DQN preset's Environment, Agent and Evaluator", () => {
    const plan = reinforcement();
    expect(stageSettings(plan, 'environment')).toMatchObject({ observation: 'timeToCollision', collisionReward: -30, rewardSpeedHigh: 25, gridAhead: 12 });
    expect(stageSettings(plan, 'agent')).toMatchObject({ gamma: 0.9, nSteps: 3, prioritizedReplay: true, priorityAlpha: 0.6, seed: 0 });
    expect(stageSettings(plan, 'evaluator')).toMatchObject({ episodes: 50, heldOutSeed: 1_000_000, baselines: ['idm', 'random'] });
  });

  it('gives no evaluator settings when the graph has no Evaluator', () => {
    const doc = presetDoc('dqn-driver');
    doc.nodes = doc.nodes.filter((n) => n.type !== 'Evaluator');
    doc.edges = doc.edges.filter((e) => doc.nodes.some((n) => n.id === e.target));
    const r = compile(doc, registry);
    expect(r.ok).toBe(true);
    expect(r.ok && stageSettings(r.plan, 'evaluator')).toBeUndefined();
  });

  it('fills a setting a stored plan lacks with its default, so an older run still resumes', () => {
    const plan = editedStage(reinforcement(), 'agent', (p) => delete p.nSteps);
    expect(stageSettings(plan, 'agent').nSteps).toBe(stageDefaults('agent').nSteps);
  });

  it('refuses a stored setting its schema cannot read, naming it', () => {
    const plan = editedStage(reinforcement(), 'agent', (p) => {
      delete p.nSteps;
      p.gamma = 'high';
    });
    expect(() => stageSettings(plan, 'agent')).toThrow(PlanError);
    expect(() => stageSettings(plan, 'agent')).toThrow(/RL agent has a setting this version cannot read \(gamma:/);
  });

  it('refuses a stage holding another node type', () => {
    const plan = structuredClone(supervised());
    (plan.optimizer as { type: string }).type = 'Loss';
    expect(() => stageSettings(plan, 'optimizer')).toThrow(/optimizer stage holds a Loss node instead of the Optimizer/);
  });
});

describe('stageDefaults', () => {
  it("is the schema's defaults, the same object each time", () => {
    expect(stageDefaults('evaluator')).toEqual(registry.Evaluator.params.parse({}));
    expect(stageDefaults('evaluator')).toBe(stageDefaults('evaluator'));
    expect(Object.isFrozen(stageDefaults('evaluator'))).toBe(true);
  });
});
