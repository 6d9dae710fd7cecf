/**
 * What a node card shows, derived from the document, its checks (the analysis and the compile
 * result) and the registry. Views are reused when nothing they show changed, so a param edit
 * re-renders only the cards it affects.
 */
import {
  compile,
  describeValue,
  validate,
  type CompileOptions,
  type CompileResult,
  type Diagnostic,
  type GraphAnalysis,
  type GraphDocument,
  type GraphNode,
  type NodeCategory,
  type NodeRegistry,
  type PortKind,
  type QuickFix,
} from '../graph';
import { PORT_KIND_COLOR } from './port-colors';

export interface PortView {
  name: string;
  label: string;
  /** Input: the kinds accepted; output: the one kind produced. */
  kinds: readonly PortKind[];
  color: string;
  optional: boolean;
  /** Output only: the inferred value in words, e.g. `[32,32,16]`. */
  value?: string;
}

export interface DiagnosticView {
  severity: Diagnostic['severity'];
  code: Diagnostic['code'];
  message: string;
  port?: string;
  param?: string;
  fix?: QuickFix;
}

export interface NodeView {
  id: string;
  type: string;
  title: string;
  /** The user's name for this node, shown instead of the title when set. */
  label?: string;
  category: NodeCategory | 'unknown';
  summary: string;
  inputs: readonly PortView[];
  outputs: readonly PortView[];
  diagnostics: readonly DiagnosticView[];
  paramCount: number;
  status: 'ok' | 'warning' | 'error';
}

function sameStructure(a: GraphDocument, b: GraphDocument): boolean {
  if (a.edges !== b.edges || a.nodes.length !== b.nodes.length) return false;
  for (let i = 0; i < a.nodes.length; i++) {
    const x = a.nodes[i]!;
    const y = b.nodes[i]!;
    if (x !== y && (x.id !== y.id || x.type !== y.type || x.params !== y.params)) return false;
  }
  return true;
}

/**
 * Everything the editor knows about a document: `validate`'s analysis (badges, edge shapes) and
 * `compile`'s result made from that same analysis (the plan, memory, depth), kept side by side so
 * that no panel compiles or validates again.
 */
export interface DocumentChecks {
  readonly analysis: GraphAnalysis;
  readonly compiled: CompileResult;
}

/**
 * Validates and compiles `doc` (validating once: compile takes the analysis), reusing `previous`
 * when only positions or labels changed: dragging a node in a large graph must not re-run shape
 * inference on every frame. A new name (the plan carries it) compiles again without validating.
 */
export function checkDocument(
  doc: GraphDocument,
  registry: NodeRegistry,
  previous?: { doc: GraphDocument } & DocumentChecks,
  options: CompileOptions = {},
): DocumentChecks {
  if (previous && sameStructure(previous.doc, doc)) {
    if (previous.doc.name === doc.name) return previous;
    return { analysis: previous.analysis, compiled: compile(doc, registry, previous.analysis, options) };
  }
  const analysis = validate(doc, registry);
  return { analysis, compiled: compile(doc, registry, analysis, options) };
}

/**
 * The compile result's diagnostics that name a node and are not the analysis's own (memory past
 * the budget, depth past TF.js's limit, two Optimizers): the node's card shows them as well.
 */
function compileIssuesByNode({ analysis, compiled }: DocumentChecks): ReadonlyMap<string, readonly Diagnostic[]> {
  // Compile keeps the analysis's diagnostics first and appends its own.
  if (compiled.diagnostics.length === analysis.diagnostics.length) return NO_COMPILE_ISSUES;
  let byNode = issuesByResult.get(compiled);
  if (byNode) return byNode;
  byNode = new Map();
  const own = new Set(analysis.diagnostics);
  for (const d of compiled.diagnostics) {
    if (!d.nodeId || own.has(d)) continue;
    const list = byNode.get(d.nodeId);
    if (list) list.push(d);
    else byNode.set(d.nodeId, [d]);
  }
  issuesByResult.set(compiled, byNode);
  return byNode;
}

const NO_COMPILE_ISSUES: ReadonlyMap<string, readonly Diagnostic[]> = new Map();
/** Worked out once per compile result: a drag re-reads them on every frame. */
const issuesByResult = new WeakMap<CompileResult, Map<string, Diagnostic[]>>();

type WiredPorts = ReadonlyMap<string, PortKind | undefined>;

const NO_PORTS: WiredPorts = new Map();

function summaryOf(node: GraphNode, registry: NodeRegistry, params: Record<string, unknown> | undefined, connected: WiredPorts): string {
  const def = registry[node.type];
  if (!def) return 'unknown node type';
  if (!params) return 'invalid parameters';
  try {
    return def.summary(params as never, connected);
  } catch {
    return '';
  }
}

