/**
 * The editor's state: one document, its analysis and compile result, selection and history, in a
 * small external store that React reads through narrow selectors (`useEditor`). Every change to
 * the document goes through `apply` (an `Edit` value), so undo/redo and autosave see all of them,
 * and each change is validated and compiled once, here (`checkDocument`): the summary, the run
 * panel and the node cards read the result and never compile themselves.
 */
import { compile, limitsMatter, validateInSteps, type CompileOptions, type CompileResult, type GraphAnalysis, type GraphDocument, type MemoryLimits, type NodeRegistry } from '../graph';
import { applyEdit, type Edit } from './edits';
import { emptyHistory, record, redo, undo, type History } from './history';
import { buildViews, checkDocument, type NodeView } from './node-view';

export interface Size {
  width: number;
  height: number;
}

export interface EditorState {
  readonly doc: GraphDocument;
  readonly analysis: GraphAnalysis;
  /** `compile(doc, registry, analysis)`: made from `analysis`, again only when the structure or the name changes. */
  readonly compiled: CompileResult;
  readonly views: Readonly<Record<string, NodeView>>;
  readonly history: History;
  readonly selectedNodes: ReadonlySet<string>;
  readonly selectedEdges: ReadonlySet<string>;
  /** Rendered node sizes reported by React Flow; view state, never saved. */
  readonly measured: ReadonlyMap<string, Size>;
  readonly readOnly: boolean;
  /** Counts document changes since the last `load`; autosave watches it. */
  readonly changeCount: number;
  /** Counts `load` calls: the canvas fits the view once per loaded document. */
  readonly loadCount: number;
}

/** A document's checks and card views made ahead of `load` (see `EditorStore.prepare`). */
export interface PreparedDocument {
  doc: GraphDocument;
  options: CompileOptions;
  checks: { analysis: GraphAnalysis; compiled: CompileResult };
  views: Readonly<Record<string, NodeView>>;
}

export interface EditorStoreOptions {
  readOnly?: boolean;
}

const EMPTY: ReadonlySet<string> = new Set();

export class EditorStore {
  private state: EditorState;
  private readonly listeners = new Set<() => void>();
  /** The document when the current gesture (a drag) began; its steps become one undo entry. */
  private gestureBase: GraphDocument | null = null;
  /** What the machine reports for compile's memory check (`setMemoryLimits`). */
  private compileOptions: CompileOptions = {};

  constructor(
    readonly registry: NodeRegistry,
    doc: GraphDocument,
    options: EditorStoreOptions = {},
  ) {
    const checks = checkDocument(doc, registry, undefined, this.compileOptions);
    this.state = {
      doc,
      ...checks,
      views: buildViews(doc, registry, checks),
      history: emptyHistory,
      selectedNodes: EMPTY,
      selectedEdges: EMPTY,
      measured: new Map(),
      readOnly: options.readOnly === true,
      changeCount: 0,
      loadCount: 0,
    };
  }

  getState = (): EditorState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private set(next: EditorState): void {
    this.state = next;
    for (const l of [...this.listeners]) l();
  }

  private withDoc(doc: GraphDocument, history: History, changed = 1): EditorState {
    const prev = this.state;
    const checks = checkDocument(doc, this.registry, prev, this.compileOptions);
    const { analysis } = checks;
    const views = buildViews(doc, this.registry, checks, prev);
    const alive = (ids: ReadonlySet<string>, has: (id: string) => boolean) => {
      if (ids.size === 0) return ids;
      const kept = [...ids].filter(has);
      return kept.length === ids.size ? ids : new Set(kept);
    };
    // A reused analysis means the same nodes and edges (only positions or labels moved): the
    // selection cannot have lost anything, so skip rebuilding id sets on every drag frame.
    const sameIds = analysis === prev.analysis;
    const nodeIds = sameIds ? null : new Set(doc.nodes.map((n) => n.id));
    const edgeIds = sameIds ? null : new Set(doc.edges.map((e) => e.id));
    return {
      ...prev,
      doc,
      analysis,
      compiled: checks.compiled,
      views,
      history,
      selectedNodes: nodeIds ? alive(prev.selectedNodes, (id) => nodeIds.has(id)) : prev.selectedNodes,
      selectedEdges: edgeIds ? alive(prev.selectedEdges, (id) => edgeIds.has(id)) : prev.selectedEdges,
      changeCount: prev.changeCount + changed,
    };
  }

  /** Applies an edit as one undo step. Returns false when read-only or nothing changed. */
  apply(edit: Edit, label: string): boolean {
    if (this.state.readOnly) return false;
    this.commitGesture('Move nodes');
    const before = this.state.doc;
    const after = applyEdit(before, edit);
    if (after === before) return false;
    this.set(this.withDoc(after, record(this.state.history, { edit, label, before, after })));
    return true;
  }

