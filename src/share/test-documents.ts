/**
 * Documents made by code for the one-way-in tests: random well-wired graphs up to the schema's
 * ceilings, and crafted bad cases (each a function of a valid document, not a committed file).
 */
import { registry } from '../../nodes/registry';
import { presetById } from '../../presets';
import { MAX_POSITION, type GraphDocument, type GraphEdge, type GraphNode } from '../graph';

/** A small, fast, seedable PRNG (mulberry32), so a failing size and seed can be replayed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const types = Object.keys(registry) as (keyof typeof registry)[];
const LABEL_CHARS = ['a', 'Z', ' ', 'é', '→', '<', '"', '\\', '😀', '\u200b', '名'];

function pick<T>(rand: () => number, xs: readonly T[]): T {
  return xs[Math.floor(rand() * xs.length)]!;
}

function text(rand: () => number, max: number): string {
  const n = Math.floor(rand() * (max + 1));
  let s = '';
  for (let i = 0; i < n; i++) s += pick(rand, LABEL_CHARS);
  // An emoji is two UTF-16 units; keep within the schema's length in units.
  return s.slice(0, max);
}

function paramValue(rand: () => number): unknown {
  switch (Math.floor(rand() * 6)) {
    case 0:
      return Math.floor(rand() * 512);
    case 1:
      return rand() * 2 - 1;
    case 2:
      return rand() < 0.5;
    case 3:
      return pick(rand, ['relu', 'same', 'valid', 'synthetic', 'adam']);
    case 4:
      return [Math.floor(rand() * 9), Math.floor(rand() * 9)];
    default:
      return { nested: [1, 'two', null] };
  }
}

/**
 * A random document every way in must admit: known types, wiring only from earlier nodes to
 * inputs that accept the kind (so no loops), each input at most once, at most `maxEdges` edges;
 * positions sometimes far past `MAX_POSITION` (admitted with a warning) and labels with any
 * characters.
 */
export function randomDocument(seed: number, nodeCount: number, maxEdges = 30_000): GraphDocument {
  const rand = prng(seed);
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  for (let i = 0; i < nodeCount; i++) {
    const type = pick(rand, types);
    const defaults = registry[type].params.parse({}) as Record<string, unknown>;
    const params: Record<string, unknown> = {};
    for (const key of Object.keys(defaults)) if (rand() < 0.3) params[key] = paramValue(rand);
    const far = rand() < 0.05;
    const coordinate = () => (far ? pick(rand, [1e308, -1e12, MAX_POSITION + 0.5]) : Math.round((rand() - 0.5) * 1e5 * 100) / 100);
    nodes.push({
      id: rand() < 0.1 ? `node ${text(rand, 20)} ${i}` : `n${i}`,
      type,
      position: { x: coordinate(), y: coordinate() },
      params,
      ...(rand() < 0.2 ? { label: text(rand, 200) } : {}),
    });
  }
  // Outputs by kind among nodes seen so far, so each input draws from a matching earlier node.
  const byKind = new Map<string, { id: string; port: string }[]>();
  nodes.forEach((n, i) => {
    const def = registry[n.type as keyof typeof registry];
    if (i > 0) {
      for (const input of def.inputs) {
        if (edges.length >= maxEdges || rand() < 0.2) continue;
        const sources = input.accepts.flatMap((k) => byKind.get(k) ?? []);
        if (sources.length === 0) continue;
        const s = pick(rand, sources);
        edges.push({ id: `e${edges.length}`, source: s.id, sourcePort: s.port, target: n.id, targetPort: input.name });
      }
    }
    for (const output of def.outputs) {
      const list = byKind.get(output.kind) ?? [];
      list.push({ id: n.id, port: output.name });
      byKind.set(output.kind, list);
    }
  });
  return { format: 'tensorloom-graph', version: 1, name: text(rand, 200), description: text(rand, 300), nodes, edges };
}

const base = (): GraphDocument => structuredClone(presetById('dqn-driver')!.doc);

/** Nests `value` `depth` arrays deep: small as compact JSON, large once pretty-printed. */
function nested(value: unknown, depth: number): unknown {
  let v = value;
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}

/** Bad documents, each with what every way in must say about it. */
export function craftedDocuments(): { what: string; doc: GraphDocument; message: RegExp }[] {
  const withType = (type: string, shown = type) => {
    const doc = base();
    doc.nodes[3] = { ...doc.nodes[3]!, type };
    return { what: `unknown type ${JSON.stringify(type)}`, doc, message: new RegExp(`^unknown node type "${shown.replace(/[^\w]/g, '\\$&')}"$`) };
  };
  const missingPort = base();
  missingPort.edges[2] = { ...missingPort.edges[2]!, targetPort: 'ghost' };
  const wiredTwice = base();
  const twice = wiredTwice.edges[2]!;
  wiredTwice.edges.push({ ...twice, id: 'twice' });
  const loop = base();
  const last = loop.edges.findIndex((e) => e.target === 'hidden1');
  loop.edges.splice(last, 1);
  loop.edges.push({ id: 'back', source: 'hidden2', sourcePort: 'out', target: 'hidden1', targetPort: 'in' });
  const oversize = base();
  oversize.nodes[3] = { ...oversize.nodes[3]!, params: { ...oversize.nodes[3]!.params, table: nested(new Array(150_000).fill(0), 50) } };
  return [
    withType('QuantumPool'),
    withType('__proto__'),
    withType('constructor'),
    withType('toString'),
    withType('Dense\u200b', 'DenseU+200B'),
    { what: 'an edge to a missing port', doc: missingPort, message: /has no input "ghost"/ },
    { what: 'an input wired twice', doc: wiredTwice, message: /input is already connected/ },
    { what: 'a loop', doc: loop, message: /edge hidden2 → hidden1: this edge would make a loop/ },
    { what: 'a graph over 16 MB as a file', doc: oversize, message: /^the graph is too large: 1\d\.\d MB as a file \(limit 16 MB\)$/ },
  ];
}
