/**
 * Copy/paste as JSON text on the system clipboard, so nodes travel between tabs and windows.
 * Pasted text is untrusted: the nodes and the edges between them go through the one way in
 * (`admitDocument`, as a document of their own) before anything is added, so a paste cannot make a
 * graph that the project's own storage would refuse on the next load.
 */
import { z } from 'zod';
import { admitDocument, CURRENT_VERSION, DOCUMENT_FORMAT, EdgeSchema, NodeSchema, type GraphEdge, type GraphNode, type NodeRegistry } from '../graph';

export const CLIPBOARD_FORMAT = 'tensorloom-clipboard';

const ClipboardSchema = z.object({
  format: z.literal(CLIPBOARD_FORMAT),
  version: z.literal(1),
  nodes: z.array(NodeSchema).min(1).max(10_000),
  edges: z.array(EdgeSchema).max(30_000),
});

/** Largest pasted text considered. */
const MAX_CLIPBOARD_CHARS = 2_000_000;

export function clipboardText(nodes: readonly GraphNode[], edges: readonly GraphEdge[]): string {
  return JSON.stringify({ format: CLIPBOARD_FORMAT, version: 1, nodes, edges });
}

export type ClipboardParse = { ok: true; nodes: GraphNode[]; edges: GraphEdge[] } | { ok: false; reason: string };

/** Reads clipboard text; `reason` explains a refusal (not ours, malformed, unknown types, wiring the canvas refuses). */
export function parseClipboard(text: string, registry: NodeRegistry): ClipboardParse {
  if (text.length > MAX_CLIPBOARD_CHARS) return { ok: false, reason: 'the clipboard holds too much text to be nodes' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'the clipboard does not hold Tensorloom nodes' };
  }
  const parsed = ClipboardSchema.safeParse(value);
  if (!parsed.success) return { ok: false, reason: 'the clipboard does not hold Tensorloom nodes' };
  const ids = new Set(parsed.data.nodes.map((n) => n.id));
  const edges = parsed.data.edges.filter((e) => ids.has(e.source) && ids.has(e.target));
  // Pasted nodes get fresh ids and keep only edges among themselves, so a fragment that is a
  // sound document on its own stays sound inside any graph.
  const fragment = { format: DOCUMENT_FORMAT, version: CURRENT_VERSION, name: 'Pasted nodes', nodes: parsed.data.nodes, edges };
  const admitted = admitDocument(fragment, registry);
  if (!admitted.ok) return { ok: false, reason: admitted.problems[0]?.message ?? 'the clipboard does not hold Tensorloom nodes' };
  return { ok: true, nodes: admitted.doc.nodes, edges: admitted.doc.edges };
}
