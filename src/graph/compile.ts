/**
 * `compile(doc, registry)`: the one pure step from a graph document to a training plan.
 */
import { definitionOf } from './node-definition';
import type { Diagnostic } from './diagnostics';
import { hasErrors } from './diagnostics';
import type { GraphDocument, GraphEdge } from './document';
import type { NodeRegistry, NodeRole } from './node-definition';
import {
  DEFAULT_BACKEND_PREFERENCE,
  PLAN_FORMAT,
  PLAN_VERSION,
  RL_BACKEND_PREFERENCE,
  type InitFrom,
  type ModelPlan,
  type ReinforcementPlan,
  type StagePlan,
  type SupervisedPlan,
  type TrainingPlan,
} from './plan';
import { depthDiagnostics } from './depth';
import { RECONSTRUCTION_LOSS_VALUES, estimateTrainingMemory, memoryDiagnostics, type MemoryEstimate, type MemoryLimits, type TrainingShape } from './memory';
import { shapeSize, type PortValue } from './ports';
import { validate, type GraphAnalysis, type PlanOp } from './validate';

export type CompileResult =
  | { ok: true; plan: TrainingPlan; analysis: GraphAnalysis; diagnostics: Diagnostic[]; memory: MemoryEstimate }
  /** `memory` is there when a plan was formed and refused for its size or depth. */
  | { ok: false; analysis: GraphAnalysis; diagnostics: Diagnostic[]; memory?: MemoryEstimate };

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

class Graph {
  readonly nodeById: Map<string, GraphDocument['nodes'][number]>;
  readonly incoming = new Map<string, GraphEdge[]>();
  readonly outgoing = new Map<string, GraphEdge[]>();
  constructor(
    readonly doc: GraphDocument,
    readonly registry: NodeRegistry,
    readonly analysis: GraphAnalysis,
  ) {
    this.nodeById = new Map(doc.nodes.map((n) => [n.id, n]));
    const invalid = new Set(analysis.invalidEdges);
    const valid = doc.edges.filter((e) => !invalid.has(e.id));
    for (const e of valid) {
      (this.incoming.get(e.target) ?? this.incoming.set(e.target, []).get(e.target)!).push(e);
      (this.outgoing.get(e.source) ?? this.outgoing.set(e.source, []).get(e.source)!).push(e);
    }
  }
  role(nodeId: string): NodeRole | undefined {
    const node = this.nodeById.get(nodeId);
    return node ? definitionOf(this.registry, node.type)?.role : undefined;
  }
  nodesWithRole(role: NodeRole): string[] {
    return this.doc.nodes.filter((n) => definitionOf(this.registry, n.type)?.role === role).map((n) => n.id);
  }
  /** The node feeding `port` of `nodeId`, if connected. */
  feeder(nodeId: string, port: string): GraphEdge | undefined {
    return this.incoming.get(nodeId)?.find((e) => e.targetPort === port);
  }
  stage(nodeId: string): StagePlan {
    const node = this.doc.nodes.find((n) => n.id === nodeId)!;
    return { nodeId, type: node.type, params: this.analysis.nodes[nodeId]!.params ?? {} };
  }
  /** Walks up from an edge through augmentation nodes to the dataset node, collecting the chain. */
  dataChain(edge: GraphEdge | undefined): { dataset?: string; augmentations: string[] } {
    const augmentations: string[] = [];
    let current = edge?.source;
    while (current) {
      const role = this.role(current);
      if (role === 'dataset') return { dataset: current, augmentations: augmentations.reverse() };
      if (role !== 'augmentation') return { augmentations };
      augmentations.push(current);
      const node = definitionOf(this.registry, this.doc.nodes.find((n) => n.id === current)!.type)!;
      current = this.feeder(current, node.inputs[0]!.name)?.source;
    }
    return { augmentations };
  }
}

function modelFrom(g: Graph, outputRef: string): ModelPlan {
  const allOps = new Map<string, PlanOp>();
  for (const id of g.analysis.order) for (const op of g.analysis.nodes[id]!.ops) allOps.set(op.id, op);
  const needed = new Set<string>();
  const stack = [outputRef];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (needed.has(id)) continue;
    needed.add(id);
    stack.push(...(allOps.get(id)?.inputs ?? []));
  }
  const ops = [...allOps.values()].filter((op) => needed.has(op.id));
  const inputs = ops.filter((op) => op.spec.op === 'input').map((op) => op.id);
  const out = allOps.get(outputRef)!;
  const first = allOps.get(inputs[0]!);
  return {
    inputs,
    ops,
    output: outputRef,
    inputShape: first ? first.shape : [],
    outputShape: out.shape,
    totalParams: ops.reduce((s, op) => s + op.params, 0),
    trainableParams: ops.reduce((s, op) => s + op.trainableParams, 0),
    totalFlops: ops.reduce((s, op) => s + op.flops, 0),
  };
}