  /** Applies a step of a gesture (a drag) without recording it; `commitGesture` records the whole. */
  applyTransient(edit: Edit): void {
    if (this.state.readOnly) return;
    const before = this.state.doc;
    const after = applyEdit(before, edit);
    if (after === before) return;
    if (!this.gestureBase) this.gestureBase = before;
    this.set(this.withDoc(after, this.state.history));
  }

  /** Records the gesture in progress, if any, as one undo step. */
  commitGesture(label: string): void {
    const before = this.gestureBase;
    this.gestureBase = null;
    if (!before || before === this.state.doc) return;
    const after = this.state.doc;
    this.set({ ...this.state, history: record(this.state.history, { edit: { kind: 'replace', doc: after }, label, before, after }) });
  }

  undo(): boolean {
    this.commitGesture('Move');
    const step = undo(this.state.history);
    if (!step) return false;
    this.set(this.withDoc(step.doc, step.history));
    return true;
  }

  redo(): boolean {
    const step = redo(this.state.history);
    if (!step) return false;
    this.set(this.withDoc(step.doc, step.history));
    return true;
  }

  /**
   * What `load(doc)` computes, in parts (validation in slices of a few tens of milliseconds, then
   * compile, then the cards' views) with `between` awaited in between, so a large graph's load
   * does not block the page in one long task (issue 13: no task over 200 ms at 10,000 nodes).
   * Hand it to `load`.
   */
  async prepare(doc: GraphDocument, between: () => Promise<void>): Promise<PreparedDocument> {
    const options = this.compileOptions;
    const analysis = await validateInSteps(doc, this.registry, between);
    await between();
    const checks = { analysis, compiled: compile(doc, this.registry, analysis, options) };
    await between();
    const views = buildViews(doc, this.registry, checks);
    await between();
    return { doc, options, checks, views };
  }

  /** Shows another document (opening a project): history and selection start afresh. */
  load(doc: GraphDocument, prepared?: PreparedDocument): void {
    this.gestureBase = null;
    // Prepared for this document under the limits still in force, or checked here.
    const ready = prepared?.doc === doc && prepared.options === this.compileOptions ? prepared : undefined;
    const checks = ready?.checks ?? checkDocument(doc, this.registry, undefined, this.compileOptions);
    this.set({
      ...this.state,
      doc,
      ...checks,
      views: ready?.views ?? buildViews(doc, this.registry, checks),
      history: emptyHistory,
      selectedNodes: EMPTY,
      selectedEdges: EMPTY,
      measured: new Map(),
      changeCount: 0,
      loadCount: this.state.loadCount + 1,
    });
  }

  /**
   * The page's WebGPU limits, which arrive a moment after load: later changes compile with them,
   * and the current document compiles again over the analysis already held (no validation) unless
   * it was compiled before any answer and the answer cannot change its verdict (`limitsMatter`): a
   * large graph's compile takes ~0.2 s.
   */
  setMemoryLimits(limits: MemoryLimits): void {
    const before = this.compileOptions.limits;
    if (limits === before) return;
    this.compileOptions = { ...this.compileOptions, limits };
    const { doc, analysis, compiled } = this.state;
    if (before === undefined && !limitsMatter(compiled.memory, limits)) return;
    const checks = { analysis, compiled: compile(doc, this.registry, analysis, this.compileOptions) };
    this.set({ ...this.state, compiled: checks.compiled, views: buildViews(doc, this.registry, checks, this.state) });
  }

  /** Locks or unlocks editing (while loading, or for a shared preview). */
  setReadOnly(readOnly: boolean): void {
    if (readOnly !== this.state.readOnly) this.set({ ...this.state, readOnly });
  }

  select(nodeIds: Iterable<string>, edgeIds: Iterable<string> = []): void {
    this.set({ ...this.state, selectedNodes: new Set(nodeIds), selectedEdges: new Set(edgeIds) });
  }

  /** Adds or removes single elements from the selection (React Flow reports them one by one). */
  updateSelection(nodes: ReadonlyMap<string, boolean>, edges: ReadonlyMap<string, boolean>): void {
    const toggle = (current: ReadonlySet<string>, changes: ReadonlyMap<string, boolean>) => {
      if (changes.size === 0) return current;
      const next = new Set(current);
      for (const [id, on] of changes) {
        if (on) next.add(id);
        else next.delete(id);
      }
      return next;
    };
    const selectedNodes = toggle(this.state.selectedNodes, nodes);
    const selectedEdges = toggle(this.state.selectedEdges, edges);
    if (selectedNodes === this.state.selectedNodes && selectedEdges === this.state.selectedEdges) return;
    this.set({ ...this.state, selectedNodes, selectedEdges });
  }

  setMeasured(sizes: ReadonlyMap<string, Size>): void {
    if (sizes.size === 0) return;
    const measured = new Map(this.state.measured);
    for (const [id, size] of sizes) measured.set(id, size);
    this.set({ ...this.state, measured });
  }
}
