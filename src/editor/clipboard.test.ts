import { describe, expect, it } from 'vitest';
import { registry } from '../../nodes/registry';
import { presetById } from '../../presets';
import { clipboardText, parseClipboard } from './clipboard';

describe('clipboard', () => {
  const doc = presetById('resnet-cifar')!.doc;
  const nodes = doc.nodes.slice(3, 6);
  const edges = doc.edges.filter((e) => nodes.some((n) => n.id === e.source) && nodes.some((n) => n.id === e.target));

  it('round-trips nodes and the edges between them', () => {
    expect(parseClipboard(clipboardText(nodes, edges), registry)).toEqual({ ok: true, nodes, edges });
  });

  it('drops edges that leave the copied set', () => {
    const parsed = parseClipboard(clipboardText(nodes, doc.edges), registry);
    expect(parsed.ok && parsed.edges).toEqual(edges);
  });

  it('refuses wiring the canvas would refuse, saying which edge', () => {
    const edge = edges[0]!;
    const cases = [
      { ...edge, id: 'e-port', targetPort: 'nope' },
      { ...edge, id: 'e-twice' },
    ];
    for (const bad of cases) {
      const parsed = parseClipboard(clipboardText(nodes, [...edges, bad]), registry);
      expect(parsed.ok ? 'pasted' : parsed.reason).toMatch(new RegExp(`^edge ${edge.source} → ${edge.target}: `));
    }
  });

  it('moves a node from far outside the canvas back into range', () => {
    const far = { ...nodes[0]!, position: { x: 1e300, y: 0 } };
    const parsed = parseClipboard(clipboardText([far], []), registry);
    expect(parsed.ok && parsed.nodes[0]!.position).toEqual({ x: 1_000_000, y: 0 });
  });

  it.each([
    ['plain text', 'hello'],
    ['another JSON', '{"nodes":[]}'],
    ['an unknown type', clipboardText([{ ...nodes[0]!, type: 'Evil' }], [])],
  ])('refuses %s', (_what, text) => {
    expect(parseClipboard(text, registry).ok).toBe(false);
  });
});
