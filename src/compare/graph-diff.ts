/**
 * What differs between the graphs of several runs: per node, the parameters that changed, and the
 * nodes and edges one graph has and another lacks. Pure (no React): the compare view's "diff only"
 * table and its tests read the same rows.
 *
 * Nodes are matched by id (the editor keeps ids across edits, so a node whose learning rate changed
 * is the same node); a node whose type changed counts as removed and added. Edges are matched by
 * what they wire, not by their ids, so an edge rewired to another port is one removed and one added.
 * Positions and labels are not compared: they do not change what trains.
 */
import type { GraphDocument } from '../graph/document';

/** One row of the diff-only table: a parameter, a node or an edge whose value differs across runs. */
export interface DiffRow {
  kind: 'param' | 'node' | 'edge';
  /** The node the row belongs to (for an edge, its target), for highlighting on the canvas. */
  nodeId: string;
  /** What the row names: `Optimizer · learningRate`, `Dense dense2`, `conv1.out → pool1.in`. */
  label: string;
  /** One per run, in the order given: the value as text, or undefined where that run lacks it. */
  values: (string | undefined)[];
}

/** A parameter that differs between two graphs, old → new. */
export interface ParamChange {
  nodeId: string;
  param: string;
  old: string | undefined;
  new: string | undefined;
}

export interface EdgeKey {
  source: string;
  sourcePort: string;
  target: string;
  targetPort: string;
}

/** Between two graphs: `b` against `a`. Empty lists everywhere when they train the same thing. */
export interface GraphDiff {
  params: ParamChange[];
  nodesAdded: string[];
  nodesRemoved: string[];
  edgesAdded: EdgeKey[];
  edgesRemoved: EdgeKey[];
}

type Doc = Pick<GraphDocument, 'nodes' | 'edges'>;

/** A value as the table shows it: numbers and strings as they are, the rest as JSON with sorted keys. */
export function valueText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || v === null) return String(v);
  return JSON.stringify(v, (_k, val: unknown) =>
    val && typeof val === 'object' && !Array.isArray(val) ? Object.fromEntries(Object.entries(val).sort(([a], [b]) => a.localeCompare(b))) : val,
  );
}

const edgeName = (e: EdgeKey) => `${e.source}.${e.sourcePort} → ${e.target}.${e.targetPort}`;

/** Every comparable fact of a graph, keyed so equal facts of two graphs get equal keys. */
function facts(doc: Doc): Map<string, { row: Omit<DiffRow, 'values'>; value: string }> {
  const out = new Map<string, { row: Omit<DiffRow, 'values'>; value: string }>();
  for (const n of doc.nodes) {
    const name = n.label ? `${n.label} (${n.id})` : `${n.type} ${n.id}`;
    out.set(`node\u0000${n.id}`, { row: { kind: 'node', nodeId: n.id, label: name }, value: n.type });
    for (const [param, v] of Object.entries(n.params ?? {})) {
      if (v === undefined) continue;
      // Keyed by type too: a node that changed type has none of the old type's parameters.
      out.set(`param\u0000${n.id}\u0000${n.type}\u0000${param}`, { row: { kind: 'param', nodeId: n.id, label: `${name} · ${param}` }, value: valueText(v) });
    }
  }
  for (const e of doc.edges) {
    const key: EdgeKey = { source: e.source, sourcePort: e.sourcePort, target: e.target, targetPort: e.targetPort };
    out.set(`edge\u0000${edgeName(key)}`, { row: { kind: 'edge', nodeId: e.target, label: edgeName(key) }, value: 'wired' });
  }
  return out;
}

/**
 * The rows where the graphs differ, W&B's "diff only": a run without a stored graph (undefined)
 * takes no part. Nodes first, then parameters, then edges, each in first-seen order.
 */
export function diffRows(docs: readonly (Doc | undefined)[]): DiffRow[] {
  const all = docs.map((d) => (d ? facts(d) : undefined));
  const keys = new Map<string, Omit<DiffRow, 'values'>>();
  for (const f of all) if (f) for (const [k, { row }] of f) if (!keys.has(k)) keys.set(k, row);
  const rows: DiffRow[] = [];
  for (const [key, row] of keys) {
    const values = all.map((f) => f?.get(key)?.value);
    const present = values.filter((_, i) => all[i] !== undefined);
    if (present.every((v) => v === present[0])) continue;
    rows.push({ ...row, values });
  }
  const order = { node: 0, param: 1, edge: 2 } as const;
  return rows.sort((a, b) => order[a.kind] - order[b.kind]);
}

/** What changed from graph `a` to graph `b`. */
export function diffGraphs(a: Doc, b: Doc): GraphDiff {
  const diff: GraphDiff = { params: [], nodesAdded: [], nodesRemoved: [], edgesAdded: [], edgesRemoved: [] };
  const before = new Map(a.nodes.map((n) => [n.id, n]));
  const after = new Map(b.nodes.map((n) => [n.id, n]));
  for (const n of a.nodes) if (after.get(n.id)?.type !== n.type) diff.nodesRemoved.push(n.id);
  for (const n of b.nodes) {
    const old = before.get(n.id);
    if (old?.type !== n.type) {
      diff.nodesAdded.push(n.id);
      continue;
    }
    for (const param of new Set([...Object.keys(old.params ?? {}), ...Object.keys(n.params ?? {})])) {
      const o = old.params?.[param] === undefined ? undefined : valueText(old.params[param]);
      const v = n.params?.[param] === undefined ? undefined : valueText(n.params[param]);
      if (o !== v) diff.params.push({ nodeId: n.id, param, old: o, new: v });
    }
  }
  const keyOf = (e: EdgeKey): EdgeKey => ({ source: e.source, sourcePort: e.sourcePort, target: e.target, targetPort: e.targetPort });
  const aEdges = new Set(a.edges.map((e) => edgeName(e)));
  const bEdges = new Set(b.edges.map((e) => edgeName(e)));
  for (const e of a.edges) if (!bEdges.has(edgeName(e))) diff.edgesRemoved.push(keyOf(e));
  for (const e of b.edges) if (!aEdges.has(edgeName(e))) diff.edgesAdded.push(keyOf(e));
  return diff;
}

/** Whether a diff found nothing. */
export function isEmptyDiff(d: GraphDiff): boolean {
  return d.params.length + d.nodesAdded.length + d.nodesRemoved.length + d.edgesAdded.length + d.edgesRemoved.length === 0;
}