function error(code: Diagnostic['code'], message: string, nodeId?: string): Diagnostic {
  return nodeId ? { severity: 'error', code, message, nodeId } : { severity: 'error', code, message };
}

/** The model output ref behind a tensor input port of a node, if it is fed by a layer or input. */
function modelOutputRef(g: Graph, nodeId: string, port: string): string | undefined {
  const edge = g.feeder(nodeId, port);
  return edge ? g.analysis.nodes[edge.source]?.outputRefs[edge.sourcePort] : undefined;
}

function evaluatorFor(g: Graph, trainedNodeId: string): StagePlan | undefined {
  const edge = (g.outgoing.get(trainedNodeId) ?? []).find((e) => g.role(e.target) === 'evaluator');
  return edge ? g.stage(edge.target) : undefined;
}

function unusedWarnings(g: Graph, model: ModelPlan): Diagnostic[] {
  const used = new Set(model.ops.map((op) => op.nodeId));
  return g.doc.nodes
    .filter((n) => {
      const role = definitionOf(g.registry, n.type)?.role;
      return (role === 'layer' || role === 'input') && !used.has(n.id);
    })
    .map((n) => ({
      severity: 'warning' as const,
      code: 'unused-node' as const,
      message: `${definitionOf(g.registry, n.type)!.title} is not connected to what gets trained, so it is left out`,
      nodeId: n.id,
    }));
}

type Unsized<T> = T extends TrainingPlan ? Omit<T, 'memory'> : never;
type Compiled = { plan?: Unsized<TrainingPlan>; diagnostics: Diagnostic[] };

/** Batch size, optimizer and copies held, from the node that sets them. */
function trainingShape(plan: Unsized<TrainingPlan>): TrainingShape {
  if (plan.mode === 'supervised') {
    const p = plan.optimizer.params;
    // A reconstruction compares the output image with the input, and corruption keeps a third copy of the batch.
    const reconstructs = plan.loss.params.target === 'input';
    const corrupts = plan.augmentations.some((a) => Number(a.params.maskPatches) > 0 || Number(a.params.noiseStd) > 0);
    return {
      batchSize: Number(p.batchSize),
      batchSizeFrom: "the Optimizer's batch size",
      optimizer: String(p.optimizer),
      modelCopies: 1,
      inputCopies: corrupts ? 3 : 2,
      lossValuesPerSample: reconstructs ? RECONSTRUCTION_LOSS_VALUES * shapeSize(plan.model.outputShape) : 0,
    };
  }
  // DQN: online and target networks, Adam, and a batch of observations and of next observations.
  return { batchSize: Number(plan.agent.params.batchSize), batchSizeFrom: "the Agent's batch size", optimizer: 'adam', modelCopies: 2, inputCopies: 2 };
}

/** The run an Optimizer starts from (`initFromRun`, `initMode`), lifted into the plan where the page finds it. */
function initFromOf(optimizer: StagePlan): { initFrom?: InitFrom } {
  const runId = optimizer.params.initFromRun;
  if (typeof runId !== 'string' || runId.trim() === '') return {};
  return { initFrom: { runId: runId.trim(), mode: optimizer.params.initMode === 'freeze' ? 'freeze' : 'fine-tune' } };
}

function compileSupervised(g: Graph, optimizerId: string): Compiled {
  const lossEdge = g.feeder(optimizerId, 'loss');
  const lossId = lossEdge?.source;
  if (!lossId || g.role(lossId) !== 'loss') return { diagnostics: [error('nothing-to-train', 'the Optimizer needs a Loss connected', optimizerId)] };
  const outputRef = modelOutputRef(g, lossId, 'predictions');
  if (!outputRef) return { diagnostics: [error('missing-input', 'the Loss needs the model output as predictions', lossId)] };
  const targets = g.dataChain(g.feeder(lossId, 'targets'));
  if (!targets.dataset) return { diagnostics: [error('missing-input', 'the Loss needs labels from a Dataset as targets', lossId)] };
  const model = modelFrom(g, outputRef);
  const diagnostics: Diagnostic[] = [];
  if (model.inputs.length !== 1) {
    diagnostics.push(error('ambiguous-training', `a supervised model needs exactly one Input, this one has ${model.inputs.length}`, lossId));
    return { diagnostics };
  }
  const inputNodeId = model.ops.find((op) => op.id === model.inputs[0])!.nodeId;
  const images = g.dataChain(g.feeder(inputNodeId, 'source'));
  if (images.dataset && images.dataset !== targets.dataset) {
    diagnostics.push(error('incompatible-target', 'the Input and the Loss targets come from different datasets', lossId));
    return { diagnostics };
  }
  const value = g.analysis.nodes[targets.dataset]!.outputs;
  const datasetValue = Object.values(value).find((v): v is Extract<PortValue, { kind: 'dataset' }> => v.kind === 'dataset')!;
  const plan: Unsized<SupervisedPlan> = {
    format: PLAN_FORMAT,
    version: PLAN_VERSION,
    name: g.doc.name,
    backendPreference: DEFAULT_BACKEND_PREFERENCE,
    mode: 'supervised',
    model,
    dataset: { ...g.stage(targets.dataset), value: datasetValue },
    // Augmentations are those on the image path; a chain on the label path alone changes nothing.
    augmentations: images.augmentations.map((id) => g.stage(id)),
    loss: g.stage(lossId),
    optimizer: g.stage(optimizerId),
    ...initFromOf(g.stage(optimizerId)),
    ...(evaluatorFor(g, optimizerId) ? { evaluator: evaluatorFor(g, optimizerId)! } : {}),
  };
  return { plan, diagnostics: unusedWarnings(g, model) };
}

