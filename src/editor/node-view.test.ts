import { describe, expect, it } from 'vitest';
import { registry } from '../../nodes/registry';
import { validate } from '../graph';
import { presetDoc } from '../../presets/test-fixtures';
import { buildViews } from './node-view';

describe('node views', () => {
  it('sums up an Input by where its shape comes from: its source when wired, its own param when not', () => {
    const doc = presetDoc('dqn-driver');
    const wired = buildViews(doc, registry, validate(doc, registry));
    expect(wired['observation']!.summary).toBe('shape from its source');
    expect(wired['observation']!.outputs[0]!.value).toBe('[97]');

    const loose = { ...doc, edges: doc.edges.filter((e) => e.target !== 'observation') };
    const views = buildViews(loose, registry, validate(loose, registry));
    expect(views['observation']!.summary).toBe('[32,32,3]');
  });

  it('sums up an Evaluator by what it evaluates: episodes for an agent, predictions for a model', () => {
    const rl = presetDoc('dqn-driver');
    const rlEvaluator = rl.nodes.find((n) => n.type === 'Evaluator')!;
    expect(buildViews(rl, registry, validate(rl, registry))[rlEvaluator.id]!.summary).toBe('50 held-out episodes vs idm, random');

    const supervised = presetDoc('resnet-cifar');
    const evaluator = supervised.nodes.find((n) => n.type === 'Evaluator')!;
    expect(buildViews(supervised, registry, validate(supervised, registry))[evaluator.id]!.summary).toBe('test set, 16 sample predictions');

    const loose = { ...supervised, edges: supervised.edges.filter((e) => e.target !== evaluator.id) };
    expect(buildViews(loose, registry, validate(loose, registry))[evaluator.id]!.summary).toBe('16 samples, 50 RL episodes');
  });
});
