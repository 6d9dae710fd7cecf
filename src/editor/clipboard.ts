/**
 * Copy/paste as JSON text on the system clipboard, so nodes travel between tabs and windows.
 * Pasted text is untrusted: it is parsed with the document's node and edge schemas and node types
 * are checked against the library before anything is added.
 */
import { z } from 'zod';
import { EdgeSchema, NodeSchema, type GraphEdge, type GraphNode, type NodeRegistry } from '../graph';

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

/** Reads clipboard text; `reason` explains a refusal (not ours, malformed, unknown types). */
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
  const unknown = parsed.data.nodes.find((n) => !Object.hasOwn(registry, n.type));
  if (unknown) return { ok: false, reason: `unknown node type "${unknown.type}"` };
  const ids = new Set(parsed.data.nodes.map((n) => n.id));
  const edges = parsed.data.edges.filter((e) => ids.has(e.source) && ids.has(e.target));
  return { ok: true, nodes: parsed.data.nodes, edges };
}