function compileReinforcement(g: Graph, agentId: string): Compiled {
  const outputRef = modelOutputRef(g, agentId, 'q');
  if (!outputRef) return { diagnostics: [error('missing-input', 'the Agent needs a Q-network output connected', agentId)] };
  const envId = g.feeder(agentId, 'env')?.source;
  if (!envId || g.role(envId) !== 'environment') {
    return { diagnostics: [error('missing-input', 'the Agent needs an Environment connected', agentId)] };
  }
  const model = modelFrom(g, outputRef);
  const envValue = Object.values(g.analysis.nodes[envId]!.outputs).find(
    (v): v is Extract<PortValue, { kind: 'environment' }> => v.kind === 'environment',
  )!;
  const plan: Unsized<ReinforcementPlan> = {
    format: PLAN_FORMAT,
    version: PLAN_VERSION,
    name: g.doc.name,
    backendPreference: RL_BACKEND_PREFERENCE,
    mode: 'rl',
    model,
    environment: { ...g.stage(envId), value: envValue },
    agent: g.stage(agentId),
    ...(evaluatorFor(g, agentId) ? { evaluator: evaluatorFor(g, agentId)! } : {}),
  };
  return { plan, diagnostics: unusedWarnings(g, model) };
}

/** What the machine reports that the checks take into account (the caller reads it; src/graph reads nothing). */
export interface CompileOptions {
  /** Device limits, e.g. the page's WebGPU adapter's: a tensor past them is a diagnostic. */
  limits?: MemoryLimits;
}

/**
 * Compiles a document into a training plan, or returns why it cannot. Warnings (unused nodes)
 * come along with a plan; any error means no plan. `analysis`, when the caller already holds
 * `validate(doc, registry)` (the editor does), saves validating twice.
 */
export function compile(doc: GraphDocument, registry: NodeRegistry, analysis: GraphAnalysis = validate(doc, registry), options: CompileOptions = {}): CompileResult {
  if (hasErrors(analysis.diagnostics)) return { ok: false, analysis, diagnostics: analysis.diagnostics };
  const g = new Graph(doc, registry, analysis);
  const roots = [...g.nodesWithRole('optimizer'), ...g.nodesWithRole('agent')];
  if (roots.length === 0) {
    return {
      ok: false,
      analysis,
      diagnostics: [
        ...analysis.diagnostics,
        error('nothing-to-train', 'nothing to train: connect a Loss and an Optimizer, or an Agent'),
      ],
    };
  }
  if (roots.length > 1) {
    return {
      ok: false,
      analysis,
      diagnostics: [
        ...analysis.diagnostics,
        ...roots.map((id) => error('ambiguous-training', 'a project trains one model: keep one Optimizer or Agent', id)),
      ],
    };
  }
  const root = roots[0]!;
  const result = g.role(root) === 'optimizer' ? compileSupervised(g, root) : compileReinforcement(g, root);
  const diagnostics = [...analysis.diagnostics, ...result.diagnostics];
  if (!result.plan || hasErrors(diagnostics)) return { ok: false, analysis, diagnostics };
  const { model, backendPreference } = result.plan;
  const memory = estimateTrainingMemory(model, trainingShape(result.plan));
  diagnostics.push(...depthDiagnostics(model), ...memoryDiagnostics(model, memory, backendPreference, options.limits));
  if (hasErrors(diagnostics)) return { ok: false, analysis, diagnostics, memory };
  const plan = { ...result.plan, memory } as TrainingPlan;
  return { ok: true, plan: deepFreeze(plan), analysis, diagnostics, memory };
}
