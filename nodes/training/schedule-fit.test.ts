/** Optimizer schedules that cannot run their course within the run: diagnosed, and fixed in one click. */
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/graph/compile';
import { presetDoc } from '../../presets/test-fixtures';
import { makeSchedule, type ScheduleParams } from './lr-schedule';
import { registry } from '../registry';
import { addClassifier, GraphBuilder } from '../test-helpers';

function optimizerWith(params: Record<string, unknown>) {
  const g = new GraphBuilder();
  const c = addClassifier(g);
  const node = g.doc.nodes.find((n) => n.id === c.optimizer)!;
  node.params = { ...node.params, ...params };
  const issues = () => g.validate().nodes[c.optimizer]!.diagnostics.filter((d) => d.code === 'schedule-incomplete');
  return { g, id: c.optimizer, node, issues };
}

/** The schedule the worker would train by, from the node's params as the validator filled them in. */
function scheduleOf(g: GraphBuilder, id: string, stepsPerEpoch: number) {
  return makeSchedule(g.validate().nodes[id]!.params as ScheduleParams, stepsPerEpoch);
}

describe('Optimizer schedule fit', () => {
  it('refuses the ResNet preset at 1 epoch (2-epoch one-cycle warm-up) and the fix makes it decay', () => {
    const doc = presetDoc('resnet-cifar');
    const opt = doc.nodes.find((n) => n.id === 'optimizer')!;
    opt.params = { ...opt.params, epochs: 1 };
    const before = compile(doc, registry);
    expect(before.ok).toBe(false);
    const issue = before.diagnostics.find((d) => d.code === 'schedule-incomplete')!;
    expect(issue).toMatchObject({ severity: 'error', nodeId: 'optimizer', param: 'warmupEpochs' });
    expect(issue.message).toMatch(/never come down/);
    expect(issue.fix).toEqual({ kind: 'set-params', label: 'Warm up for 0.15 epochs', params: { warmupEpochs: 0.15 } });

    opt.params = { ...opt.params, ...(issue.fix!.kind === 'set-params' ? issue.fix!.params : {}) };
    const after = compile(doc, registry);
    expect(after.diagnostics).toEqual([]);
    expect(after.ok).toBe(true);
  });

  it.each(['onecycle', 'cosine'] as const)('%s: a warm-up as long as the run is an error; the fix leaves time to decay', (schedule) => {
    const o = optimizerWith({ schedule, warmupEpochs: 10, epochs: 8, stepEvery: 2, learningRate: 0.1 });
    const [issue] = o.issues();
    expect(issue).toMatchObject({ severity: 'error', param: 'warmupEpochs' });
    // Before: the rate at the last step is still the warm-up's, not a decayed one.
    expect(scheduleOf(o.g, o.id, 100).at(799)).toBeGreaterThanOrEqual(0.1 * 0.79);
    o.g.applyFix(o.id, issue!.fix!);
    expect(o.issues()).toEqual([]);
    expect(o.node.params.warmupEpochs).toBe(1.2);
    expect(scheduleOf(o.g, o.id, 100).at(799)).toBeLessThan(0.1 * 0.2);
  });

  it.each(['constant', 'step'] as const)('%s: warns (does not refuse) when the rate warms up for the whole run', (schedule) => {
    const o = optimizerWith({ schedule, warmupEpochs: 3, epochs: 3, stepEvery: 1 });
    expect(o.issues()).toEqual([expect.objectContaining({ severity: 'warning', param: 'warmupEpochs' })]);
    expect(compile(o.g.doc, registry).ok).toBe(true);
  });

  it('refuses a step decay due after the last epoch, and the fix decays within the run', () => {
    const o = optimizerWith({ schedule: 'step', stepEvery: 30, stepGamma: 0.1, epochs: 10, learningRate: 0.1 });
    const [issue] = o.issues();
    expect(issue).toMatchObject({ severity: 'error', param: 'stepEvery', fix: { kind: 'set-params', params: { stepEvery: 3 } } });
    expect(scheduleOf(o.g, o.id, 10).at(99)).toBe(0.1);
    o.g.applyFix(o.id, issue!.fix!);
    expect(o.issues()).toEqual([]);
    expect(scheduleOf(o.g, o.id, 10).at(99)).toBeCloseTo(0.1 * 0.1 ** 3);
  });

  it('offers a cosine schedule for a 1-epoch step schedule, which has no epoch boundary to decay at', () => {
    const o = optimizerWith({ schedule: 'step', stepEvery: 1, epochs: 1 });
    const [issue] = o.issues();
    expect(issue!.fix).toMatchObject({ params: { schedule: 'cosine' } });
    o.g.applyFix(o.id, issue!.fix!);
    expect(o.issues()).toEqual([]);
  });

  it('leaves schedules that fit alone, including the shipped preset', () => {
    expect(optimizerWith({ schedule: 'onecycle', warmupEpochs: 2, epochs: 3 }).issues()).toEqual([]);
    expect(optimizerWith({ schedule: 'step', stepEvery: 9, epochs: 10 }).issues()).toEqual([]);
    expect(optimizerWith({ schedule: 'cosine', warmupEpochs: 0, epochs: 1 }).issues()).toEqual([]);
    expect(compile(presetDoc('resnet-cifar'), registry).diagnostics).toEqual([]);
  });

  it('leaves a time budget alone: its schedule runs over the minutes, whatever the epochs say', () => {
    expect(optimizerWith({ schedule: 'onecycle', warmupEpochs: 2, epochs: 1 }).issues()).toHaveLength(1);
    expect(optimizerWith({ schedule: 'onecycle', warmupEpochs: 2, epochs: 1, budgetMinutes: 10 }).issues()).toEqual([]);
  });
});
