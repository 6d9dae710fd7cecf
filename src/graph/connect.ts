/**
 * One rule for wiring, used by the editor's `isValidConnection` and by validation of loaded files.
 */
import { definitionOf } from './node-definition';
import type { GraphDocument } from './document';
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

/** Whether `to` can already be reached from `from` along the document's edges. */
export function reaches(doc: GraphDocument, from: string, to: string): boolean {
  const next = new Map<string, string[]>();
  for (const e of doc.edges) {
    const list = next.get(e.source);
    if (list) list.push(e.target);
    else next.set(e.source, [e.target]);
  }
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
 * Decides whether a new edge may be drawn, and says why not: unknown nodes or ports, a kind the
 * input does not accept, an input that is already connected, or a loop.
 */
export function canConnect(doc: GraphDocument, registry: NodeRegistry, c: Connection): ConnectVerdict {
  const sourceNode = doc.nodes.find((n) => n.id === c.source);
  const targetNode = doc.nodes.find((n) => n.id === c.target);
  if (!sourceNode || !targetNode) return { ok: false, reason: 'both ends must be existing nodes' };
  if (c.source === c.target) return { ok: false, reason: 'a node cannot feed itself' };
  const sourceDef = definitionOf(registry, sourceNode.type);
  const targetDef = definitionOf(registry, targetNode.type);
  if (!sourceDef) return { ok: false, reason: `unknown node type "${sourceNode.type}"` };
  if (!targetDef) return { ok: false, reason: `unknown node type "${targetNode.type}"` };
  const output = sourceDef.outputs.find((p) => p.name === c.sourcePort);
  if (!output) return { ok: false, reason: `${sourceDef.title} has no output "${c.sourcePort}"` };
  const input = targetDef.inputs.find((p) => p.name === c.targetPort);
  if (!input) return { ok: false, reason: `${targetDef.title} has no input "${c.targetPort}"` };
  const kinds = portAccepts(output, input);
  if (!kinds.ok) return kinds;
  if (doc.edges.some((e) => e.target === c.target && e.targetPort === c.targetPort)) {
    return { ok: false, reason: `${targetDef.title}'s ${input.label} input is already connected` };
  }
  if (reaches(doc, c.target, c.source)) {
    return { ok: false, reason: 'this edge would make a loop' };
  }
  return { ok: true };
}
