/**
 * Builds small graph documents for node tests, so every test runs the real pipeline:
 * document → `validate(doc, registry)` → per-node analysis and diagnostics.
 */
import type { Diagnostic, QuickFix } from '../src/graph/diagnostics';
import { emptyDocument, type GraphDocument } from '../src/graph/document';
import type { PortValue, Shape } from '../src/graph/ports';
import { validate, type GraphAnalysis } from '../src/graph/validate';
import { registry } from './registry';

/** A node's source: its id (first output port) or `[id, outputPort]`. */
export type Source = string | readonly [id: string, port: string];

/** One step of a chain: a node type, or a type with params. */
export type Step = string | readonly [type: string, params: Record<string, unknown>];

function definition(type: string) {
  const def = Object.hasOwn(registry, type) ? registry[type as keyof typeof registry] : undefined;
  if (!def) throw new Error(`test helper: unknown node type ${type}`);
  return def;
}

/** Grows a document node by node; ids are `n0`, `n1`, … in order of addition. */
export class GraphBuilder {
  readonly doc: GraphDocument = emptyDocument('node test');

  /**
   * Adds a node and wires `inputs` (target port → source) into it. Params are stored as given,
   * so out-of-bounds values reach the validator.
   */
  add(type: string, params: Record<string, unknown> = {}, inputs: Record<string, Source> = {}): string {
    const id = `n${this.doc.nodes.length}`;
    this.doc.nodes.push({ id, type, params, position: { x: 200 * this.doc.nodes.length, y: 0 } });
    for (const [port, source] of Object.entries(inputs)) this.connect(source, id, port);
    return id;
  }

  /** Adds an edge from `source` into `targetPort` of `target` (default: its first input). */
  connect(source: Source, target: string, targetPort?: string): void {
    const [sourceId, sourcePort] = typeof source === 'string' ? [source, this.firstOutput(source)] : source;
    const node = this.doc.nodes.find((n) => n.id === target);
    const port = targetPort ?? (node && definition(node.type).inputs[0]?.name);
    if (!port) throw new Error(`test helper: ${target} has no input to connect`);
    this.doc.edges.push({ id: `e${this.doc.edges.length}`, source: sourceId, sourcePort, target, targetPort: port });
  }

  /** Adds `steps` in a line, each fed into the first input of the next; returns their ids. */
  chain(steps: readonly Step[], from?: Source): string[] {
    const ids: string[] = [];
    let previous = from;
    for (const step of steps) {
      const [type, params] = typeof step === 'string' ? [step, {}] : step;
      const firstInput = definition(type).inputs[0]?.name;
      const id = this.add(type, params, previous !== undefined && firstInput ? { [firstInput]: previous } : {});
      ids.push(id);
      previous = id;
    }
    return ids;
  }

  /**
   * Does what the editor does with an `insert-node` quick fix: puts a new node on the edge that
   * feeds `targetPort` of `target`. Returns the new node's id.
   */
  insertOnEdge(target: string, targetPort: string, type: string, params: Record<string, unknown> = {}): string {
    const edge = this.doc.edges.find((e) => e.target === target && e.targetPort === targetPort);
    if (!edge) throw new Error(`test helper: nothing feeds ${target}.${targetPort}`);
    const firstInput = definition(type).inputs[0]!.name;
    const id = this.add(type, params, { [firstInput]: [edge.source, edge.sourcePort] });
    edge.source = id;
    edge.sourcePort = this.firstOutput(id);
    return id;
  }

  /**
   * Does what the editor does with any quick fix on `target`: inserts a node (returning its id) or
   * merges params into the target's own (returning the target's id).
   */
  applyFix(target: string, fix: QuickFix): string {
    if (fix.kind === 'insert-node') return this.insertOnEdge(target, fix.targetPort, fix.nodeType, fix.params);
    const node = this.doc.nodes.find((n) => n.id === target);
    if (!node) throw new Error(`test helper: no node ${target}`);
    node.params = { ...node.params, ...fix.params };
    return target;
  }

  /** Runs the validator with the full node library. */
  validate(): GraphAnalysis {
    return validate(this.doc, registry);
  }

  private firstOutput(id: string): string {
    const node = this.doc.nodes.find((n) => n.id === id);
    const port = node && definition(node.type).outputs[0]?.name;
    if (!port) throw new Error(`test helper: ${id} has no output`);
    return port;
  }
}

/** Validates a chain of nodes; returns the analysis and the ids in order. */
export function validateChain(steps: readonly Step[]): { analysis: GraphAnalysis; ids: string[] } {
  const g = new GraphBuilder();
  const ids = g.chain(steps);
  return { analysis: g.validate(), ids };
}

/** The tensor shape a node's output carries, or undefined when it could not be inferred. */
export function shapeOf(analysis: GraphAnalysis, id: string, port = 'out'): Shape | undefined {
  const value: PortValue | undefined = analysis.nodes[id]?.outputs[port];
  return value?.kind === 'tensor' ? value.shape : undefined;
}

/** Error diagnostics, of one node or of the whole graph. */
export function errorsOf(analysis: GraphAnalysis, id?: string): Diagnostic[] {
  const list = id === undefined ? analysis.diagnostics : (analysis.nodes[id]?.diagnostics ?? []);
  return list.filter((d) => d.severity === 'error');
}

/** The analysis of the last node of a chain: convenient for single-layer tests. */
export function lastOf(result: { analysis: GraphAnalysis; ids: string[] }) {
  const id = result.ids[result.ids.length - 1]!;
  return { id, node: result.analysis.nodes[id]!, shape: shapeOf(result.analysis, id), errors: errorsOf(result.analysis, id) };
}

/**
 * Dataset → Input → Conv2D → GlobalAvgPool → Dense(units) → Loss (targets: the Dataset) → Optimizer.
 * The smallest complete supervised pipeline.
 */
export function addClassifier(
  g: GraphBuilder,
  { dataset = {}, units = 10 }: { dataset?: Record<string, unknown>; units?: number } = {},
) {
  const data = g.add('Dataset', dataset);
  const [input, conv, gap, dense] = g.chain(['Input', ['Conv2D', { filters: 8 }], 'GlobalAvgPool', ['Dense', { units }]], data);
  const loss = g.add('Loss', {}, { predictions: dense!, targets: data });
  const optimizer = g.add('Optimizer', {}, { loss });
  return { data, input: input!, conv: conv!, gap: gap!, dense: dense!, loss, optimizer };
}

/** Environment → Input → Dense(32, relu) → Dense(actions) → Agent (env: the Environment). */
export function addQLearner(
  g: GraphBuilder,
  { environment = {}, agent = {}, actions = 5 }: { environment?: Record<string, unknown>; agent?: Record<string, unknown>; actions?: number } = {},
) {
  const env = g.add('Environment', environment);
  const [input, hidden, q] = g.chain(['Input', ['Dense', { units: 32, activation: 'relu' }], ['Dense', { units: actions }]], env);
  const agentId = g.add('Agent', agent, { q: q!, env });
  return { env, input: input!, hidden: hidden!, q: q!, agent: agentId };
}
