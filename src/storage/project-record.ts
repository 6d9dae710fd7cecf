/**
 * The stored form of a project, with its own schema version and migrations. The document inside
 * goes through the one way in (`admitDocument`: schema with the document's migrations, node
 * library, wiring, size) on every read and before every write, so a bad record is reported
 * instead of crashing the editor, and a stored project can always be exported and imported.
 */
import { z } from 'zod';
import { admitDocument, type GraphDocument, type NodeRegistry, type ParseProblem } from '../graph';

export const PROJECT_RECORD_VERSION = 1;

export interface StoredProject {
  id: string;
  schemaVersion: number;
  name: string;
  /** Bumped on every write; a save names the revision it started from (conflict check). */
  revision: number;
  createdAt: number;
  updatedAt: number;
  doc: unknown;
}

const StoredProjectSchema = z.object({
  id: z.string().min(1).max(128),
  schemaVersion: z.number().int().positive(),
  name: z.string().max(200),
  revision: z.number().int().nonnegative(),
  createdAt: z.number(),
  updatedAt: z.number(),
  doc: z.unknown(),
});

export interface Project {
  id: string;
  name: string;
  revision: number;
  createdAt: number;
  updatedAt: number;
  doc: GraphDocument;
}

interface RecordMigration {
  from: number;
  up(record: Record<string, unknown>): Record<string, unknown>;
}

/** Record-level migrations, in order; version 1 is the first, so none yet. */
export const RECORD_MIGRATIONS: readonly RecordMigration[] = [];

export type ReadResult = { ok: true; project: Project } | { ok: false; problems: ParseProblem[] };

/** Brings a raw record up to date and parses its document. */
export function readProjectRecord(
  raw: unknown,
  registry: NodeRegistry,
  migrations: readonly RecordMigration[] = RECORD_MIGRATIONS,
  currentVersion = PROJECT_RECORD_VERSION,
): ReadResult {
  if (typeof raw !== 'object' || raw === null) return { ok: false, problems: [{ path: '', message: 'not a project record' }] };
  let record = raw as Record<string, unknown>;
  const version = record.schemaVersion;
  if (typeof version !== 'number' || version > currentVersion) {
    return { ok: false, problems: [{ path: 'schemaVersion', message: `unsupported project record version ${String(version)}` }] };
  }
  for (let v = version; v < currentVersion; v++) {
    const step = migrations.find((m) => m.from === v);
    if (!step) return { ok: false, problems: [{ path: 'schemaVersion', message: `no migration from record version ${v}` }] };
    record = { ...step.up(record), schemaVersion: v + 1 };
  }
  const parsed = StoredProjectSchema.safeParse(record);
  if (!parsed.success) {
    return { ok: false, problems: parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })) };
  }
  const doc = admitDocument(parsed.data.doc, registry);
  if (!doc.ok) return { ok: false, problems: doc.problems.map((p) => ({ ...p, path: p.path ? `doc.${p.path}` : 'doc' })) };
  const { id, name, revision, createdAt, updatedAt } = parsed.data;
  return { ok: true, project: { id, name, revision, createdAt, updatedAt, doc: doc.doc } };
}

/** Builds the record to store, refusing a document the way in would refuse on the next read. */
export function toProjectRecord(
  project: Project,
  registry: NodeRegistry,
): { ok: true; record: StoredProject } | { ok: false; problems: ParseProblem[] } {
  const checked = admitDocument(project.doc, registry);
  if (!checked.ok) return checked;
  return { ok: true, record: storedRecord({ ...project, doc: checked.doc }) };
}

/** The record for a project whose document has been admitted already (`admitDocument`). */
export function storedRecord(project: Project): StoredProject {
  const { id, name, revision, createdAt, updatedAt, doc } = project;
  return { id, schemaVersion: PROJECT_RECORD_VERSION, name, revision, createdAt, updatedAt, doc };
}
