/**
 * A compact JSON form of a graph document for share links: node types and ports become indices
 * into the registry's definitions, params equal to their defaults are dropped, positions are
 * rounded and edges refer to nodes by position in the list. Expanding it gives an ordinary
 * document, which then goes through the same way in as any file (`admitDocument`).
 */
import { z } from 'zod';
import { DOCUMENT_FORMAT, type GraphDocument, type NodeRegistry } from '../graph';

export const COMPACT_VERSION = 1;

/** A port by index into the definition's list, or by name when the type or port is unknown. */
const Port = z.union([z.number().int().nonnegative(), z.string()]);

/** `[type, x, y, params?, id?, label?]`; `type` indexes `t` (a string for types outside it). */
const CompactNode = z.tuple([z.number().int().nonnegative(), z.number(), z.number()]).rest(z.unknown());

/**
 * The compact form's structure only: lengths, counts and bounds are the document schema's to
 * report once the link is expanded, in the same words as for a file.
 */
export const CompactSchema = z.object({
  c: z.literal(COMPACT_VERSION),
  v: z.number(),
  n: z.string(),
  d: z.string().optional(),
  t: z.array(z.string()),
  N: z.array(CompactNode),
  /** `[sourceIndex, sourcePort, targetIndex, targetPort]` */
  E: z.array(z.tuple([z.number().int().nonnegative(), Port, z.number().int().nonnegative(), Port])),
});

export type CompactDocument = z.infer<typeof CompactSchema>;

function defaultsOf(registry: NodeRegistry, type: string): Record<string, unknown> {
  const def = Object.hasOwn(registry, type) ? registry[type] : undefined;
  if (!def) return {};
  const parsed = def.params.safeParse({});
  return parsed.success ? (parsed.data as Record<string, unknown>) : {};
}

function withoutDefaults(params: Record<string, unknown>, defaults: Record<string, unknown>): Record<string, unknown> | undefined {
  const kept = Object.entries(params).filter(([k, v]) => !(k in defaults && JSON.stringify(defaults[k]) === JSON.stringify(v)));
  return kept.length > 0 ? Object.fromEntries(kept) : undefined;
}

/** The id a node gets when its id did not travel. */
function indexId(i: number): string {
  return `n${i}`;
}

/** Compacts a document. Node ids travel only when `keepIds` is set. */
export function compactDocument(doc: GraphDocument, registry: NodeRegistry, keepIds = true): CompactDocument {
  const types: string[] = [];
  const typeIndex = new Map<string, number>();
  const index = new Map(doc.nodes.map((n, i) => [n.id, i]));
  const N = doc.nodes.map((n) => {
    let t = typeIndex.get(n.type);
    if (t === undefined) {
      t = types.length;
      types.push(n.type);
      typeIndex.set(n.type, t);
    }
    const params = withoutDefaults(n.params, defaultsOf(registry, n.type));
    const row: unknown[] = [t, Math.round(n.position.x), Math.round(n.position.y), params ?? 0];
    if (keepIds || n.label) row.push(keepIds ? n.id : 0);
    if (n.label) row.push(n.label);
    while (row.length > 3 && row[row.length - 1] === 0) row.pop();
    return row as CompactDocument['N'][number];
  });
  const portOf = (type: string, name: string, side: 'inputs' | 'outputs'): number | string => {
    const def = Object.hasOwn(registry, type) ? registry[type] : undefined;
    const i = def ? def[side].findIndex((p) => p.name === name) : -1;
    return i >= 0 ? i : name;
  };
  const E = doc.edges.flatMap((e): CompactDocument['E'] => {
    const s = index.get(e.source);
    const t = index.get(e.target);
    if (s === undefined || t === undefined) return [];
    return [[s, portOf(doc.nodes[s]!.type, e.sourcePort, 'outputs'), t, portOf(doc.nodes[t]!.type, e.targetPort, 'inputs')]];
  });
  return { c: COMPACT_VERSION, v: doc.version, n: doc.name, ...(doc.description ? { d: doc.description } : {}), t: types, N, E };
}

/**
 * Expands a compact document into the document shape (not yet checked: the caller admits it with
 * `admitDocument`, which reports any problem). Dropped params stay absent: validation
 * fills in defaults, exactly as it does for a hand-written file.
 */
export function expandDocument(compact: CompactDocument, registry: NodeRegistry): Record<string, unknown> {
  const nodes = compact.N.map((row, i) => {
    const [t, x, y, params, id, label] = row as [number, number, number, unknown?, unknown?, unknown?];
    const type = compact.t[t] ?? '';
    return {
      id: typeof id === 'string' ? id : indexId(i),
      type,
      position: { x, y },
      params: typeof params === 'object' && params !== null && !Array.isArray(params) ? params : {},
      ...(typeof label === 'string' ? { label } : {}),
    };
  });
  const portName = (nodeIndex: number, port: number | string, side: 'inputs' | 'outputs'): string => {
    if (typeof port === 'string') return port;
    const type = nodes[nodeIndex]?.type ?? '';
    const def = Object.hasOwn(registry, type) ? registry[type] : undefined;
    return def?.[side][port]?.name ?? `#${port}`;
  };
  const edges = compact.E.map(([s, sp, t, tp], i) => ({
    id: `e${i + 1}`,
    source: nodes[s]?.id ?? `#${s}`,
    sourcePort: portName(s, sp, 'outputs'),
    target: nodes[t]?.id ?? `#${t}`,
    targetPort: portName(t, tp, 'inputs'),
  }));
  return {
    format: DOCUMENT_FORMAT,
    version: compact.v,
    name: compact.n,
    description: compact.d ?? '',
    nodes,
    edges,
  };
}
