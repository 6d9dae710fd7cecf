import { describe, expect, it } from 'vitest';
import { registry } from '../../nodes/registry';
import type { GraphDocument } from './document';
import { presetDoc } from '../../presets/test-fixtures';
import { denseChainGraph } from '../editor/bench-graph';
import { validate, validateInSteps } from './validate';

function codes(doc: GraphDocument, nodeId: string): string[] {
  return validate(doc, registry).nodes[nodeId]!.diagnostics.map((d) => d.code);
}

describe('validate', () => {
  it('finds no problems in the presets and infers every edge', () => {
    for (const id of ['resnet-cifar', 'dqn-driver', 'blank'] as const) {
      const doc = presetDoc(id);
      const analysis = validate(doc, registry);
      expect(analysis.diagnostics).toEqual([]);
      expect(analysis.order).toHaveLength(doc.nodes.length);
      for (const e of doc.edges) expect(analysis.edgeValues[e.id], `edge ${e.id}`).toBeDefined();
    }
  });

  it('infers ResNet-20 shapes stage by stage', () => {
    const analysis = validate(presetDoc('resnet-cifar'), registry);
    const shape = (id: string) => analysis.nodes[id]!.outputs.out;
    expect(shape('stem-relu')).toEqual({ kind: 'tensor', shape: [32, 32, 16] });
    expect(shape('stage2-block1')).toEqual({ kind: 'tensor', shape: [16, 16, 32] });
    expect(shape('stage3-block3')).toEqual({ kind: 'tensor', shape: [8, 8, 64] });
    expect(shape('logits')).toEqual({ kind: 'tensor', shape: [10] });
  });

  it('counts parameters and FLOPs per node and in total', () => {
    const analysis = validate(presetDoc('resnet-cifar'), registry);
    // 3×3×16×16 weights twice, no bias; two BNs of 16 channels (4 weights each, 2 trainable).
    expect(analysis.nodes['stage1-block1']!.paramCount).toBe(2 * 2304 + 2 * 64);
    expect(analysis.nodes['stage1-block1']!.trainableParams).toBe(2 * 2304 + 2 * 32);
    // Projection block: 3×3×16×32 + 3×3×32×32 + 1×1×16×32, three BNs of 32 channels.
    expect(analysis.nodes['stage2-block1']!.trainableParams).toBe(4608 + 9216 + 512 + 3 * 64);
    // Dense 64→10: weights and bias; FLOPs count a multiply-add as 2.
    expect(analysis.nodes.logits).toMatchObject({ paramCount: 650, flops: 2 * 640 });
    const sum = Object.values(analysis.nodes).reduce((s, n) => s + n.paramCount, 0);
    expect(analysis.totalParams).toBe(sum);
  });

  it('reports a required input left unconnected', () => {
    const doc = presetDoc('resnet-cifar');
    doc.edges = doc.edges.filter((e) => !(e.target === 'stage2-block1'));
    const analysis = validate(doc, registry);
    const d = analysis.nodes['stage2-block1']!.diagnostics;
    expect(d).toEqual([expect.objectContaining({ code: 'missing-input', port: 'in', nodeId: 'stage2-block1' })]);
    // Downstream nodes get no inferred shape, and no duplicate complaints.
    expect(analysis.nodes['stage2-block2']!.outputs.out).toBeUndefined();
    expect(analysis.nodes['stage2-block2']!.diagnostics).toEqual([]);
  });

  it('reports edges between incompatible port kinds found in a file', () => {
    const doc = presetDoc('resnet-cifar');
    const edge = doc.edges.find((e) => e.target === 'loss' && e.targetPort === 'targets')!;
    edge.source = 'logits';
    edge.sourcePort = 'out';
    const d = validate(doc, registry).nodes.loss!.diagnostics;
    expect(d.map((x) => x.code)).toEqual(expect.arrayContaining(['incompatible-ports']));
    expect(d.find((x) => x.code === 'incompatible-ports')!.message).toBe('out gives a tensor, but targets takes a dataset');
  });

  it('names both shapes when an Add gets different ones', () => {
    const doc: GraphDocument = {
      format: 'tensorloom-graph',
      version: 1,
      name: 'add',
      description: '',
      nodes: [
        { id: 'a', type: 'Input', position: { x: 0, y: 0 }, params: { shape: [16, 16, 32] } },
        { id: 'b', type: 'Input', position: { x: 0, y: 0 }, params: { shape: [32, 32, 16] } },
        { id: 'sum', type: 'Add', position: { x: 0, y: 0 }, params: {} },
      ],
      edges: [
        { id: 'e1', source: 'a', sourcePort: 'out', target: 'sum', targetPort: 'a' },
        { id: 'e2', source: 'b', sourcePort: 'out', target: 'sum', targetPort: 'b' },
      ],
    };
    const [d] = validate(doc, registry).nodes.sum!.diagnostics;
    expect(d!.code).toBe('shape-mismatch');
    expect(d!.message).toContain('[16,16,32]');
    expect(d!.message).toContain('[32,32,16]');
  });

  it('marks every node on a cycle', () => {
    const doc = presetDoc('resnet-cifar');
    doc.edges = doc.edges.filter((e) => e.target !== 'stage1-block1');
    doc.edges.push(
      { id: 'loop1', source: 'stage1-block3', sourcePort: 'out', target: 'stage1-block1', targetPort: 'in' },
    );
    const analysis = validate(doc, registry);
    const cyclic = Object.values(analysis.nodes).filter((n) => n.diagnostics.some((d) => d.code === 'cycle')).map((n) => n.nodeId);
    expect(cyclic.sort()).toEqual(['stage1-block1', 'stage1-block2', 'stage1-block3']);
  });

  it('suggests Flatten or GlobalAvgPool for a Dense fed a feature map', () => {
    const doc = presetDoc('resnet-cifar');
    doc.edges = doc.edges.filter((e) => e.source !== 'pool');
    doc.edges = doc.edges.map((e) => (e.target === 'pool' ? { ...e, target: 'logits' } : e));
    doc.nodes = doc.nodes.filter((n) => n.id !== 'pool');
    const [d] = validate(doc, registry).nodes.logits!.diagnostics;
    expect(d).toMatchObject({ code: 'rank-mismatch', severity: 'error' });
    expect(d!.message).toMatch(/Flatten|GlobalAvgPool/);
    expect(d!.fix).toMatchObject({ kind: 'insert-node', targetPort: 'in' });
  });

  it('reports parameters out of bounds with the parameter named', () => {
    const doc = presetDoc('resnet-cifar');
    doc.nodes.find((n) => n.id === 'stem-conv')!.params.filters = 0;
    doc.nodes.find((n) => n.id === 'optimizer')!.params.schedule = 'sometimes';
    expect(codes(doc, 'stem-conv')).toEqual(['invalid-params']);
    const d = validate(doc, registry).nodes.optimizer!.diagnostics[0]!;
    expect(d).toMatchObject({ code: 'invalid-params', param: 'schedule' });
  });

  it('flags a node type it does not know, as from a newer version', () => {
    const doc = presetDoc('dqn-driver');
    doc.nodes.push({ id: 'future', type: 'QuantumLayer', position: { x: 0, y: 0 }, params: {} });
    doc.edges.push({ id: 'ef', source: 'hidden2', sourcePort: 'out', target: 'future', targetPort: 'in' });
    const analysis = validate(doc, registry);
    expect(analysis.nodes.future!.diagnostics).toEqual([
      expect.objectContaining({ code: 'unknown-node-type', message: expect.stringContaining('QuantumLayer') }),
    ]);
    // The rest of the graph is still checked and inferred.
    expect(analysis.nodes['q-values']!.outputs.out).toEqual({ kind: 'tensor', shape: [5] });
  });
});

