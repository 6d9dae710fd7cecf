/**
 * One rule for wiring, used by the editor's `isValidConnection` and by the admission of every
 * document that comes in (`admit.ts`), so a file cannot hold a graph the editor would refuse to draw.
 */
import { definitionOf } from './node-definition';
import { visibleText, type GraphDocument, type GraphNode } from './document';
import type { NodeRegistry } from './node-definition';
import { PORT_KIND_LABEL, type InputPortSpec, type OutputPortSpec } from './ports';

export interface Connection {
  source: string;
  sourcePort: string;
  target: string;
  targetPort: string;
}

export type ConnectVerdict = { ok: true } | { ok: false; reason: string };

/** Whether an output port's kind is one the input port accepts. */
export function portAccepts(output: OutputPortSpec, input: InputPortSpec): ConnectVerdict {
  if (input.accepts.includes(output.kind)) return { ok: true };
  const wanted = input.accepts.map((k) => PORT_KIND_LABEL[k]).join(' or ');
  return {
    ok: false,
    reason: `${output.label} gives a ${PORT_KIND_LABEL[output.kind]}, but ${input.label} takes a ${wanted}`,
  };
}

/** A key for one input port of one node. */
export function inputKey(nodeId: string, port: string): string {
  return `${nodeId}\u0000${port}`;
}

/** Lookups over one document version; documents are immutable, so each is built once. */
interface WiringIndex {
  nodes: Map<string, GraphNode>;
  wiredInputs: Set<string>;
  next: Map<string, string[]>;
}

const indexes = new WeakMap<GraphDocument, WiringIndex>();

function wiringIndex(doc: GraphDocument): WiringIndex {
  let index = indexes.get(doc);
  if (index) return index;
  const next = new Map<string, string[]>();
  const wiredInputs = new Set<string>();
  for (const e of doc.edges) {
    const list = next.get(e.source);
    if (list) list.push(e.target);
    else next.set(e.source, [e.target]);
    wiredInputs.add(inputKey(e.target, e.targetPort));
  }
  index = { nodes: new Map(doc.nodes.map((n) => [n.id, n])), wiredInputs, next };
  indexes.set(doc, index);
  return index;
}

function reachesIn(next: ReadonlyMap<string, readonly string[]>, from: string, to: string): boolean {
  const seen = new Set<string>([from]);
  const stack = [from];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (id === to) return true;
    for (const n of next.get(id) ?? []) {
      if (!seen.has(n)) {
        seen.add(n);
        stack.push(n);
      }
    }
  }
  return false;
}

/**
 * Everything about one edge but loops: both ends exist, known types, ports exist, kinds match and
 * the input is still free (`isWired`). Loops need the whole graph; `canConnect` checks them for
 * one edge, the admission check for all edges at once.
 */
export function checkWire(
  sourceNode: GraphNode | undefined,
  targetNode: GraphNode | undefined,
  registry: NodeRegistry,
  c: Connection,
  isWired: (key: string) => boolean,
): ConnectVerdict {
  if (!sourceNode || !targetNode) return { ok: false, reason: 'both ends must be existing nodes' };
  if (c.source === c.target) return { ok: false, reason: 'a node cannot feed itself' };
  const sourceDef = definitionOf(registry, sourceNode.type);
  const targetDef = definitionOf(registry, targetNode.type);
  if (!sourceDef) return { ok: false, reason: `unknown node type "${visibleText(sourceNode.type)}"` };
  if (!targetDef) return { ok: false, reason: `unknown node type "${visibleText(targetNode.type)}"` };
  const output = sourceDef.outputs.find((p) => p.name === c.sourcePort);
  if (!output) return { ok: false, reason: `${sourceDef.title} has no output "${visibleText(c.sourcePort)}"` };
  const input = targetDef.inputs.find((p) => p.name === c.targetPort);
  if (!input) return { ok: false, reason: `${targetDef.title} has no input "${visibleText(c.targetPort)}"` };
  const kinds = portAccepts(output, input);
  if (!kinds.ok) return kinds;
  if (isWired(inputKey(c.target, c.targetPort))) {
    return { ok: false, reason: `${targetDef.title}'s ${input.label} input is already connected` };
  }
  return { ok: true };
}

/**
 * Decides whether a new edge may be drawn, and says why not: unknown nodes or ports, a kind the
 * input does not accept, an input that is already connected, or a loop.
 */
export function canConnect(doc: GraphDocument, registry: NodeRegistry, c: Connection): ConnectVerdict {
  const index = wiringIndex(doc);
  const verdict = checkWire(index.nodes.get(c.source), index.nodes.get(c.target), registry, c, (key) => index.wiredInputs.has(key));
  if (!verdict.ok) return verdict;
  if (reachesIn(index.next, c.target, c.source)) {
    return { ok: false, reason: 'this edge would make a loop' };
  }
  return { ok: true };
}
