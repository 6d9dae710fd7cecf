/**
 * Checks a document against a node library and infers what every port carries: per-node
 * diagnostics, tensor shapes, the model's primitive ops, parameter counts and FLOPs.
 * Pure and total: any parsed document gives an analysis, never an exception.
 */
import { definitionOf } from './node-definition';
import type { GraphDocument, GraphEdge } from './document';
import { findLoops } from './cycles';
import type { Diagnostic, NodeIssue } from './diagnostics';
import type { LayerNodeDefinition, NodeRegistry, OpBuilder } from './node-definition';
import { inferOp, type OpSpec } from './ops';
import { paramIssues } from './params';
import type { PortValue, Shape } from './ports';
import { checkEdges, topologicalOrder, upstreamFaults } from './validate-edges';

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

/** Nodes checked between two chances for a stepped caller to hand the page back (~2–10 ms of work). */
const NODES_PER_STEP = 200;

/**
 * The analysis as steps: each `yield` falls after a few hundred nodes, so `validateInSteps` can
 * hand the page back on a 10,000-node graph (a few hundred milliseconds of work in one piece).
 */
function* validation(doc: GraphDocument, registry: NodeRegistry): Generator<void, GraphAnalysis> {
  let work = 0;
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
    if (++work % NODES_PER_STEP === 0) yield;
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

  yield;
  for (const id of order) {
    if (++work % NODES_PER_STEP === 0) yield;
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

/** Analyses a parsed document against the node library. */
export function validate(doc: GraphDocument, registry: NodeRegistry): GraphAnalysis {
  const steps = validation(doc, registry);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * `validate` for the page: the same analysis, awaiting `between` (a new task) whenever a stretch
 * of work has run for `budgetMs`, so no single task holds the main thread much longer than that.
 */
export async function validateInSteps(
  doc: GraphDocument,
  registry: NodeRegistry,
  between: () => Promise<void>,
  budgetMs = 40,
): Promise<GraphAnalysis> {
  const steps = validation(doc, registry);
  let since = performance.now();
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    if (performance.now() - since >= budgetMs) {
      await between();
      since = performance.now();
    }
  }
}
