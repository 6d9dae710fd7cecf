/**
 * Projects in IndexedDB: list, create, open, save with a revision check, rename, duplicate,
 * delete, and which one was open last. Two tabs may hold the same project: a save names the
 * revision it was based on and is refused (`conflict`) when another tab saved in between.
 */
import type { GraphDocument, ParseProblem } from '../graph';
import type { TensorloomDatabase } from './db';
import { readProjectRecord, toProjectRecord, type Project, type ReadResult } from './project-record';

export interface ProjectSummary {
  id: string;
  name: string;
  updatedAt: number;
  nodeCount: number;
  /** Set when the stored record cannot be read; the project can still be deleted. */
  problem?: string;
}

export type SaveResult =
  | { ok: true; revision: number; updatedAt: number }
  | { ok: false; reason: 'conflict'; current: Project }
  | { ok: false; reason: 'missing' }
  | { ok: false; reason: 'invalid'; problems: ParseProblem[] };

const LAST_OPENED = 'lastOpenedProject';

function newId(): string {
  return typeof crypto !== 'undefined' && 'randomUUID' in crypto
    ? crypto.randomUUID()
    : `p-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

export class ProjectRepository {
  constructor(
    readonly db: TensorloomDatabase,
    private readonly now: () => number = Date.now,
  ) {}

  async list(): Promise<ProjectSummary[]> {
    const rows = await this.db.projects.orderBy('updatedAt').reverse().toArray();
    return rows.map((row) => {
      const read = readProjectRecord(row);
      if (read.ok) {
        const p = read.project;
        return { id: p.id, name: p.name, updatedAt: p.updatedAt, nodeCount: p.doc.nodes.length };
      }
      return {
        id: String(row.id),
        name: typeof row.name === 'string' ? row.name : 'Unreadable project',
        updatedAt: typeof row.updatedAt === 'number' ? row.updatedAt : 0,
        nodeCount: 0,
        problem: read.problems.map((p) => `${p.path}: ${p.message}`).join('; '),
      };
    });
  }

  async get(id: string): Promise<ReadResult | { ok: false; problems: ParseProblem[]; missing: true }> {
    const row = await this.db.projects.get(id);
    if (!row) return { ok: false, missing: true, problems: [{ path: '', message: 'no such project' }] };
    return readProjectRecord(row);
  }

  /** Stores a new project holding `doc` (its name taken from the document unless given). */
  async create(doc: GraphDocument, name = doc.name): Promise<Project> {
    const t = this.now();
    const project: Project = { id: newId(), name, revision: 1, createdAt: t, updatedAt: t, doc: { ...doc, name } };
    const built = toProjectRecord(project);
    if (!built.ok) throw new Error(`invalid document: ${built.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
    await this.db.projects.add(built.record);
    return project;
  }

  /**
   * Writes `doc` if the stored revision is still `baseRevision`. `force` overwrites whatever is
   * stored (the user chose "keep mine" after a conflict).
   */
  async save(id: string, doc: GraphDocument, baseRevision: number, force = false): Promise<SaveResult> {
    return this.db.transaction('rw', this.db.projects, async (): Promise<SaveResult> => {
      const row = await this.db.projects.get(id);
      if (!row) return { ok: false, reason: 'missing' };
      if (!force && row.revision !== baseRevision) {
        const current = readProjectRecord(row);
        if (current.ok) return { ok: false, reason: 'conflict', current: current.project };
      }
      const updatedAt = this.now();
      const revision = row.revision + 1;
      const built = toProjectRecord({ id, name: doc.name, revision, createdAt: row.createdAt, updatedAt, doc });
      if (!built.ok) return { ok: false, reason: 'invalid', problems: built.problems };
      await this.db.projects.put(built.record);
      return { ok: true, revision, updatedAt };
    });
  }

  /** Renames a stored project (its document's name too). */
  async rename(id: string, name: string): Promise<SaveResult> {
    const read = await this.get(id);
    if (!read.ok) return 'missing' in read ? { ok: false, reason: 'missing' } : { ok: false, reason: 'invalid', problems: read.problems };
    return this.save(id, { ...read.project.doc, name }, read.project.revision);
  }

  async duplicate(id: string): Promise<Project | null> {
    const read = await this.get(id);
    if (!read.ok) return null;
    return this.create(read.project.doc, `${read.project.name} (copy)`);
  }

  async delete(id: string): Promise<void> {
    await this.db.projects.delete(id);
    if ((await this.lastOpened()) === id) await this.db.meta.delete(LAST_OPENED);
  }

  async lastOpened(): Promise<string | undefined> {
    const entry = await this.db.meta.get(LAST_OPENED);
    return typeof entry?.value === 'string' ? entry.value : undefined;
  }

  async setLastOpened(id: string): Promise<void> {
    await this.db.meta.put({ key: LAST_OPENED, value: id });
  }
}
