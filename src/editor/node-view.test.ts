import { describe, expect, it } from 'vitest';
import { registry } from '../../nodes/registry';
import { presetDoc } from '../../presets/test-fixtures';
import { buildViews, checkDocument } from './node-view';

describe('node views', () => {
  it('sums up an Input by where its shape comes from: its source when wired, its own param when not', () => {
    const doc = presetDoc('dqn-driver');
    const wired = buildViews(doc, registry, checkDocument(doc, registry));
    expect(wired['observation']!.summary).toBe('shape from its source');
    expect(wired['observation']!.outputs[0]!.value).toBe('[97]');

    const loose = { ...doc, edges: doc.edges.filter((e) => e.target !== 'observation') };
    const views = buildViews(loose, registry, checkDocument(loose, registry));
    expect(views['observation']!.summary).toBe('[32,32,3]');
  });

  it('sums up an Evaluator by what it evaluates: episodes for an agent, predictions for a model', () => {
    const rl = presetDoc('dqn-driver');
    const rlEvaluator = rl.nodes.find((n) => n.type === 'Evaluator')!;
    expect(buildViews(rl, registry, checkDocument(rl, registry))[rlEvaluator.id]!.summary).toBe('50 held-out episodes vs idm, random');

    const supervised = presetDoc('resnet-cifar');
    const evaluator = supervised.nodes.find((n) => n.type === 'Evaluator')!;
    expect(buildViews(supervised, registry, checkDocument(supervised, registry))[evaluator.id]!.summary).toBe('test set, 16 sample predictions');

    const loose = { ...supervised, edges: supervised.edges.filter((e) => e.target !== evaluator.id) };
    expect(buildViews(loose, registry, checkDocument(loose, registry))[evaluator.id]!.summary).toBe('16 samples, 50 RL episodes');
  });

  it("puts compile's own diagnostics on the card they name, with validate's", () => {
    const doc = presetDoc('resnet-cifar');
    const huge = { ...doc, nodes: doc.nodes.map((n) => (n.id === 'stage1-block1' ? { ...n, params: { ...n.params, filters: 4096 } } : n)) };
    const checks = checkDocument(huge, registry);
    const memory = checks.compiled.diagnostics.find((d) => d.code === 'out-of-memory' && d.severity === 'error');
    expect(memory?.nodeId).toBeDefined();
    expect(checks.analysis.diagnostics).not.toContain(memory);
    const card = buildViews(huge, registry, checks)[memory!.nodeId!]!;
    expect(card.status).toBe('error');
    expect(card.diagnostics.map((d) => d.message)).toContain(memory!.message);
    expect(buildViews(doc, registry, checkDocument(doc, registry))[memory!.nodeId!]!.status).toBe('ok');
  });
});
