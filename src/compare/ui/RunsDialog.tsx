/**
 * Runs and their comparison, over the whole window: the runs table of this project or of all
 * projects, and below it the compare view of the checked runs (2–10). The checked runs are kept in
 * localStorage, so a reload shows the same comparison; a deleted run leaves it (Undo brings it back).
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { DeletedRun, MetricsRecord, RunListEntry } from '../../run/runs-db';
import { packedTraces } from '../../run/runs-db-metrics';
import { isLive, type RunRecord } from '../../run/runs-db-record';
import { runsServices, useSessionFrame } from '../../run/ui/use-runs';
import { MAX_COMPARED, assignColors } from '../run-colors';
import { DEFAULT_QUERY, runRow, tableRows, type TableQuery } from '../runs-table';
import { CompareView } from './CompareView';
import { RunsTable } from './RunsTable';
import './compare.css';

export interface RunsDialogProps {
  /** The open project; null when none (the table then shows all projects). */
  projectId: string | null;
  /** Opens a run's stored graph as a new project; resolves to a problem in the user's words, or null. */
  onOpenGraph(document: unknown, runName: string): Promise<string | null>;
  onClose(): void;
}

const SELECTION_KEY = 'tensorloom.compare.selected';

function storedSelection(): string[] {
  try {
    const v: unknown = JSON.parse(localStorage.getItem(SELECTION_KEY) ?? '[]');
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string').slice(0, MAX_COMPARED) : [];
  } catch {
    return [];
  }
}

export function RunsDialog({ projectId, onOpenGraph, onClose }: RunsDialogProps) {
  const { repo, ready, session } = runsServices();
  // A run of this page that ends or stores a checkpoint while the table is open shows at once.
  const frame = useSessionFrame(session);
  const phase = frame.view.phase;
  const [entries, setEntries] = useState<RunListEntry[] | null>(null);
  // Metrics stay packed (views into one buffer per run): the table's figures and the charts read them as they are.
  const [metrics, setMetrics] = useState<ReadonlyMap<string, MetricsRecord>>(new Map());
  const [tick, setTick] = useState(0);
  const [query, setQuery] = useState<TableQuery>({ ...DEFAULT_QUERY, project: projectId ?? 'all' });
  const [selected, setSelected] = useState<string[]>(storedSelection);
  const [colors, setColors] = useState(() => assignColors(new Map(), selected));
  const [undo, setUndo] = useState<{ name: string; deleted: DeletedRun } | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const reload = useCallback(() => setTick((t) => t + 1), []);

  useEffect(() => {
    let live = true;
    void ready
      .catch(() => [])
      .then(() => Promise.all([repo.list({ metrics: false }), repo.metricsOf()] as const))
      .then(([list, packed]) => {
        if (!live) return;
        setMetrics(packed);
        setEntries(list);
      })
      .catch((e: unknown) => live && setMessage(`The runs could not be read: ${e instanceof Error ? e.message : String(e)}`));
    return () => {
      live = false;
    };
  }, [repo, ready, tick, phase, frame.stored]);

  const runs = useMemo(() => new Map((entries ?? []).flatMap((e) => (e.ok ? [[e.run.id, e.run] as const] : []))), [entries]);
  const traces = useMemo(() => new Map([...metrics].map(([id, m]) => [id, packedTraces(m)] as const)), [metrics]);
  const rows = useMemo(() => tableRows([...runs.values()].map((r) => runRow(r, traces.get(r.id) ?? {})), query), [runs, traces, query]);
  // A run deleted (here or in another tab) leaves the comparison.
  const compared = useMemo(() => (entries ? selected.flatMap((id) => (runs.has(id) ? [runs.get(id)!] : [])) : []), [entries, selected, runs]);

  useEffect(() => {
    if (!entries) return;
    const ids = compared.map((r) => r.id);
    try {
      localStorage.setItem(SELECTION_KEY, JSON.stringify(ids));
    } catch {
      // Storage blocked: the comparison lasts until the page goes.
    }
  }, [entries, compared]);

  const select = (ids: string[]) => {
    setSelected(ids);
    setColors((prev) => assignColors(prev, ids));
  };
  const toggle = (id: string) => select(selected.includes(id) ? selected.filter((s) => s !== id) : [...selected, id].slice(0, MAX_COMPARED));

  const act = (work: Promise<unknown>) =>
    void work.then(reload, (e: unknown) => setMessage(e instanceof Error ? e.message : String(e)));

  const remove = (id: string) => {
    const run = runs.get(id);
    if (run && isLive(run.status)) return setMessage(`“${run.name}” is still training; stop it before deleting it.`);
    act(repo.delete(id).then((deleted) => deleted && setUndo({ name: run?.name ?? id, deleted })));
  };

  const openGraph = (id: string) => {
    const run = runs.get(id);
    if (!run?.document) return setMessage('This run was stored before graphs were kept with runs; it has no graph to open.');
    void onOpenGraph(run.document, run.name).then((problem) => (problem ? setMessage(problem) : onClose()));
  };

  const projects = projectId !== null;
  return (
    <div className="cmp-dialog" role="dialog" aria-modal="true" aria-label="Runs" data-testid="runs-dialog" onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <header className="cmp-head">
        <h2>Runs</h2>
        {projects && (
          <select value={query.project === 'all' ? 'all' : 'project'} onChange={(e) => setQuery({ ...query, project: e.target.value === 'all' ? 'all' : projectId! })} data-testid="runs-scope" aria-label="Which runs">
            <option value="project">this project</option>
            <option value="all">all projects</option>
          </select>
        )}
        <span className="muted">
          {compared.length < 2 ? `Check 2–${MAX_COMPARED} runs to compare them.` : `Comparing ${compared.length} runs.`}
        </span>
        <span className="spacer" />
        <button type="button" className="btn ghost small" onClick={onClose} aria-label="Close" data-testid="runs-close">
          ✕
        </button>
      </header>
      {message && (
        <div className="banner banner-error" role="alert">
          {message}{' '}
          <button type="button" className="btn small ghost" onClick={() => setMessage(null)}>
            Dismiss
          </button>
        </div>
      )}
      {undo && (
        <div className="banner" role="status" data-testid="runs-undo-bar">
          Deleted “{undo.name}” with its metrics and checkpoints.{' '}
          <button type="button" className="btn small" data-testid="runs-undo" onClick={() => (act(repo.restore(undo.deleted)), setUndo(null))}>
            Undo
          </button>
        </div>
      )}
      <div className="cmp-body">
        {entries === null ? (
          <p className="muted">Reading runs…</p>
        ) : (
          <RunsTable
            rows={rows}
            query={query}
            onQuery={setQuery}
            colors={colors}
            canSelectMore={selected.length < MAX_COMPARED}
            onToggle={toggle}
            onStar={(id, starred) => act(repo.label(id, { starred }))}
            onRename={(id, name) => act(repo.label(id, { name }))}
            onTags={(id, tags) => act(repo.label(id, { tags }))}
            onOpenGraph={openGraph}
            onDelete={remove}
          />
        )}
        {compared.length >= 2 && <CompareView runs={compared as RunRecord[]} metrics={traces} colors={colors} />}
      </div>
    </div>
  );
}
