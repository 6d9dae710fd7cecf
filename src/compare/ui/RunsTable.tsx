/**
 * The runs table: one row per run with what practitioners scan (status, started, duration, backend,
 * throughput, best validation accuracy or held-out return and collision rate, parameters), sortable
 * by any column, each with a check box for the comparison (in the run's colour once checked), a
 * star, rename and tags in place, opening its graph as a project, and delete.
 */
import { useState } from 'react';
import type { RunStatus } from '../../run/runs-db-record';
import { RUN_STATUSES } from '../../run/runs-db-record';
import { parseTags, type RunRow, type SortKey, type TableQuery } from '../runs-table';

export interface RunsTableProps {
  rows: readonly RunRow[];
  query: TableQuery;
  onQuery(q: TableQuery): void;
  colors: ReadonlyMap<string, string>;
  /** False when the comparison is full: unchecked boxes are then disabled. */
  canSelectMore: boolean;
  onToggle(id: string): void;
  onStar(id: string, starred: boolean): void;
  onRename(id: string, name: string): void;
  onTags(id: string, tags: string[]): void;
  onOpenGraph(id: string): void;
  onDelete(id: string): void;
}

const COLUMNS: { key: SortKey; label: string }[] = [
  { key: 'name', label: 'Run' },
  { key: 'status', label: 'Status' },
  { key: 'startedAt', label: 'Started' },
  { key: 'durationMs', label: 'Duration' },
  { key: 'throughput', label: 'Speed' },
  { key: 'score', label: 'Result' },
  { key: 'params', label: 'Params' },
  { key: 'backend', label: 'Backend' },
];

function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} s` : s < 3600 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${(s / 3600).toFixed(1)} h`;
}

function result(r: RunRow): string {
  if (r.mode === 'rl') {
    const parts = [r.finalReturn !== undefined ? `return ${r.finalReturn.toFixed(2)}` : null, r.collisionRate !== undefined ? `${(r.collisionRate * 100).toFixed(0)}% crashes` : null];
    return parts.filter(Boolean).join(' · ') || '—';
  }
  return r.bestValAccuracy !== undefined ? `${(r.bestValAccuracy * 100).toFixed(1)}% val` : '—';
}

function RunName({ row, onRename, onTags }: { row: RunRow; onRename(name: string): void; onTags(tags: string[]): void }) {
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(row.name);
  const [tags, setTags] = useState(row.tags.join(', '));
  if (!editing) {
    return (
      <div>
        <span data-testid="runs-row-name">{row.name}</span>{' '}
        <button type="button" className="btn ghost small" onClick={() => setEditing(true)} aria-label={`Rename or tag ${row.name}`} data-testid="runs-edit">
          ✎
        </button>
        <div className="muted">{row.tags.map((t) => `#${t}`).join(' ')}</div>
      </div>
    );
  }
  const save = () => {
    if (name.trim() && name.trim() !== row.name) onRename(name.trim().slice(0, 200));
    const next = parseTags(tags);
    if (next.join(',') !== row.tags.join(',')) onTags(next);
    setEditing(false);
  };
  return (
    <form onSubmit={(e) => (e.preventDefault(), save())} className="cmp-edit">
      <input value={name} onChange={(e) => setName(e.target.value)} aria-label="Run name" data-testid="runs-rename" autoFocus />
      <input value={tags} onChange={(e) => setTags(e.target.value)} aria-label="Tags, comma-separated" placeholder="tags, comma-separated" data-testid="runs-tags" />
      <button type="submit" className="btn small">
        Save
      </button>
    </form>
  );
}

export function RunsTable(p: RunsTableProps) {
  const { query } = p;
  return (
    <div className="cmp-table-wrap">
      <div className="cmp-toolbar">
        <input type="search" placeholder="Filter runs: name, tag, backend…" value={query.text} onChange={(e) => p.onQuery({ ...query, text: e.target.value })} data-testid="runs-filter" />
        <select value={query.status} onChange={(e) => p.onQuery({ ...query, status: e.target.value as RunStatus | 'all' })} data-testid="runs-status-filter" aria-label="Status">
          <option value="all">any status</option>
          {RUN_STATUSES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </div>
      <table className="rp-table cmp-table" data-testid="runs-table">
        <thead>
          <tr>
            <th />
            <th />
            {COLUMNS.map((c) => (
              <th key={c.key} aria-sort={query.sort === c.key ? (query.descending ? 'descending' : 'ascending') : undefined}>
                <button type="button" className="btn ghost small" onClick={() => p.onQuery({ ...query, sort: c.key, descending: query.sort === c.key ? !query.descending : c.key !== 'name' })}>
                  {c.label}
                  {query.sort === c.key ? (query.descending ? ' ▼' : ' ▲') : ''}
                </button>
              </th>
            ))}
            <th />
          </tr>
        </thead>
        <tbody>
          {p.rows.map((r) => {
            const color = p.colors.get(r.id);
            return (
              <tr key={r.id} data-testid="runs-row" data-run-id={r.id} data-status={r.status} className={color ? 'current' : undefined}>
                <td>
                  <input type="checkbox" checked={color !== undefined} disabled={!color && !p.canSelectMore} onChange={() => p.onToggle(r.id)} aria-label={`Compare ${r.name}`} data-testid="runs-select" style={color ? { accentColor: color } : undefined} />
                  {color && <span className="cmp-swatch" style={{ background: color }} />}
                </td>
                <td>
                  <button type="button" className="btn ghost small" onClick={() => p.onStar(r.id, !r.starred)} aria-label={r.starred ? 'Unstar' : 'Star'} aria-pressed={r.starred} data-testid="runs-star">
                    {r.starred ? '★' : '☆'}
                  </button>
                </td>
                <td>
                  <RunName row={r} onRename={(n) => p.onRename(r.id, n)} onTags={(t) => p.onTags(r.id, t)} />
                </td>
                <td>
                  <span className={`rp-status-pill ${r.status}`}>{r.status}</span>
                </td>
                <td className="muted">{new Date(r.startedAt).toLocaleString()}</td>
                <td className="mono">{duration(r.durationMs)}</td>
                <td className="mono">{r.throughput === undefined ? '—' : `${Math.round(r.throughput).toLocaleString('en-US')} ${r.mode === 'rl' ? 'steps/s' : 'img/s'}`}</td>
                <td className="mono">{result(r)}</td>
                <td className="mono">{r.params.toLocaleString('en-US')}</td>
                <td className="mono">{r.backend}</td>
                <td className="rp-actions">
                  <button type="button" className="btn small" disabled={!r.hasGraph} title={r.hasGraph ? 'Open the exact graph this run trained as a new project' : 'This run was stored before graphs were kept'} onClick={() => p.onOpenGraph(r.id)} data-testid="runs-open-graph">
                    Open graph
                  </button>
                  <button type="button" className="btn small ghost" onClick={() => p.onDelete(r.id)} aria-label={`Delete ${r.name}`} data-testid="runs-delete">
                    ✕
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {p.rows.length === 0 && (
        <p className="muted" data-testid="runs-empty">
          {query.text.trim() === '' && query.status === 'all'
            ? `No runs yet${query.project === 'all' ? '' : ' in this project'}: press Run in the run panel to train one. Every run is kept here, to compare.`
            : 'No runs match the filter.'}
        </p>
      )}
    </div>
  );
}
