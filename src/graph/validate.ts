/**
 * Checks a document against a node library and infers what every port carries: per-node
 * diagnostics, tensor shapes, the model's primitive ops, parameter counts and FLOPs.
 * Pure and total: any parsed document gives an analysis, never an exception.
 */
import { definitionOf } from './node-definition';
import type { GraphDocument, GraphEdge } from './document';
import { portAccepts } from './connect';
import { findLoops } from './cycles';
import type { Diagnostic, NodeIssue } from './diagnostics';
import type { LayerNodeDefinition, NodeRegistry, OpBuilder } from './node-definition';
import { inferOp, type OpSpec } from './ops';
import { paramIssues } from './params';
import type { PortValue, Shape } from './ports';

/** One primitive op of the model, with its inferred shape and cost. */
export interface PlanOp {
  id: string;
  nodeId: string;
  spec: OpSpec;
  inputs: string[];
  shape: Shape;
  params: number;
  trainableParams: number;
  flops: number;
}

export interface NodeAnalysis {
  nodeId: string;
  type: string;
  /** Params after the type's schema filled in defaults; absent when unknown type or invalid. */
  params?: Record<string, unknown>;
  /** Inferred output values; an output is absent when it could not be inferred. */
  outputs: Record<string, PortValue>;
  /** For `input` and `layer` nodes: the op id behind each output port. */
  outputRefs: Record<string, string>;
  ops: PlanOp[];
  paramCount: number;
  trainableParams: number;
  flops: number;
  diagnostics: Diagnostic[];
}

export interface GraphAnalysis {
  nodes: Record<string, NodeAnalysis>;
  /** Every diagnostic: per node, per edge and whole-graph. */
  diagnostics: Diagnostic[];
  /** Node ids in topological order; nodes on a cycle are left out. */
  order: string[];
  /** Edges that passed port checks, by id, with the value they carry when known. */
  edgeValues: Record<string, PortValue | undefined>;
  /** Edges dropped from inference because their ports do not exist or do not fit. */
  invalidEdges: string[];
  totalParams: number;
  totalTrainableParams: number;
  totalFlops: number;
}

function issueToDiagnostic(nodeId: string, issue: NodeIssue): Diagnostic {
  return { ...issue, nodeId };
}

