/**
 * The open project: which one it is, autosave (debounced) of the editor's document, and what
 * happens when another tab saves the same project. A save names the revision it started from; a
 * refused save, or news from another tab while this one has unsaved edits, becomes a `conflict`
 * that the user resolves. Nothing is overwritten silently.
 */
import type { GraphDocument } from '../graph';
import type { EditorStore } from '../editor/store';
import type { Project, ProjectChannel, ProjectMessage, ProjectRepository } from '../storage';

/** Hands the page back (a macrotask: paint and input run) between the steps of opening a large graph. */
const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** From this many nodes a project opens in steps (validation alone takes ~25-50 µs a node). */
const STEPPED_LOAD_NODES = 1000;

export type SaveState = 'saved' | 'unsaved' | 'saving' | 'conflict' | 'error';

export interface Conflict {
  /** `saved`: another tab saved a newer revision; `deleted`: another tab deleted the project. */
  kind: 'saved' | 'deleted';
  theirs?: Project;
}

export interface OpenProjectState {
  projectId: string | null;
  saveState: SaveState;
  conflict: Conflict | null;
  error: string | null;
  /** A short note for the user after something happened on its own (reloaded from another tab). */
  notice: string | null;
}

/** Autosave delay after the last edit: a reload loses at most about this much work. */
export const AUTOSAVE_DELAY_MS = 400;

/**
 * Where one tab remembers the project it shows, so that reloading that tab reopens it even after
 * another tab opened something else (the database's "last opened" is shared by all tabs).
 */
export interface TabMemory {
  get(): string | null;
  set(projectId: string): void;
}

const TAB_PROJECT_KEY = 'tensorloom.openProject';

/**
 * The browser's `sessionStorage`: it survives reloads of the same tab, and a new tab starts empty.
 * Where storage is blocked (or in Node), the tab remembers nothing and the shared last-opened applies.
 */
export function sessionTabMemory(): TabMemory {
  const storage = (): Storage | null => {
    try {
      return typeof sessionStorage === 'undefined' ? null : sessionStorage;
    } catch {
      return null;
    }
  };
  return {
    get: () => {
      try {
        return storage()?.getItem(TAB_PROJECT_KEY) ?? null;
      } catch {
        return null;
      }
    },
    set: (projectId) => {
      try {
        storage()?.setItem(TAB_PROJECT_KEY, projectId);
      } catch {
        // Blocked or full: this tab falls back to the shared last-opened project.
      }
    },
  };
}

/** The project open in this tab: its autosave, its conflicts with other tabs, and opening, creating and removing projects. */
export class OpenProject {
  private state: OpenProjectState = { projectId: null, saveState: 'saved', conflict: null, error: null, notice: null };
  private readonly listeners = new Set<() => void>();
  private baseRevision = 0;
  private savedChange = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private saving: Promise<void> | null = null;
  private readonly unsubscribe: (() => void)[] = [];

  constructor(
    readonly store: EditorStore,
    readonly repo: ProjectRepository,
    readonly channel: ProjectChannel,
    private readonly delay = AUTOSAVE_DELAY_MS,
    private readonly tab: TabMemory = sessionTabMemory(),
  ) {
    this.unsubscribe.push(store.subscribe(() => this.onEdit()));
    this.unsubscribe.push(channel.subscribe((m) => void this.onMessage(m)));
  }

  getState = (): OpenProjectState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private set(patch: Partial<OpenProjectState>): void {
    this.state = { ...this.state, ...patch };
    for (const l of [...this.listeners]) l();
  }

  get dirty(): boolean {
    return this.store.getState().changeCount !== this.savedChange;
  }

  /** Shows `project` in the editor and makes it the one this tab (and a new tab) reopens next time. */
  async show(project: Project): Promise<void> {
    this.cancelTimer();
    await this.saving;
    // A large graph is checked in tasks of their own, so the load that follows is only the first
    // render; a small one loads at once (no moment where the old project still shows).
    const prepared = project.doc.nodes.length >= STEPPED_LOAD_NODES ? await this.store.prepare(project.doc, nextTask) : undefined;
    this.baseRevision = project.revision;
    this.store.load(project.doc, prepared);
    this.savedChange = this.store.getState().changeCount;
    this.set({ projectId: project.id, saveState: 'saved', conflict: null, error: null });
    this.tab.set(project.id);
    await this.repo.setLastOpened(project.id);
  }

  /**
   * Reopens the project this tab showed before its reload, else the one any tab opened last.
   * Returns false when neither can be opened (none yet, deleted, or unreadable).
   */
  async reopenLast(): Promise<boolean> {
    const own = this.tab.get();
    if (own && (await this.open(own)).ok) return true;
    const shared = await this.repo.lastOpened();
    return shared !== undefined && shared !== own && (await this.open(shared)).ok;
  }

