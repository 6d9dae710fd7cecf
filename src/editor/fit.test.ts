import { describe, expect, it } from 'vitest';
import { registry } from '../../nodes/registry';
import { presetById } from '../../presets';
import { denseChainGraph } from './bench-graph';
import { fitOnOpen, OPEN_WHOLE_LIMIT } from './fit';
import { EditorStore } from './store';

function viewportOnOpen(doc: ConstructorParameters<typeof EditorStore>[1]) {
  const calls: { x: number; y: number; zoom: number }[] = [];
  fitOnOpen(new EditorStore(registry, doc), { setViewport: async (v) => calls.push(v) > 0 }, { width: 1400, height: 900 });
  return calls[0]!;
}

describe('fitOnOpen', () => {
  it('shows a preset whole', () => {
    const v = viewportOnOpen(presetById('resnet-cifar')!.doc);
    expect(v.zoom).toBeGreaterThan(0.2);
    expect(v.zoom).toBeLessThanOrEqual(1);
  });

  it(`opens a graph past ${OPEN_WHOLE_LIMIT} nodes on its top-left corner at a readable zoom, not whole`, () => {
    // Seen whole, every one of 10,000 cards would be drawn at once.
    expect(viewportOnOpen(denseChainGraph(10_000))).toEqual({ x: 40, y: 40, zoom: 0.5 });
  });
});
