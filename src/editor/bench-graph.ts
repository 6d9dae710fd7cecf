/**
 * A generated large graph for benchmarks: a stack of residual pairs `x → Conv2D → Add(conv, x)`,
 * three edges per pair, some Adds also taking the block two back (to reach `edgeCount`), inside a
 * complete supervised pipeline so it compiles. `benchGraph(1000, 1500)`: 1,000 nodes, 1,500 edges.
 */
import type { GraphDocument, GraphEdge, GraphNode } from '../graph';

/** Nodes outside the residual pairs: data, input, stem, pool, logits, loss, optimizer, evaluator. */
const FIXED_NODES = 8;

export function benchGraph(nodeCount = 1000, edgeCount = 1500, columns = 20): GraphDocument {
  const pairs = Math.max(2, Math.floor((nodeCount - FIXED_NODES) / 2));
  const spares = Math.max(0, nodeCount - FIXED_NODES - 2 * pairs);
  const baseEdges = 8 + 3 * pairs + spares;
  let extraEdges = Math.max(0, Math.min(pairs - 2, edgeCount - baseEdges));
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const col = (i: number) => ({ x: (i % columns) * 260, y: Math.floor(i / columns) * 150 });
  let slot = 0;
  const add = (id: string, type: string, params: Record<string, unknown> = {}) => {
    nodes.push({ id, type, position: col(slot++), params });
    return id;
  };
  const link = (source: string, sourcePort: string, target: string, targetPort: string) =>
    edges.push({ id: `e${edges.length + 1}`, source, sourcePort, target, targetPort });

  add('data', 'Dataset', { source: 'synthetic', imageSize: 8, channels: 3, numClasses: 10 });
  add('input', 'Input');
  link('data', 'data', 'input', 'source');
  add('stem', 'Conv2D', { filters: 8, kernelSize: 3 });
  link('input', 'out', 'stem', 'in');
  let x = 'stem';
  let twoBack = 'stem';
  for (let i = 0; i < pairs; i++) {
    const conv = add(`conv${i}`, 'Conv2D', { filters: 8, kernelSize: 3, activation: 'relu' });
    link(x, 'out', conv, 'in');
    const sum = add(`add${i}`, 'Add');
    link(conv, 'out', sum, 'a');
    link(x, 'out', sum, 'b');
    if (i >= 2 && extraEdges > 0) {
      link(twoBack, 'out', sum, 'c');
      extraEdges--;
    }
    twoBack = x;
    x = sum;
  }
  for (let i = 0; i < spares; i++) {
    const drop = add(`dropout${i}`, 'Dropout', { rate: 0.1 });
    link(x, 'out', drop, 'in');
    x = drop;
  }
  add('pool', 'GlobalAvgPool');
  link(x, 'out', 'pool', 'in');
  add('logits', 'Dense', { units: 10 });
  link('pool', 'out', 'logits', 'in');
  add('loss', 'Loss');
  link('logits', 'out', 'loss', 'predictions');
  link('data', 'data', 'loss', 'targets');
  add('optimizer', 'Optimizer');
  link('loss', 'loss', 'optimizer', 'loss');
  add('evaluate', 'Evaluator');
  link('optimizer', 'model', 'evaluate', 'source');
  return { format: 'tensorloom-graph', version: 1, name: `Benchmark graph (${nodes.length} nodes)`, description: '', nodes, edges };
}

/**
 * A chain of `nodeCount` nodes, nearly all Dense layers (`data → input → flatten → dense… →
 * loss → optimizer → evaluator`): the shape of graph that once made import quadratic.
 */
export function denseChainGraph(nodeCount = 10_000, columns = 50): GraphDocument {
  const layers = Math.max(1, nodeCount - 6);
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const add = (id: string, type: string, params: Record<string, unknown> = {}) => {
    const slot = nodes.length;
    nodes.push({ id, type, position: { x: (slot % columns) * 260, y: Math.floor(slot / columns) * 150 }, params });
    return id;
  };
  const link = (source: string, sourcePort: string, target: string, targetPort: string) =>
    edges.push({ id: `e${edges.length + 1}`, source, sourcePort, target, targetPort });
  add('data', 'Dataset', { source: 'synthetic', imageSize: 8, channels: 1, numClasses: 10 });
  add('input', 'Input');
  link('data', 'data', 'input', 'source');
  let x = add('flatten', 'Flatten');
  link('input', 'out', x, 'in');
  for (let i = 0; i < layers; i++) {
    const dense = add(`dense${i}`, 'Dense', { units: i === layers - 1 ? 10 : 16 });
    link(x, 'out', dense, 'in');
    x = dense;
  }
  add('loss', 'Loss');
  link(x, 'out', 'loss', 'predictions');
  link('data', 'data', 'loss', 'targets');
  add('optimizer', 'Optimizer');
  link('loss', 'loss', 'optimizer', 'loss');
  add('evaluate', 'Evaluator');
  link('optimizer', 'model', 'evaluate', 'source');
  return { format: 'tensorloom-graph', version: 1, name: `Dense chain (${nodes.length} nodes)`, description: '', nodes, edges };
}
