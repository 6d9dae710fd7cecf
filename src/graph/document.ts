/**
 * The graph document: what users save, export and share. Parsing never throws; it returns every
 * problem with its path. Older versions are brought up to date by numbered migrations on load.
 */
import { z } from 'zod';

export const DOCUMENT_FORMAT = 'tensorloom-graph';
export const CURRENT_VERSION = 1;

const finite = z.number().finite();
const id = z.string().min(1).max(128);

export const NodeSchema = z.object({
  id,
  type: z.string().min(1).max(128),
  position: z.object({ x: finite, y: finite }),
  params: z.record(z.string(), z.unknown()).default({}),
  /** A user-given name shown instead of the type's title. */
  label: z.string().max(200).optional(),
});

export const EdgeSchema = z.object({
  id,
  source: id,
  sourcePort: z.string().min(1).max(64),
  target: id,
  targetPort: z.string().min(1).max(64),
});

export const GraphDocumentSchema = z
  .object({
    format: z.literal(DOCUMENT_FORMAT),
    version: z.number().int().positive(),
    name: z.string().max(200),
    description: z.string().max(5000).default(''),
    nodes: z.array(NodeSchema).max(10_000),
    edges: z.array(EdgeSchema).max(30_000),
  })
  .superRefine((doc, ctx) => {
    const nodeIds = new Set<string>();
    doc.nodes.forEach((n, i) => {
      if (nodeIds.has(n.id)) ctx.addIssue({ code: 'custom', path: ['nodes', i, 'id'], message: `duplicate node id "${n.id}"` });
      nodeIds.add(n.id);
    });
    const edgeIds = new Set<string>();
    doc.edges.forEach((e, i) => {
      if (edgeIds.has(e.id)) ctx.addIssue({ code: 'custom', path: ['edges', i, 'id'], message: `duplicate edge id "${e.id}"` });
      edgeIds.add(e.id);
      if (!nodeIds.has(e.source)) {
        ctx.addIssue({ code: 'custom', path: ['edges', i, 'source'], message: `edge source "${e.source}" is not a node` });
      }
      if (!nodeIds.has(e.target)) {
        ctx.addIssue({ code: 'custom', path: ['edges', i, 'target'], message: `edge target "${e.target}" is not a node` });
      }
    });
  });

export type GraphDocument = z.infer<typeof GraphDocumentSchema>;
export type GraphNode = GraphDocument['nodes'][number];
export type GraphEdge = GraphDocument['edges'][number];

/** One step of the document's history: turns a version-`from` document into version `from + 1`. */
export interface Migration {
  from: number;
  description: string;
  up(doc: Record<string, unknown>): Record<string, unknown>;
}

/** Migrations, in order. Version 1 is the first released format, so none exist yet. */
export const MIGRATIONS: readonly Migration[] = [];

export interface ParseProblem {
  /** Dotted path into the document, e.g. `nodes.3.position.x`; empty for the whole document. */
  path: string;
  message: string;
}

export type ParseResult =
  | { ok: true; doc: GraphDocument; migratedFrom?: number }
  | { ok: false; problems: ParseProblem[] };

export interface ParseOptions {
  migrations?: readonly Migration[];
  currentVersion?: number;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Applies migrations until the document reaches the current version. */
export function migrate(
  raw: Record<string, unknown>,
  { migrations = MIGRATIONS, currentVersion = CURRENT_VERSION }: ParseOptions = {},
): { ok: true; doc: Record<string, unknown>; from: number } | { ok: false; problems: ParseProblem[] } {
  const version = raw.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    return { ok: false, problems: [{ path: 'version', message: 'missing or invalid version (expected a positive integer)' }] };
  }
  if (version > currentVersion) {
    return {
      ok: false,
      problems: [
        {
          path: 'version',
          message: `this file is version ${version}, made by a newer Tensorloom; this one reads up to version ${currentVersion}`,
        },
      ],
    };
  }
  let doc = raw;
  for (let v = version; v < currentVersion; v++) {
    const step = migrations.find((m) => m.from === v);
    if (!step) return { ok: false, problems: [{ path: 'version', message: `no migration from version ${v}` }] };
    try {
      doc = { ...step.up(doc), version: v + 1 };
    } catch (err) {
      return { ok: false, problems: [{ path: '', message: `migration from version ${v} failed: ${String(err)}` }] };
    }
  }
  return { ok: true, doc, from: version };
}

