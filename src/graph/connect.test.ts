import { describe, expect, it } from 'vitest';
import { registry } from '../../nodes/registry';
import { canConnect } from './connect';
import { presetDoc } from '../../presets/test-fixtures';

describe('canConnect', () => {
  const doc = presetDoc('resnet-cifar');
  doc.nodes.push({ id: 'spare', type: 'Dense', position: { x: 0, y: 0 }, params: {} });

  it('accepts a tensor into a free tensor input', () => {
    expect(canConnect(doc, registry, { source: 'pool', sourcePort: 'out', target: 'spare', targetPort: 'in' })).toEqual({ ok: true });
  });

  it('refuses a kind the input does not take, naming both kinds', () => {
    const verdict = canConnect(doc, registry, { source: 'data', sourcePort: 'data', target: 'spare', targetPort: 'in' });
    expect(verdict).toEqual({ ok: false, reason: 'data gives a dataset, but in takes a tensor' });
  });

  it('refuses a second edge into an occupied input', () => {
    const verdict = canConnect(doc, registry, { source: 'pool', sourcePort: 'out', target: 'logits', targetPort: 'in' });
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) expect(verdict.reason).toMatch(/already connected/);
  });

  it('refuses an edge that would close a loop', () => {
    const verdict = canConnect(doc, registry, { source: 'logits', sourcePort: 'out', target: 'spare', targetPort: 'in' });
    expect(verdict.ok).toBe(true);
    const looped = structuredClone(doc);
    looped.edges.push({ id: 'x', source: 'logits', sourcePort: 'out', target: 'spare', targetPort: 'in' });
    // spare → stem-conv would make logits → spare → stem-conv → … → logits.
    const cut = { ...looped, edges: looped.edges.filter((e) => e.target !== 'stem-conv') };
    expect(canConnect(cut, registry, { source: 'spare', sourcePort: 'out', target: 'stem-conv', targetPort: 'in' })).toEqual({
      ok: false,
      reason: 'this edge would make a loop',
    });
  });

  it('refuses self-loops, unknown nodes and unknown ports', () => {
    expect(canConnect(doc, registry, { source: 'spare', sourcePort: 'out', target: 'spare', targetPort: 'in' })).toEqual({
      ok: false,
      reason: 'a node cannot feed itself',
    });
    expect(canConnect(doc, registry, { source: 'ghost', sourcePort: 'out', target: 'spare', targetPort: 'in' }).ok).toBe(false);
    expect(canConnect(doc, registry, { source: 'pool', sourcePort: 'nope', target: 'spare', targetPort: 'in' })).toEqual({
      ok: false,
      reason: 'GlobalAvgPool has no output "nope"',
    });
  });

  it('lets an environment feed an Input but not a Loss target', () => {
    const rl = presetDoc('dqn-driver');
    rl.nodes.push({ id: 'in2', type: 'Input', position: { x: 0, y: 0 }, params: {} }, { id: 'loss', type: 'Loss', position: { x: 0, y: 0 }, params: {} });
    expect(canConnect(rl, registry, { source: 'highway', sourcePort: 'env', target: 'in2', targetPort: 'source' })).toEqual({ ok: true });
    expect(canConnect(rl, registry, { source: 'highway', sourcePort: 'env', target: 'loss', targetPort: 'targets' }).ok).toBe(false);
  });
});