  /** Opens a stored project; returns why not when it cannot be read. */
  async open(id: string): Promise<{ ok: true } | { ok: false; message: string }> {
    await this.flush();
    const read = await this.repo.get(id);
    if (!read.ok) return { ok: false, message: read.problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join('\n') };
    await this.show(read.project);
    return { ok: true };
  }

  /** Creates a project from a document and opens it. */
  async createAndOpen(doc: GraphDocument, name?: string): Promise<Project> {
    await this.flush();
    const project = await this.repo.create(doc, name);
    await this.show(project);
    return project;
  }

  private onEdit(): void {
    if (!this.state.projectId || this.state.conflict || !this.dirty) return;
    if (this.state.saveState !== 'unsaved' && this.state.saveState !== 'saving') this.set({ saveState: 'unsaved' });
    this.cancelTimer();
    this.timer = setTimeout(() => void this.saveNow(), this.delay);
  }

  private cancelTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Saves pending edits now (page hide, switching project). */
  async flush(): Promise<void> {
    this.cancelTimer();
    await this.saving;
    if (this.dirty && !this.state.conflict) await this.saveNow();
  }

  async saveNow(force = false): Promise<void> {
    this.cancelTimer();
    const id = this.state.projectId;
    if (!id) return;
    if (this.saving) {
      await this.saving;
      if (!this.dirty && !force) return;
    }
    const { doc, changeCount } = this.store.getState();
    this.set({ saveState: 'saving' });
    const run = (async () => {
      try {
        const result = await this.repo.save(id, doc, this.baseRevision, force);
        if (this.state.projectId !== id) return;
        if (result.ok) {
          this.baseRevision = result.revision;
          this.savedChange = changeCount;
          this.channel.post({ type: 'saved', projectId: id, revision: result.revision });
          this.set({ saveState: this.dirty ? 'unsaved' : 'saved', conflict: null, error: null });
          if (this.dirty) this.onEdit();
        } else if (result.reason === 'conflict') {
          this.set({ saveState: 'conflict', conflict: { kind: 'saved', theirs: result.current } });
        } else if (result.reason === 'missing') {
          this.set({ saveState: 'conflict', conflict: { kind: 'deleted' } });
        } else {
          this.set({ saveState: 'error', error: result.problems.map((p) => p.message).join('; ') });
        }
      } catch (err) {
        this.set({ saveState: 'error', error: err instanceof Error ? err.message : String(err) });
      }
    })();
    this.saving = run;
    await run;
    if (this.saving === run) this.saving = null;
  }

  private async onMessage(m: ProjectMessage): Promise<void> {
    if (m.projectId !== this.state.projectId) return;
    if (m.type === 'deleted') {
      this.cancelTimer();
      this.set({ saveState: 'conflict', conflict: { kind: 'deleted' } });
      return;
    }
    if (m.revision <= this.baseRevision) return;
    await this.saving;
    const read = await this.repo.get(m.projectId);
    if (!read.ok || read.project.revision <= this.baseRevision) return;
    if (!this.dirty && !this.state.conflict) {
      // Nothing unsaved here: follow the other tab.
      await this.show(read.project);
      this.set({ notice: 'This project was changed in another tab; showing the latest version.' });
      return;
    }
    this.cancelTimer();
    this.set({ saveState: 'conflict', conflict: { kind: 'saved', theirs: read.project } });
  }

  /**
   * Ends a conflict: `theirs` loads the other tab's version, `mine` overwrites it with this tab's,
   * `copy` saves this tab's document as a new project and leaves the other untouched.
   */
  async resolve(choice: 'theirs' | 'mine' | 'copy'): Promise<void> {
    const conflict = this.state.conflict;
    const id = this.state.projectId;
    if (!conflict || !id) return;
    const { doc } = this.store.getState();
    if (choice === 'theirs' && conflict.theirs) {
      await this.show(conflict.theirs);
    } else if (choice === 'mine' && conflict.kind === 'saved') {
      this.set({ conflict: null });
      await this.saveNow(true);
    } else {
      this.set({ conflict: null });
      await this.createAndOpen(doc, `${doc.name} (my copy)`);
    }
  }

  /** Deletes a project; if it is open, the caller opens another. */
  async remove(id: string): Promise<void> {
    if (id === this.state.projectId) {
      this.cancelTimer();
      this.set({ projectId: null });
    }
    await this.repo.delete(id);
    this.channel.post({ type: 'deleted', projectId: id });
  }

  clearNotice(): void {
    this.set({ notice: null });
  }

  dispose(): void {
    this.cancelTimer();
    for (const u of this.unsubscribe) u();
  }
}
