/**
 * JSON files: export a document, import one. An import is checked by the document schema, then
 * against the node library (every type known) and wired edge by edge with `canConnect`, the rule
 * the canvas uses, so a file cannot hold a graph the editor would refuse to draw.
 */
import {
  canConnect,
  MAX_DOCUMENT_BYTES,
  parseDocumentText,
  type GraphDocument,
  type NodeRegistry,
  type ParseProblem,
} from '../graph';

export type ImportResult = { ok: true; doc: GraphDocument; migratedFrom?: number } | { ok: false; problems: ParseProblem[] };

/** Pretty-printed JSON, the format users save and diff. */
export function documentToJson(doc: GraphDocument): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/** A safe file name from a project name, e.g. `ResNet-20 on CIFAR-10.tensorloom.json`. */
export function exportFileName(name: string): string {
  // Characters that are illegal or awkward in file names on common systems.
  const cleaned = name
    .replace(/[\\/:*?"<>|\u0000-\u001f]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 80);
  return `${cleaned || 'graph'}.tensorloom.json`;
}

/** Checks a parsed document against the library: known types, then each edge as if drawn. */
export function checkAgainstRegistry(doc: GraphDocument, registry: NodeRegistry): ParseProblem[] {
  const problems: ParseProblem[] = [];
  doc.nodes.forEach((n, i) => {
    if (!Object.hasOwn(registry, n.type)) problems.push({ path: `nodes.${i}.type`, message: `unknown node type "${n.type}"` });
  });
  if (problems.length > 0) return problems;
  let wired: GraphDocument = { ...doc, edges: [] };
  doc.edges.forEach((e, i) => {
    const verdict = canConnect(wired, registry, e);
    if (!verdict.ok) problems.push({ path: `edges.${i}`, message: `edge ${e.source} → ${e.target}: ${verdict.reason}` });
    else wired = { ...wired, edges: [...wired.edges, e] };
  });
  return problems;
}

/** Parses and checks document text. */
export function importDocumentText(text: string, registry: NodeRegistry): ImportResult {
  const parsed = parseDocumentText(text);
  if (!parsed.ok) return parsed;
  const problems = checkAgainstRegistry(parsed.doc, registry);
  if (problems.length > 0) return { ok: false, problems };
  return parsed;
}

/** Reads a user's file; refuses an oversized one before reading it. */
export async function importDocumentFile(file: Blob, registry: NodeRegistry): Promise<ImportResult> {
  if (file.size > MAX_DOCUMENT_BYTES) {
    return {
      ok: false,
      problems: [{ path: '', message: `file too large: ${(file.size / 1e6).toFixed(1)} MB (limit ${MAX_DOCUMENT_BYTES / 1e6} MB)` }],
    };
  }
  let text: string;
  try {
    text = await file.text();
  } catch (err) {
    return { ok: false, problems: [{ path: '', message: `could not read the file: ${String(err)}` }] };
  }
  return importDocumentText(text, registry);
}

/** Starts a download of `doc` as JSON in the browser. */
export function downloadDocument(doc: GraphDocument, name = doc.name): void {
  const url = URL.createObjectURL(new Blob([documentToJson(doc)], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = exportFileName(name);
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