function checkEdges(
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
function topologicalOrder(nodeIds: readonly string[], edges: readonly GraphEdge[]): { order: string[]; cyclic: string[] } {
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

function lowerLayer(
  nodeId: string,
  def: LayerNodeDefinition,
  params: Record<string, unknown>,
  inputRefs: Record<string, string>,
  shapes: Map<string, Shape>,
): { ok: true; ops: PlanOp[]; outputs: Record<string, string> } | { ok: false; message: string } {
  const ops: PlanOp[] = [];
  const builder: OpBuilder = {
    add(name, spec, inputs) {
      const id = `${nodeId}/${name}`;
      if (shapes.has(id)) throw new LoweringError(`${def.type} emitted op "${name}" twice`);
      const inputShapes = inputs.map((ref) => {
        const s = shapes.get(ref);
        if (!s) throw new LoweringError(`${def.type} wired op "${name}" to unknown ref "${ref}"`);
        return s;
      });
      const inferred = inferOp(spec, inputShapes);
      if (!inferred.ok) throw new LoweringError(inferred.message);
      shapes.set(id, inferred.shape);
      ops.push({
        id,
        nodeId,
        spec,
        inputs: [...inputs],
        shape: inferred.shape,
        params: inferred.params,
        trainableParams: inferred.trainableParams,
        flops: inferred.flops,
      });
      return id;
    },
    shapeOf(ref) {
      const s = shapes.get(ref);
      if (!s) throw new LoweringError(`unknown ref "${ref}"`);
      return s;
    },
  };
  try {
    const outputs = def.lower(params as never, inputRefs, builder);
    return { ok: true, ops, outputs };
  } catch (err) {
    if (err instanceof LoweringError) return { ok: false, message: err.message };
    return { ok: false, message: `could not infer shapes: ${err instanceof Error ? err.message : String(err)}` };
  }
}

class LoweringError extends Error {}

/**
 * Target ports (`node\0port`) of refused edges whose fault lies with the source: an unknown or
 * missing source node, or an output port it does not have. Faults of the target's own (wrong
 * port, wrong kind, wired twice) are already diagnosed on the target.
 */
function upstreamFaults(
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

/** Analyses a parsed document against the node library. */
export function validate(doc: GraphDocument, registry: NodeRegistry): GraphAnalysis {
  const diagnostics: Diagnostic[] = [];
  const nodes: Record<string, NodeAnalysis> = {};
  for (const node of doc.nodes) {
    const a: NodeAnalysis = {
      nodeId: node.id,
      type: node.type,
      outputs: {},
      outputRefs: {},
      ops: [],
      paramCount: 0,
      trainableParams: 0,
      flops: 0,
      diagnostics: [],
    };
    nodes[node.id] = a;
    const def = definitionOf(registry, node.type);
    if (!def) {
      a.diagnostics.push({
        severity: 'error',
        code: 'unknown-node-type',
        message: `unknown node type "${node.type}" (made by a newer version of Tensorloom, or a typo)`,
        nodeId: node.id,
      });
      continue;
    }
    const { params, issues } = paramIssues(def, node.params);
    a.params = params;
    a.diagnostics.push(...issues.map((i) => issueToDiagnostic(node.id, i)));
  }

  const { valid, invalid } = checkEdges(doc, registry, diagnostics);
  const { order, cyclic } = topologicalOrder(
    doc.nodes.map((n) => n.id),
    valid,
  );
  if (cyclic.length > 0) {
    const remaining = new Set(cyclic);
    const loops = findLoops(cyclic, valid.filter((e) => remaining.has(e.source) && remaining.has(e.target)));
    for (const loop of loops) {
      const names = loop.map((id) => `"${id}"`).join(' → ');
      for (const id of loop) {
        nodes[id]!.diagnostics.push({
          severity: 'error',
          code: 'cycle',
          message: `part of a loop (${names}); data must flow one way`,
          nodeId: id,
        });
      }
    }
  }

  const invalidIds = new Set(invalid);
  const refusedInputs = new Set(doc.edges.filter((e) => invalidIds.has(e.id)).map((e) => `${e.target}\u0000${e.targetPort}`));
  // Inputs whose edge was refused for a fault at the other end (an unknown type, a missing output):
  // the node itself is fine but gets nothing, so it says where the trouble is instead of lowering.
  const faultUpstream = upstreamFaults(doc, registry, invalidIds, diagnostics);
  const incoming = new Map<string, GraphEdge[]>();
  for (const e of valid) {
    const list = incoming.get(e.target);
    if (list) list.push(e);
    else incoming.set(e.target, [e]);
  }
  const nodesById = new Map(doc.nodes.map((n) => [n.id, n]));
  const shapes = new Map<string, Shape>();
  const edgeValues: Record<string, PortValue | undefined> = {};

  for (const id of order) {
    const node = nodesById.get(id)!;
    const a = nodes[id]!;
    const def = definitionOf(registry, node.type);
    const inputs: Record<string, PortValue | undefined> = {};
    const inputRefs: Record<string, string> = {};
    let upstreamMissing = false;
    for (const e of incoming.get(id) ?? []) {
      const value = nodes[e.source]!.outputs[e.sourcePort];
      edgeValues[e.id] = value;
      inputs[e.targetPort] = value;
      if (value === undefined) upstreamMissing = true;
      const ref = nodes[e.source]!.outputRefs[e.sourcePort];
      if (ref) inputRefs[e.targetPort] = ref;
    }
    if (!def) continue;
    for (const port of def.inputs) {
      const key = `${id}\u0000${port.name}`;
      if (faultUpstream.has(key)) {
        upstreamMissing = true;
        a.diagnostics.push({
          severity: 'error',
          code: 'upstream-error',
          message: `${def.title}'s ${port.label} input comes from a node with errors; fix that node first`,
          nodeId: id,
          port: port.name,
        });
        continue;
      }
      // An edge refused by the port checks already has its own diagnostic; don't add a second.
      const connected = (incoming.get(id) ?? []).some((e) => e.targetPort === port.name) || refusedInputs.has(key);
      if (refusedInputs.has(key)) upstreamMissing = true;
      if (!connected && !port.optional) {
        a.diagnostics.push({
          severity: 'error',
          code: 'missing-input',
          message: `${def.title} needs its ${port.label} input connected`,
          nodeId: id,
          port: port.name,
        });
      }
    }
    if (!a.params || a.diagnostics.some((d) => d.severity === 'error') || upstreamMissing) continue;

    if (def.role === 'layer') {
      const tensorShapes: Record<string, Shape> = {};
      for (const [port, value] of Object.entries(inputs)) {
        if (value?.kind === 'tensor') tensorShapes[port] = value.shape;
      }
      const checkIssues = def.check?.(a.params as never, tensorShapes) ?? [];
      a.diagnostics.push(...checkIssues.map((i) => issueToDiagnostic(id, i)));
      if (checkIssues.some((i) => i.severity === 'error')) continue;
      const lowered = lowerLayer(id, def, a.params, inputRefs, shapes);
      if (!lowered.ok) {
        a.diagnostics.push({
          severity: 'error',
          code: 'shape-mismatch',
          message: lowered.message,
          nodeId: id,
        });
        continue;
      }
      a.ops = lowered.ops;
      for (const op of lowered.ops) {
        a.paramCount += op.params;
        a.trainableParams += op.trainableParams;
        a.flops += op.flops;
      }
      for (const [port, ref] of Object.entries(lowered.outputs)) {
        a.outputRefs[port] = ref;
        a.outputs[port] = { kind: 'tensor', shape: shapes.get(ref)! };
      }
      continue;
    }

    let result;
    try {
      result = def.infer(a.params as never, inputs);
    } catch (err) {
      a.diagnostics.push({
        severity: 'error',
        code: 'invalid-shape',
        message: `could not infer outputs: ${err instanceof Error ? err.message : String(err)}`,
        nodeId: id,
      });
      continue;
    }
    a.diagnostics.push(...(result.issues ?? []).map((i) => issueToDiagnostic(id, i)));
    if ((result.issues ?? []).some((i) => i.severity === 'error')) continue;
    for (const [port, value] of Object.entries(result.outputs)) if (value) a.outputs[port] = value;
    if (def.role === 'input') {
      const out = def.outputs[0];
      const value = out && a.outputs[out.name];
      if (out && value?.kind === 'tensor') {
        const opId = `${id}/input`;
        shapes.set(opId, value.shape);
        a.ops = [{ id: opId, nodeId: id, spec: { op: 'input', shape: value.shape }, inputs: [], shape: value.shape, params: 0, trainableParams: 0, flops: 0 }];
        a.outputRefs[out.name] = opId;
      }
    }
  }

  for (const e of valid) if (!(e.id in edgeValues)) edgeValues[e.id] = nodes[e.source]?.outputs[e.sourcePort];

  let totalParams = 0;
  let totalTrainableParams = 0;
  let totalFlops = 0;
  for (const a of Object.values(nodes)) {
    totalParams += a.paramCount;
    totalTrainableParams += a.trainableParams;
    totalFlops += a.flops;
    diagnostics.push(...a.diagnostics);
  }
  // Edge diagnostics also belong to their node's list so the editor can badge it.
  for (const d of diagnostics) {
    if (d.edgeId && d.nodeId && nodes[d.nodeId] && !nodes[d.nodeId]!.diagnostics.includes(d)) nodes[d.nodeId]!.diagnostics.push(d);
  }
  return { nodes, diagnostics, order, edgeValues, invalidEdges: invalid, totalParams, totalTrainableParams, totalFlops };
}


