import { describe, expect, it } from 'vitest';
import { registry } from '../../nodes/registry';
import { compile } from './compile';
import { presetDoc } from '../../presets/test-fixtures';

describe('compile', () => {
  it('compiles ResNet-20 with the parameter count of He et al. (0.27M)', () => {
    const result = compile(presetDoc('resnet-cifar'), registry);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const { plan } = result;
    expect(plan.mode).toBe('supervised');
    if (plan.mode !== 'supervised') return;
    // Trainable: stem conv 432 + BN 32; stage 1: 3 × (2×2,304 + 64); stage 2: 14,528 + 2 × 18,560;
    // stage 3: 57,728 + 2 × 73,984; Dense 650 → 272,474. BN moving statistics add 1,568.
    expect(plan.model.trainableParams).toBe(272_474);
    expect(plan.model.totalParams).toBe(274_042);
    expect(plan.model.totalParams).toBeGreaterThanOrEqual(265_000);
    expect(plan.model.totalParams).toBeLessThanOrEqual(285_000);
    expect(plan.model.inputShape).toEqual([32, 32, 3]);
    expect(plan.model.outputShape).toEqual([10]);
    // 19 convs (+2 projections) — ~41M multiply-adds per image, as usually quoted for ResNet-20.
    expect(plan.model.totalFlops / 2).toBeGreaterThan(40e6);
    expect(plan.model.totalFlops / 2).toBeLessThan(42e6);
    expect(plan.dataset).toMatchObject({ nodeId: 'data', value: { numClasses: 10, sampleShape: [32, 32, 3] } });
    expect(plan.augmentations.map((a) => a.nodeId)).toEqual(['augment']);
    expect(plan.optimizer.params).toMatchObject({ optimizer: 'sgd', nesterov: true, schedule: 'onecycle' });
    expect(plan.evaluator?.nodeId).toBe('evaluate');
    expect(plan.backendPreference).toEqual(['webgpu', 'webgl', 'wasm', 'cpu']);
  });

  it('orders ops so every op comes after its inputs', () => {
    const result = compile(presetDoc('resnet-cifar'), registry);
    if (!result.ok) throw new Error('preset must compile');
    const seen = new Set<string>();
    for (const op of result.plan.model.ops) {
      for (const input of op.inputs) expect(seen.has(input), `${op.id} reads ${input}`).toBe(true);
      seen.add(op.id);
    }
    expect(result.plan.model.ops.at(-1)!.id).toBe(result.plan.model.output);
  });

  it('returns a frozen, JSON-safe plan', () => {
    const result = compile(presetDoc('dqn-driver'), registry);
    if (!result.ok) throw new Error('preset must compile');
    const { plan } = result;
    expect(Object.isFrozen(plan)).toBe(true);
    expect(Object.isFrozen(plan.model.ops[0]!.spec)).toBe(true);
    expect(JSON.parse(JSON.stringify(plan))).toEqual(plan);
    expect(() => {
      (plan.model as { output: string }).output = 'x';
    }).toThrow();
  });

  it('compiles the DQN driver as reinforcement learning', () => {
    const result = compile(presetDoc('dqn-driver'), registry);
    if (!result.ok) throw new Error('preset must compile');
    const { plan } = result;
    expect(plan.mode).toBe('rl');
    if (plan.mode !== 'rl') return;
    expect(plan.environment.value).toMatchObject({ numActions: 5, observationShape: [97] });
    expect(plan.model.outputShape).toEqual([5]);
    // 97→256→256→5 MLP with biases: 7 ego features and 3 lanes × 3 speeds × 10 time bins.
    expect(plan.model.totalParams).toBe(97 * 256 + 256 + 256 * 256 + 256 + 256 * 5 + 5);
    expect(plan.agent.params).toMatchObject({ doubleDqn: true, gamma: 0.9, nSteps: 3, prioritizedReplay: true });
    expect(plan.environment.params).toMatchObject({ observation: 'timeToCollision', collisionReward: -30, rewardSpeedHigh: 25 });
    expect(plan.agent.params).toMatchObject({ learningRateSchedule: 'linear' });
    expect(plan.backendPreference).toEqual(['wasm', 'webgpu', 'webgl', 'cpu']);
  });

  it('says there is nothing to train in a blank project', () => {
    const result = compile(presetDoc('blank'), registry);
    expect(result.ok).toBe(false);
    expect(result.diagnostics.map((d) => d.code)).toEqual(['nothing-to-train']);
  });

  it('fails, naming the node, when a preset loses an edge', () => {
    const doc = presetDoc('resnet-cifar');
    doc.edges = doc.edges.filter((e) => !(e.source === 'pool' && e.target === 'logits'));
    const result = compile(doc, registry);
    expect(result.ok).toBe(false);
    expect(result.diagnostics).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'missing-input', nodeId: 'logits' })]));
  });

  it('warns about layers left out of the model but still compiles', () => {
    const doc = presetDoc('dqn-driver');
    doc.nodes.push({ id: 'stray', type: 'Dense', position: { x: 0, y: 0 }, params: { units: 3 } });
    doc.edges.push({ id: 'es', source: 'hidden1', sourcePort: 'out', target: 'stray', targetPort: 'in' });
    const result = compile(doc, registry);
    expect(result.ok).toBe(true);
    expect(result.diagnostics).toEqual([expect.objectContaining({ severity: 'warning', code: 'unused-node', nodeId: 'stray' })]);
    if (result.ok) expect(result.plan.model.ops.some((op) => op.nodeId === 'stray')).toBe(false);
  });

  it('refuses two training roots in one project', () => {
    const doc = presetDoc('resnet-cifar');
    doc.nodes.push({ id: 'opt2', type: 'Optimizer', position: { x: 0, y: 0 }, params: {} });
    doc.edges.push({ id: 'eo', source: 'loss', sourcePort: 'loss', target: 'opt2', targetPort: 'loss' });
    const result = compile(doc, registry);
    expect(result.ok).toBe(false);
    expect(result.diagnostics.filter((d) => d.code === 'ambiguous-training').map((d) => d.nodeId).sort()).toEqual(['opt2', 'optimizer']);
  });
});
