import { describe, expect, it } from 'vitest';
import type { GraphDocument } from '../graph/document';
import { presetById } from '../../presets';
import { diffGraphs, diffRows, isEmptyDiff, valueText } from './graph-diff';

function resnet(): GraphDocument {
  return structuredClone(presetById('resnet-cifar')!.doc);
}

function withParam(doc: GraphDocument, nodeId: string, param: string, value: unknown): GraphDocument {
  return { ...doc, nodes: doc.nodes.map((n) => (n.id === nodeId ? { ...n, params: { ...n.params, [param]: value } } : n)) };
}

describe('diffGraphs', () => {
  it('finds nothing between a graph and its copy, wherever the nodes were moved', () => {
    const a = resnet();
    const b = { ...resnet(), nodes: resnet().nodes.map((n) => ({ ...n, position: { x: n.position.x + 50, y: 0 } })) };
    expect(isEmptyDiff(diffGraphs(a, b))).toBe(true);
    expect(diffRows([a, b])).toEqual([]);
  });

  it('names a changed parameter old → new, and nothing else', () => {
    const a = resnet();
    const b = withParam(a, 'optimizer', 'learningRate', 0.01);
    expect(diffGraphs(a, b)).toEqual({
      params: [{ nodeId: 'optimizer', param: 'learningRate', old: '0.1', new: '0.01' }],
      nodesAdded: [],
      nodesRemoved: [],
      edgesAdded: [],
      edgesRemoved: [],
    });
    expect(diffRows([a, b])).toEqual([{ kind: 'param', nodeId: 'optimizer', label: 'Optimizer optimizer · learningRate', values: ['0.1', '0.01'] }]);
  });

  it('lists a node added and removed, with its edges', () => {
    const a = resnet();
    const drop = { id: 'drop9', type: 'Dropout', position: { x: 0, y: 0 }, params: { rate: 0.2 } };
    const b = { ...a, nodes: [...a.nodes, drop], edges: [...a.edges, { id: 'e99', source: 'loss', sourcePort: 'out', target: 'drop9', targetPort: 'in' }] };
    const d = diffGraphs(a, b);
    expect(d.nodesAdded).toEqual(['drop9']);
    expect(d.params).toEqual([]);
    expect(d.edgesAdded).toEqual([{ source: 'loss', sourcePort: 'out', target: 'drop9', targetPort: 'in' }]);
    const back = diffGraphs(b, a);
    expect(back.nodesRemoved).toEqual(['drop9']);
    expect(back.edgesRemoved).toHaveLength(1);
    const rows = diffRows([a, b]);
    expect(rows.map((r) => [r.kind, r.values])).toEqual([
      ['node', [undefined, 'Dropout']],
      ['param', [undefined, '0.2']],
      ['edge', [undefined, 'wired']],
    ]);
  });

  it('sees an edge rewired to another port as one removed and one added, whatever the edge ids', () => {
    const a = resnet();
    const first = a.edges[0]!;
    const b = { ...a, edges: a.edges.map((e, i) => (i === 0 ? { ...e, id: 'renamed', targetPort: 'other' } : { ...e, id: `${e.id}x` })) };
    const d = diffGraphs(a, b);
    expect(d.edgesRemoved).toEqual([{ source: first.source, sourcePort: first.sourcePort, target: first.target, targetPort: first.targetPort }]);
    expect(d.edgesAdded).toEqual([{ source: first.source, sourcePort: first.sourcePort, target: first.target, targetPort: 'other' }]);
    expect(d.nodesAdded.length + d.nodesRemoved.length + d.params.length).toBe(0);
  });

  it('treats a node whose type changed as removed and added', () => {
    const a = resnet();
    const b = { ...a, nodes: a.nodes.map((n) => (n.id === 'loss' ? { ...n, type: 'OtherLoss' } : n)) };
    const d = diffGraphs(a, b);
    expect([d.nodesRemoved, d.nodesAdded, d.params]).toEqual([['loss'], ['loss'], []]);
  });
});

describe('diffRows across several runs', () => {
  it('keeps a row when any run differs and leaves runs without a graph out of the judgement', () => {
    const a = resnet();
    const b = withParam(a, 'optimizer', 'batchSize', 128);
    expect(diffRows([a, undefined, a])).toEqual([]);
    const rows = diffRows([a, a, b, undefined]);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.values).toEqual(['64', '64', '128', undefined]);
  });

  it('compares object values whatever their key order', () => {
    expect(valueText({ b: 1, a: [1, { d: 2, c: 3 }] })).toBe(valueText({ a: [1, { c: 3, d: 2 }], b: 1 }));
  });
});
