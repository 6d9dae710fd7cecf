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

/** Largest document text accepted from a file or the clipboard. */
export const MAX_DOCUMENT_BYTES = 2_000_000;

/** Parses document text: size limit, JSON syntax, then `parseDocument`. */
export function parseDocumentText(text: string, options: ParseOptions = {}): ParseResult {
  if (text.length > MAX_DOCUMENT_BYTES) {
    return {
      ok: false,
      problems: [{ path: '', message: `file too large: ${(text.length / 1e6).toFixed(1)} MB (limit ${MAX_DOCUMENT_BYTES / 1e6} MB)` }],
    };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, problems: [{ path: '', message: `not valid JSON: ${(err as Error).message}` }] };
  }
  return parseDocument(value, options);
}

/** A new, empty document. */
export function emptyDocument(name = 'Untitled'): GraphDocument {
  return { format: DOCUMENT_FORMAT, version: CURRENT_VERSION, name, description: '', nodes: [], edges: [] };
}