describe('validate: parameter hygiene', () => {
  it('warns about parameters the type does not have instead of dropping them silently', () => {
    const doc = presetDoc('resnet-cifar');
    doc.nodes.find((n) => n.id === 'stem-conv')!.params.filter = 32;
    const d = validate(doc, registry).nodes['stem-conv']!.diagnostics;
    expect(d).toEqual([expect.objectContaining({ severity: 'warning', code: 'invalid-params', param: 'filter' })]);
  });
});

describe('validate: hostile type names', () => {
  it.each(['toString', '__proto__', 'constructor', 'hasOwnProperty'])('treats a node of type %s as unknown', (type) => {
    const doc = presetDoc('dqn-driver');
    doc.nodes.push({ id: 'odd', type, position: { x: 0, y: 0 }, params: {} });
    doc.edges.push({ id: 'eo', source: 'odd', sourcePort: 'out', target: 'hidden1', targetPort: 'in' });
    doc.edges = doc.edges.filter((e) => !(e.target === 'hidden1' && e.source === 'observation'));
    const analysis = validate(doc, registry);
    expect(analysis.nodes.odd!.diagnostics.map((d) => d.code)).toEqual(['unknown-node-type']);
  });
});

describe('validate: a node fed by a broken one', () => {
  function fedByUnknown(): GraphDocument {
    const doc = presetDoc('dqn-driver');
    doc.nodes.push({ id: 'future', type: 'QuantumLayer', position: { x: 0, y: 0 }, params: {} });
    doc.edges = doc.edges.filter((e) => !(e.target === 'hidden1' && e.source === 'observation'));
    doc.edges.push({ id: 'ef', source: 'future', sourcePort: 'out', target: 'hidden1', targetPort: 'in' });
    return doc;
  }

  it('says its input has errors instead of failing inside, and the chain below stays quiet', () => {
    const analysis = validate(fedByUnknown(), registry);
    expect(analysis.nodes.hidden1!.diagnostics).toEqual([
      expect.objectContaining({ code: 'upstream-error', port: 'in', message: expect.stringMatching(/input comes from a node with errors/) }),
    ]);
    expect(analysis.nodes.hidden2!.diagnostics).toEqual([]);
    for (const d of analysis.diagnostics) expect(d.message).not.toMatch(/unknown ref|wired op/);
  });

  it('does the same when the source has no such output port', () => {
    const doc = presetDoc('dqn-driver');
    const edge = doc.edges.find((e) => e.target === 'hidden2')!;
    edge.sourcePort = 'sideways';
    const analysis = validate(doc, registry);
    expect(analysis.nodes[edge.source]!.diagnostics.map((d) => d.code)).toEqual(['unknown-port']);
    expect(analysis.nodes.hidden2!.diagnostics.map((d) => d.code)).toEqual(['upstream-error']);
  });
});

describe('validateInSteps: the same analysis, with the page handed back along the way', () => {
  it('on a 3,000-node chain with no time budget, hands back many times and ends with what validate gives', async () => {
    const doc = denseChainGraph(3000);
    let handedBack = 0;
    const stepped = await validateInSteps(doc, registry, async () => void handedBack++, 0);
    // One chance per 200 nodes in each of the two passes over the nodes, and one between them.
    expect(handedBack).toBeGreaterThanOrEqual(29);
    const whole = validate(doc, registry);
    expect(stepped.order).toEqual(whole.order);
    expect(stepped.totalParams).toBe(whole.totalParams);
    expect(stepped.totalParams).toBeGreaterThan(0);
    expect(JSON.stringify(stepped)).toBe(JSON.stringify(whole));
  });

  it('keeps to one piece when the work fits the budget', async () => {
    let handedBack = 0;
    const analysis = await validateInSteps(presetDoc('resnet-cifar'), registry, async () => void handedBack++, 60_000);
    expect(handedBack).toBe(0);
    expect(analysis.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });
});
