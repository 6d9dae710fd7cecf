/**
 * The runs table's rows and their order: one summary per run (what practitioners scan first:
 * throughput, best validation accuracy or held-out return and collision rate, size), sorted and
 * filtered by pure functions so the table and its tests agree.
 */
import type { RunRecord, RunStatus } from '../run/runs-db-record';

/** One row of the runs table. */
export interface RunRow {
  id: string;
  name: string;
  mode: RunRecord['mode'];
  status: RunStatus;
  projectId: string | undefined;
  startedAt: number;
  /** Training time in ms (pauses excluded) when the run logged it, else its first-to-last write span. */
  durationMs: number;
  backend: string;
  /** Images per second (supervised) or environment steps per second (RL): the run's median. */
  throughput: number | undefined;
  /** Supervised: best validation accuracy (0–1). */
  bestValAccuracy: number | undefined;
  /** RL: held-out mean return of the agent when evaluated, else the last training average. */
  finalReturn: number | undefined;
  collisionRate: number | undefined;
  params: number;
  tags: string[];
  starred: boolean;
  hasGraph: boolean;
}

export type SortKey = 'name' | 'status' | 'startedAt' | 'durationMs' | 'throughput' | 'score' | 'params' | 'backend';

export interface TableQuery {
  text: string;
  /** `all`, or one status. */
  status: RunStatus | 'all';
  /** `all`, or one project's id. */
  project: string | 'all';
  sort: SortKey;
  descending: boolean;
}

export const DEFAULT_QUERY: TableQuery = { text: '', status: 'all', project: 'all', sort: 'startedAt', descending: true };

/** A run's series as the table reads them: plain arrays, or views into a packed buffer. */
export type RowMetrics = Readonly<Record<string, { y: ArrayLike<number> }>>;

function last(y: ArrayLike<number> | undefined): number | undefined {
  return y && y.length > 0 ? y[y.length - 1] : undefined;
}

function median(y: ArrayLike<number> | undefined): number | undefined {
  if (!y || y.length === 0) return undefined;
  const s = Float64Array.from(y).sort();
  return s[Math.floor(s.length / 2)];
}

function max(y: ArrayLike<number> | undefined): number | undefined {
  if (!y || y.length === 0) return undefined;
  let m = -Infinity;
  for (let i = 0; i < y.length; i++) if (y[i]! > m) m = y[i]!;
  return m;
}

interface DrivingRows {
  kind?: string;
  rows?: { policy: string; meanReturn: number; collisionRate?: number }[];
}

/** A run's row, read from its record and metrics (its stored history unless given packed ones). */
export function runRow(r: RunRecord, h: RowMetrics = r.history): RunRow {
  const agent = (r.evaluation as DrivingRows | undefined)?.kind === 'driving' ? (r.evaluation as DrivingRows).rows?.find((row) => row.policy === 'agent') : undefined;
  return {
    id: r.id,
    name: r.name,
    mode: r.mode,
    status: r.status,
    projectId: r.projectId,
    startedAt: r.createdAt,
    durationMs: last(h.elapsedMs?.y) ?? Math.max(0, r.updatedAt - r.createdAt),
    backend: r.backend ?? '—',
    throughput: median(r.mode === 'rl' ? h.stepsPerSecond?.y : h.imagesPerSecond?.y),
    bestValAccuracy: max(h.valAccuracy?.y),
    finalReturn: agent?.meanReturn ?? last(h.meanReturn?.y),
    collisionRate: agent?.collisionRate ?? last(h.collisionRate?.y),
    params: r.plan.model.totalParams,
    tags: r.tags ?? [],
    starred: r.starred === true,
    hasGraph: r.document !== undefined,
  };
}

/** The number a row sorts by for `key` (the score: accuracy for supervised runs, return for RL). */
function sortValue(row: RunRow, key: SortKey): string | number | undefined {
  if (key === 'score') return row.mode === 'rl' ? row.finalReturn : row.bestValAccuracy;
  return row[key];
}

/** Whether a row passes the query's filters. Text matches name, tags, status, backend and id. */
export function matches(row: RunRow, q: Pick<TableQuery, 'text' | 'status' | 'project'>): boolean {
  if (q.status !== 'all' && row.status !== q.status) return false;
  if (q.project !== 'all' && row.projectId !== q.project) return false;
  const words = q.text.toLowerCase().split(/\s+/).filter(Boolean);
  const hay = [row.name, row.status, row.backend, row.id, row.mode, ...row.tags].join(' ').toLowerCase();
  return words.every((w) => hay.includes(w));
}

/** The rows the table shows: filtered, starred first, then by the sort key (missing values last). */
export function tableRows(rows: readonly RunRow[], q: TableQuery): RunRow[] {
  const dir = q.descending ? -1 : 1;
  return rows
    .filter((r) => matches(r, q))
    .sort((a, b) => {
      if (a.starred !== b.starred) return a.starred ? -1 : 1;
      const va = sortValue(a, q.sort);
      const vb = sortValue(b, q.sort);
      if (va === undefined || vb === undefined) return va === vb ? 0 : va === undefined ? 1 : -1;
      const c = typeof va === 'string' || typeof vb === 'string' ? String(va).localeCompare(String(vb), 'en', { numeric: true }) : va - vb;
      return c * dir;
    });
}

/** Tags typed in one field, comma-separated: trimmed, without empties or repeats, as the record allows. */
export function parseTags(text: string): string[] {
  return [...new Set(text.split(',').map((t) => t.trim().slice(0, 40)).filter(Boolean))].slice(0, 20);
}
