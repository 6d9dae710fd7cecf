/**
 * The edge half of validation: which edges pass the port checks, the order data flows in, and
 * which refused inputs are the fault of the node upstream. Split from `validate.ts`.
 */
import { definitionOf } from './node-definition';
import type { GraphDocument, GraphEdge } from './document';
import { portAccepts } from './connect';
import type { Diagnostic } from './diagnostics';
import type { NodeRegistry } from './node-definition';

export function checkEdges(
  doc: GraphDocument,
  registry: NodeRegistry,
  diagnostics: Diagnostic[],
): { valid: GraphEdge[]; invalid: string[] } {
  const nodesById = new Map(doc.nodes.map((n) => [n.id, n]));
  const valid: GraphEdge[] = [];
  const invalid: string[] = [];
  const taken = new Map<string, string>();
  for (const e of doc.edges) {
    const source = nodesById.get(e.source);
    const target = nodesById.get(e.target);
    const sourceDef = source && definitionOf(registry, source.type);
    const targetDef = target && definitionOf(registry, target.type);
    if (!source || !target || !sourceDef || !targetDef) {
      // Unknown node types are reported on the node; the edge simply carries nothing.
      invalid.push(e.id);
      continue;
    }
    const output = sourceDef.outputs.find((p) => p.name === e.sourcePort);
    const input = targetDef.inputs.find((p) => p.name === e.targetPort);
    if (!output || !input) {
      const missing = !output ? `${sourceDef.title} has no output "${e.sourcePort}"` : `${targetDef.title} has no input "${e.targetPort}"`;
      diagnostics.push({ severity: 'error', code: 'unknown-port', message: missing, nodeId: !output ? e.source : e.target, edgeId: e.id });
      invalid.push(e.id);
      continue;
    }
    const verdict = portAccepts(output, input);
    if (!verdict.ok) {
      diagnostics.push({ severity: 'error', code: 'incompatible-ports', message: verdict.reason, nodeId: e.target, edgeId: e.id, port: e.targetPort });
      invalid.push(e.id);
      continue;
    }
    const key = `${e.target}\u0000${e.targetPort}`;
    if (taken.has(key)) {
      diagnostics.push({
        severity: 'error',
        code: 'duplicate-input',
        message: `${targetDef.title}'s ${input.label} input has more than one edge`,
        nodeId: e.target,
        edgeId: e.id,
        port: e.targetPort,
      });
      invalid.push(e.id);
      continue;
    }
    taken.set(key, e.id);
    valid.push(e);
  }
  return { valid, invalid };
}

/** Kahn's algorithm; returns the order and the nodes left on cycles. */
export function topologicalOrder(nodeIds: readonly string[], edges: readonly GraphEdge[]): { order: string[]; cyclic: string[] } {
  const indegree = new Map(nodeIds.map((id) => [id, 0]));
  const next = new Map<string, string[]>();
  for (const e of edges) {
    indegree.set(e.target, (indegree.get(e.target) ?? 0) + 1);
    const list = next.get(e.source);
    if (list) list.push(e.target);
    else next.set(e.source, [e.target]);
  }
  const queue = nodeIds.filter((id) => indegree.get(id) === 0);
  const order: string[] = [];
  for (let i = 0; i < queue.length; i++) {
    const id = queue[i]!;
    order.push(id);
    for (const t of next.get(id) ?? []) {
      const d = indegree.get(t)! - 1;
      indegree.set(t, d);
      if (d === 0) queue.push(t);
    }
  }
  const placed = new Set(order);
  return { order, cyclic: nodeIds.filter((id) => !placed.has(id)) };
}

/**
 * Target ports (`node\0port`) of refused edges whose fault lies with the source: an unknown or
 * missing source node, or an output port it does not have. Faults of the target's own (wrong
 * port, wrong kind, wired twice) are already diagnosed on the target.
 */
export function upstreamFaults(
  doc: GraphDocument,
  registry: NodeRegistry,
  invalidIds: ReadonlySet<string>,
  diagnostics: readonly Diagnostic[],
): Set<string> {
  const blamesTarget = new Set(diagnostics.filter((d) => d.edgeId && d.nodeId).map((d) => `${d.edgeId}\u0000${d.nodeId}`));
  const nodesById = new Map(doc.nodes.map((n) => [n.id, n]));
  const faults = new Set<string>();
  for (const e of doc.edges) {
    if (!invalidIds.has(e.id)) continue;
    const target = nodesById.get(e.target);
    if (!target || !definitionOf(registry, target.type) || blamesTarget.has(`${e.id}\u0000${e.target}`)) continue;
    faults.add(`${e.target}\u0000${e.targetPort}`);
  }
  return faults;
}

