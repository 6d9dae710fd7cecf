/**
 * One way in for documents. Presets, imported files, share links, stored projects, the CLI and
 * pasted nodes all hand what they read to `admitDocument`, so one set of rules decides what
 * becomes a graph: the schema (with migrations), the node library (every type known), wiring
 * (ports exist, kinds match, each input wired at most once, no loops), positions in a sane range,
 * and the size of the file Export would write. What any way in admits, Export writes and Import reads back.
 *
 * Every step is linear in the size of the graph: a 10,000-node document is checked in tens of
 * milliseconds, not seconds.
 */
import { findLoops } from './cycles';
import { checkWire, inputKey } from './connect';
import {
  documentToJson,
  MAX_DOCUMENT_BYTES,
  parseDocument,
  readDocumentJson,
  tooLargeProblem,
  utf8Length,
  visibleText,
  type GraphDocument,
  type GraphNode,
  type ParseOptions,
  type ParseProblem,
} from './document';
import { definitionOf, type NodeRegistry } from './node-definition';

/** How far from the origin a node may sit; beyond it the canvas's arithmetic loses precision. */
export const MAX_POSITION = 1_000_000;

/** The schema's longest document name. */
export const MAX_NAME_LENGTH = 200;

/** Problems listed at most; a crafted file could otherwise fill the dialog with thousands. */
export const MAX_PROBLEMS = 50;

/**
 * An admitted document, with `warnings` (only when there are any) for what was mended on the way
 * in, or every reason it was refused.
 */
export type AdmitResult =
  | { ok: true; doc: GraphDocument; migratedFrom?: number; warnings?: ParseProblem[] }
  | { ok: false; problems: ParseProblem[] };

function capped(problems: ParseProblem[]): ParseProblem[] {
  if (problems.length <= MAX_PROBLEMS) return problems;
  const more = problems.length - MAX_PROBLEMS;
  return [...problems.slice(0, MAX_PROBLEMS), { path: '', message: `… and ${more.toLocaleString('en-US')} more problems` }];
}

function clamp(v: number): number {
  return Math.min(MAX_POSITION, Math.max(-MAX_POSITION, v));
}

/** Moves nodes placed absurdly far back into range (a position of 1e308 blanks the canvas). */
function clampPositions(doc: GraphDocument, warnings: ParseProblem[]): GraphDocument {
  let nodes: GraphNode[] | null = null;
  doc.nodes.forEach((n, i) => {
    const { x, y } = n.position;
    if (Math.abs(x) <= MAX_POSITION && Math.abs(y) <= MAX_POSITION) return;
    nodes ??= [...doc.nodes];
    const position = { x: clamp(x), y: clamp(y) };
    nodes[i] = { ...n, position };
    warnings.push({
      path: `nodes.${i}.position`,
      message: `node "${visibleText(n.id)}" was at (${x}, ${y}), far outside the canvas; moved to (${position.x}, ${position.y})`,
    });
  });
  return nodes ? { ...doc, nodes } : doc;
}

/** Known types, then every edge as if drawn on the canvas, then loops over the whole graph. */
export function checkWiring(doc: GraphDocument, registry: NodeRegistry): ParseProblem[] {
  const problems: ParseProblem[] = [];
  const byId = new Map<string, GraphNode>();
  doc.nodes.forEach((n, i) => {
    byId.set(n.id, n);
    if (!definitionOf(registry, n.type)) problems.push({ path: `nodes.${i}.type`, message: `unknown node type "${visibleText(n.type)}"` });
  });
  const known = (id: string) => definitionOf(registry, byId.get(id)?.type ?? '') !== undefined;
  const wired = new Set<string>();
  const accepted: { source: string; target: string; index: number }[] = [];
  doc.edges.forEach((e, i) => {
    // An edge at a node of unknown type has no ports to check; the type is reported already.
    if (byId.has(e.source) && byId.has(e.target) && (!known(e.source) || !known(e.target))) return;
    const verdict = checkWire(byId.get(e.source), byId.get(e.target), registry, e, (key) => wired.has(key));
    if (!verdict.ok) {
      problems.push({ path: `edges.${i}`, message: `edge ${visibleText(e.source)} → ${visibleText(e.target)}: ${verdict.reason}` });
      return;
    }
    wired.add(inputKey(e.target, e.targetPort));
    accepted.push({ source: e.source, target: e.target, index: i });
  });
  const loops = findLoops(
    doc.nodes.map((n) => n.id),
    accepted,
  );
  if (loops.length > 0) {
    const loopOf = new Map<string, number>();
    loops.forEach((members, k) => members.forEach((id) => loopOf.set(id, k)));
    // Name the last edge (in file order) inside each loop: the one that closes it when drawn in order.
    const closing = new Map<number, (typeof accepted)[number]>();
    for (const e of accepted) {
      const k = loopOf.get(e.source);
      if (k !== undefined && loopOf.get(e.target) === k) closing.set(k, e);
    }
    for (const e of [...closing.values()].sort((a, b) => a.index - b.index)) {
      problems.push({ path: `edges.${e.index}`, message: `edge ${visibleText(e.source)} → ${visibleText(e.target)}: this edge would make a loop` });
    }
  }
  return problems;
}

