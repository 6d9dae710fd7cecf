/**
 * JSON files: export a document, import one. An import goes through the one way in
 * (`admitDocumentText`): schema, node library, wiring as the canvas draws it, positions and size,
 * the same rules as links, presets and stored projects.
 */
import {
  admitDocumentText,
  admitDocumentTextInSteps,
  documentToJson,
  MAX_DOCUMENT_BYTES,
  tooLargeProblem,
  type AdmitResult,
  type GraphDocument,
  type NodeRegistry,
} from '../graph';

export { documentToJson };

export type ImportResult = AdmitResult;

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

/** Parses and checks document text. */
export function importDocumentText(text: string, registry: NodeRegistry): ImportResult {
  return admitDocumentText(text, registry);
}

/** Reads a user's file; refuses an oversized one before reading it. */
export async function importDocumentFile(file: Blob, registry: NodeRegistry): Promise<ImportResult> {
  if (file.size > MAX_DOCUMENT_BYTES) return { ok: false, problems: [tooLargeProblem(file.size)] };
  let text: string;
  try {
    text = await file.text();
  } catch (err) {
    return { ok: false, problems: [{ path: '', message: `could not read the file: ${err instanceof Error ? err.message : String(err)}` }] };
  }
  return admitDocumentTextInSteps(text, registry);
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
