/**
 * Projects in IndexedDB: list, create, open, save with a revision check, rename, duplicate,
 * delete, and which one was open last. Two tabs may hold the same project: a save names the
 * revision it was based on and is refused (`conflict`) when another tab saved in between.
 */
import { MAX_NAME_LENGTH, renameDocument, type GraphDocument, type NodeRegistry, type ParseProblem } from '../graph';
import type { TensorloomDatabase } from './db';
import { readProjectRecord, storedRecord, toProjectRecord, type Project, type ReadResult } from './project-record';

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

/**
 * `name`, or the first of `name (2)`, `name (3)`, … that no project has yet, so projects made
 * from the same preset or file can be told apart. A name already ending in ` (n)` counts on.
 */
export function uniqueProjectName(name: string, taken: ReadonlySet<string>): string {
  if (!taken.has(name)) return name;
  const numbered = /^(.*) \((\d+)\)$/.exec(name);
  const base = numbered ? numbered[1]! : name;
  for (let n = numbered ? Number(numbered[2]) + 1 : 2; ; n++) {
    const suffix = ` (${n})`;
    // Names have a length limit; the number must survive it.
    const candidate = `${base.slice(0, MAX_NAME_LENGTH - suffix.length)}${suffix}`;
    if (!taken.has(candidate)) return candidate;
  }
}

export class ProjectRepository {
  /** `registry` is the node library every stored document is admitted against on read and write. */
  constructor(
    readonly db: TensorloomDatabase,
    readonly registry: NodeRegistry,
    private readonly now: () => number = Date.now,
  ) {}

  async list(): Promise<ProjectSummary[]> {
    const rows = await this.db.projects.orderBy('updatedAt').reverse().toArray();
    return rows.map((row) => {
      const read = readProjectRecord(row, this.registry);
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
    return readProjectRecord(row, this.registry);
  }

  /**
   * Stores a new project holding `doc` (its name taken from the document unless given), named
   * apart from every existing project: a second import of the same file becomes `name (2)`.
   */
  async create(doc: GraphDocument, name = doc.name): Promise<Project> {
    return this.db.transaction('rw', this.db.projects, async () => {
      const taken = new Set<string>();
      await this.db.projects.each((row) => void taken.add(row.name));
      const unique = uniqueProjectName(name, taken);
      // An admitted document (an import, a preset) is not checked whole again for its new name.
      const named = renameDocument(doc, unique, this.registry);
      if (!named.ok) throw new Error(`invalid document: ${named.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
      const t = this.now();
      const project: Project = { id: newId(), name: unique, revision: 1, createdAt: t, updatedAt: t, doc: named.doc };
      await this.db.projects.add(storedRecord(project));
      return project;
    });
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
        const current = readProjectRecord(row, this.registry);
        if (current.ok) return { ok: false, reason: 'conflict', current: current.project };
      }
      const updatedAt = this.now();
      const revision = row.revision + 1;
      const built = toProjectRecord({ id, name: doc.name, revision, createdAt: row.createdAt, updatedAt, doc }, this.registry);
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