function buildView(
  node: GraphNode,
  registry: NodeRegistry,
  analysis: GraphAnalysis,
  compileIssues: readonly Diagnostic[],
  connected: WiredPorts,
): NodeView {
  const def = Object.hasOwn(registry, node.type) ? registry[node.type] : undefined;
  const a = analysis.nodes[node.id];
  const found = a?.diagnostics ?? [];
  const diagnostics: DiagnosticView[] = (compileIssues.length > 0 ? [...found, ...compileIssues] : found).map((d) => ({
    severity: d.severity,
    code: d.code,
    message: d.message,
    ...(d.port ? { port: d.port } : {}),
    ...(d.param ? { param: d.param } : {}),
    ...(d.fix ? { fix: d.fix } : {}),
  }));
  const status = diagnostics.some((d) => d.severity === 'error') ? 'error' : diagnostics.length > 0 ? 'warning' : 'ok';
  const inputs: PortView[] = (def?.inputs ?? []).map((p) => ({
    name: p.name,
    label: p.label,
    kinds: p.accepts,
    color: PORT_KIND_COLOR[p.accepts[0] ?? 'tensor'],
    optional: p.optional === true,
  }));
  const outputs: PortView[] = (def?.outputs ?? []).map((p) => {
    const value = a?.outputs[p.name];
    return {
      name: p.name,
      label: p.label,
      kinds: [p.kind],
      color: PORT_KIND_COLOR[p.kind],
      optional: false,
      ...(value ? { value: describeValue(value) } : {}),
    };
  });
  return {
    id: node.id,
    type: node.type,
    title: def?.title ?? node.type,
    ...(node.label ? { label: node.label } : {}),
    category: def?.category ?? 'unknown',
    summary: summaryOf(node, registry, a?.params, connected),
    inputs,
    outputs,
    diagnostics,
    paramCount: a?.paramCount ?? 0,
    status,
  };
}

const NO_ISSUES: readonly Diagnostic[] = [];

/** Views for every node; an unchanged view keeps its previous object identity. */
export function buildViews(
  doc: GraphDocument,
  registry: NodeRegistry,
  checks: DocumentChecks,
  previous?: { doc: GraphDocument; views: Readonly<Record<string, NodeView>> } & DocumentChecks,
): Record<string, NodeView> {
  const { analysis } = checks;
  const views: Record<string, NodeView> = {};
  const sameAnalysis = previous?.analysis === analysis;
  const compileIssues = compileIssuesByNode(checks);
  // A rename or the GPU's limits compile again over the same analysis: only cards whose compile
  // issues changed are rebuilt.
  const oldIssues = previous && previous.compiled !== checks.compiled ? compileIssuesByNode(previous) : compileIssues;
  const oldNodes = sameAnalysis ? new Map(previous.doc.nodes.map((n) => [n.id, n])) : undefined;
  // Wired input ports per node, with the kind of value on each, gathered only once a view has to
  // be rebuilt (not on a drag frame).
  let connected: Map<string, Map<string, PortKind | undefined>> | undefined;
  const connectedPorts = (id: string): WiredPorts => {
    if (!connected) {
      connected = new Map();
      for (const e of doc.edges) {
        let ports = connected.get(e.target);
        if (!ports) connected.set(e.target, (ports = new Map()));
        ports.set(e.targetPort, analysis.nodes[e.source]?.outputs[e.sourcePort]?.kind);
      }
    }
    return connected.get(id) ?? NO_PORTS;
  };
  for (const node of doc.nodes) {
    const old = previous?.views[node.id];
    const oldNode = oldNodes?.get(node.id);
    const issues = compileIssues.get(node.id) ?? NO_ISSUES;
    // Moves leave the analysis and the node's own fields alone: nothing on the card changes.
    if (old && oldNode && oldNode.label === node.label && oldNode.type === node.type && sameIssues(oldIssues.get(node.id) ?? NO_ISSUES, issues)) {
      views[node.id] = old;
      continue;
    }
    const view = buildView(node, registry, analysis, issues, connectedPorts(node.id));
    views[node.id] = old && JSON.stringify(old) === JSON.stringify(view) ? old : view;
  }
  return previous && sameEntries(previous.views, views, doc.nodes.length) ? previous.views : views;
}

function sameIssues(a: readonly Diagnostic[], b: readonly Diagnostic[]): boolean {
  return a === b || (a.length === b.length && a.every((d, i) => d.message === b[i]!.message && d.severity === b[i]!.severity));
}

/** Whether two view records hold the same view objects (so the old record can be kept). */
function sameEntries(a: Readonly<Record<string, NodeView>>, b: Readonly<Record<string, NodeView>>, count: number): boolean {
  let n = 0;
  for (const id in a) {
    if (a[id] !== b[id]) return false;
    n++;
  }
  return n === count;
}