/**
 * The admission, step by step: each `yield` falls between steps that take tens of milliseconds
 * on a 10,000-node graph, so a caller on the page can let it breathe in between.
 */
/**
 * Documents this module admitted, with their size as a file, so that naming one anew (a new
 * project from an imported file) need not check the whole graph again. Documents are never
 * mutated once made.
 */
const admitted = new WeakMap<GraphDocument, { registry: NodeRegistry; bytes: number }>();

function* admission(value: unknown, registry: NodeRegistry, options: ParseOptions): Generator<void, AdmitResult> {
  const parsed = parseDocument(value, options);
  if (!parsed.ok) return { ok: false, problems: capped(parsed.problems) };
  yield;
  const problems = checkWiring(parsed.doc, registry);
  if (problems.length > 0) return { ok: false, problems: capped(problems) };
  yield;
  const warnings: ParseProblem[] = [];
  const doc = clampPositions(parsed.doc, warnings);
  let bytes: number;
  try {
    bytes = utf8Length(documentToJson(doc));
  } catch {
    // Only a value nested thousands deep makes JSON.stringify give up.
    return { ok: false, problems: [{ path: '', message: 'the graph cannot be written as a file (params nested too deeply)' }] };
  }
  if (bytes > MAX_DOCUMENT_BYTES) return { ok: false, problems: [tooLargeProblem(bytes)] };
  admitted.set(doc, { registry, bytes });
  return {
    ok: true,
    doc,
    ...(parsed.migratedFrom !== undefined ? { migratedFrom: parsed.migratedFrom } : {}),
    ...(warnings.length > 0 ? { warnings: capped(warnings) } : {}),
  };
}

function runToEnd(steps: Generator<void, AdmitResult>): AdmitResult {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * Admits an already JSON-decoded value as a graph document, or says why not, in the user's words.
 * Never throws.
 */
export function admitDocument(value: unknown, registry: NodeRegistry, options: ParseOptions = {}): AdmitResult {
  return runToEnd(admission(value, registry, options));
}

/** Admits document text (a file, the CLI's argument): byte-order mark, size, JSON, then `admitDocument`. */
export function admitDocumentText(text: string, registry: NodeRegistry, options: ParseOptions = {}): AdmitResult {
  const read = readDocumentJson(text);
  return read.ok ? admitDocument(read.value, registry, options) : read;
}

/** A new task: timers run after the browser has painted and handled input. */
const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * `admitDocument` for the page: the same steps, with the main thread handed back between them,
 * so a 10,000-node graph never holds it for one long task.
 */
export async function admitDocumentInSteps(value: unknown, registry: NodeRegistry, options: ParseOptions = {}): Promise<AdmitResult> {
  const steps = admission(value, registry, options);
  for (;;) {
    await nextTask();
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** `admitDocumentText` for the page, in steps like `admitDocumentInSteps`. */
export async function admitDocumentTextInSteps(text: string, registry: NodeRegistry, options: ParseOptions = {}): Promise<AdmitResult> {
  const read = readDocumentJson(text);
  return read.ok ? admitDocumentInSteps(read.value, registry, options) : read;
}

/**
 * `doc` under another name, admitted without checking the whole document again when `doc` was
 * admitted: only the name changes, so only the name's length and the file's size can.
 */
export function renameDocument(doc: GraphDocument, name: string, registry: NodeRegistry): AdmitResult {
  const renamed = { ...doc, name };
  const known = admitted.get(doc);
  if (known?.registry !== registry || name.length > MAX_NAME_LENGTH) return admitDocument(renamed, registry);
  const bytes = known.bytes - utf8Length(JSON.stringify(doc.name)) + utf8Length(JSON.stringify(name));
  if (bytes > MAX_DOCUMENT_BYTES) return { ok: false, problems: [tooLargeProblem(bytes)] };
  admitted.set(renamed, { registry, bytes });
  return { ok: true, doc: renamed };
}