/** Parses an unknown value (already JSON-decoded) into a document, migrating older versions. */
export function parseDocument(input: unknown, options: ParseOptions = {}): ParseResult {
  if (!isRecord(input)) return { ok: false, problems: [{ path: '', message: 'not a JSON object' }] };
  if (input.format !== DOCUMENT_FORMAT) {
    return { ok: false, problems: [{ path: 'format', message: `not a Tensorloom graph (expected format "${DOCUMENT_FORMAT}")` }] };
  }
  const migrated = migrate(input, options);
  if (!migrated.ok) return migrated;
  const result = GraphDocumentSchema.safeParse(migrated.doc);
  if (!result.success) {
    return {
      ok: false,
      problems: result.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message })),
    };
  }
  return migrated.from < (options.currentVersion ?? CURRENT_VERSION)
    ? { ok: true, doc: result.data, migratedFrom: migrated.from }
    : { ok: true, doc: result.data };
}

/**
 * Largest document accepted anywhere, measured as the file Export writes (`documentToJson`, UTF-8).
 * The schema allows 10,000 nodes and 30,000 edges; such a graph with everyday ids and params
 * writes about 4–9 MB, so every graph the schema admits in practice fits, and what any way in
 * admits can always be exported and imported again.
 */
export const MAX_DOCUMENT_BYTES = 16_000_000;

/** Pretty-printed JSON, the format users save and diff (and the measure of `MAX_DOCUMENT_BYTES`). */
export function documentToJson(doc: GraphDocument): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/** Bytes `text` takes in UTF-8, without encoding it. */
export function utf8Length(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) bytes += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      // A surrogate pair: two UTF-16 units, four UTF-8 bytes.
      bytes += 2;
      i++;
    } else bytes += 2;
  }
  return bytes;
}

/** The one message for a document over `MAX_DOCUMENT_BYTES`, whichever way it came in. */
export function tooLargeProblem(bytes: number): ParseProblem {
  return { path: '', message: `the graph is too large: ${(bytes / 1e6).toFixed(1)} MB as a file (limit ${MAX_DOCUMENT_BYTES / 1e6} MB)` };
}

/**
 * Characters a message must not quote as they are: controls, format characters (byte-order mark,
 * zero-width and bidi marks) and unusual spaces, which would be invisible or reorder the text.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Zl}\p{Zp}\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]/gu;

/** `text` with invisible characters written as `U+FEFF` so a message shows what is there. */
export function visibleText(text: string): string {
  return text.replace(INVISIBLE, (ch) => `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`);
}

const BYTE_ORDER_MARK = '\ufeff';

/**
 * Reads document text into a JSON value: drops a leading UTF-8 byte-order mark (editors on some
 * systems write one), refuses text over `MAX_DOCUMENT_BYTES` before parsing it, and reports JSON
 * syntax errors without quoting invisible characters.
 */
export function readDocumentJson(text: string): { ok: true; value: unknown } | { ok: false; problems: ParseProblem[] } {
  const body = text.startsWith(BYTE_ORDER_MARK) ? text.slice(1) : text;
  // A UTF-16 unit is at least one UTF-8 byte, so long text is refused without counting bytes.
  if (body.length > MAX_DOCUMENT_BYTES) return { ok: false, problems: [tooLargeProblem(utf8Length(body))] };
  const bytes = utf8Length(body);
  if (bytes > MAX_DOCUMENT_BYTES) return { ok: false, problems: [tooLargeProblem(bytes)] };
  try {
    return { ok: true, value: JSON.parse(body) };
  } catch (err) {
    return { ok: false, problems: [{ path: '', message: `not valid JSON: ${visibleText((err as Error).message)}` }] };
  }
}

/** Parses document text: BOM, size limit, JSON syntax, then `parseDocument` (no node library check). */
export function parseDocumentText(text: string, options: ParseOptions = {}): ParseResult {
  const read = readDocumentJson(text);
  return read.ok ? parseDocument(read.value, options) : read;
}

/** A new, empty document. */
export function emptyDocument(name = 'Untitled'): GraphDocument {
  return { format: DOCUMENT_FORMAT, version: CURRENT_VERSION, name, description: '', nodes: [], edges: [] };
}
