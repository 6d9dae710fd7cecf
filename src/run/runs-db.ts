/**
 * The runs database ('tensorloom-runs', apart from the projects database so a large dataset cache
 * never slows project saves): run records, their metrics (packed, one row per run:
 * `runs-db-metrics.ts`), per-epoch checkpoints, and cached CIFAR-10 batches.
 * Tables change only by bumping the Dexie version; records carry their own schema version too.
 */
import Dexie, { type EntityTable } from 'dexie';
import type { TrainingPlan } from '../graph/plan';
import { hashPlan } from './runs-db-hash';
import { hasPoints, packMetrics, unpackMetrics, type MetricsRecord, type PackedTrace } from './runs-db-metrics';
import { checkRunRecord, isLive, readRunRecord, type MetricHistory, type RunRecord } from './runs-db-record';

/**
 * A run's weights (and whatever else the worker needs to continue) at an epoch's end or a stop
 * point, as the worker sent them.
 */
export interface CheckpointRecord {
  /** `${runId}@${step}` (`${runId}:${epoch}` in databases from before stop points were kept apart). */
  id: string;
  runId: string;
  epoch: number;
  step: number;
  createdAt: number;
  /** Approximate stored size, for the history list. */
  bytes: number;
  payload: unknown;
}

/** One cached batch file, stored as the raw CIFAR-10 records it was read from. */
export interface DatasetBatchRecord {
  /** `${dataset}/${name}` */
  id: string;
  dataset: string;
  name: string;
  role: 'train' | 'test';
  bytes: ArrayBuffer;
  size: number;
  addedAt: number;
}

export type RunsDatabase = Dexie & {
  runs: EntityTable<RunRecord, 'id'>;
  checkpoints: EntityTable<CheckpointRecord, 'id'>;
  metrics: EntityTable<MetricsRecord, 'runId'>;
  datasets: EntityTable<DatasetBatchRecord, 'id'>;
};

export const RUNS_DATABASE_NAME = 'tensorloom-runs';
/** Checkpoints kept per run: enough to step back from a diverged epoch without filling the disk. */
export const CHECKPOINTS_KEPT = 3;
/** A live run in another tab whose heartbeat is older than this is taken as cut off. */
export const HEARTBEAT_STALE_MS = 20_000;

/** Opens (creating or upgrading) the runs database; tests pass their own name and fake IndexedDB. */
export function openRunsDatabase(name = RUNS_DATABASE_NAME, options?: ConstructorParameters<typeof Dexie>[1]): RunsDatabase {
  const db = new Dexie(name, options) as RunsDatabase;
  db.version(1).stores({
    runs: '&id, updatedAt, status, planHash',
    checkpoints: '&id, runId, [runId+epoch]',
    datasets: '&id, dataset',
  });
  // Checkpoints are ordered by step: a stop point inside an epoch comes after that epoch's checkpoint.
  db.version(2).stores({ checkpoints: '&id, runId, [runId+epoch], [runId+step]' });
  // Metrics leave the run record for a packed row of their own: listing runs no longer reads every
  // point of every run, and a compare view reads one buffer per run.
  db.version(3)
    .stores({ metrics: '&runId' })
    .upgrade(async (tx) => {
      const runs = tx.table<Record<string, unknown>, string>('runs');
      const moved: MetricsRecord[] = [];
      const emptied: string[] = [];
      for (const run of await runs.toArray()) {
        const history = run.history as MetricHistory | undefined;
        if (typeof run.id !== 'string' || typeof history !== 'object' || history === null) continue;
        try {
          if (hasPoints(history)) moved.push(packMetrics(run.id, history));
          emptied.push(run.id);
        } catch {
          // A damaged history stays on its record, which then lists as unreadable with its problem.
        }
      }
      await tx.table<MetricsRecord, string>('metrics').bulkPut(moved);
      for (const id of emptied) await runs.update(id, { history: {} });
    });
  return db;
}

/** Who owns live runs: this page load, and this tab (which outlives reloads). */
export interface RunIdentity {
  sessionId: string;
  tabId: string;
}

export function newId(prefix: string): string {
  return typeof crypto !== 'undefined' && 'randomUUID' in crypto
    ? crypto.randomUUID()
    : `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

/**
 * Whether a live-looking record was cut off: a reload of the tab that ran it (same tab, another
 * page load), or any other tab whose heartbeat stopped.
 */
export function wasInterrupted(run: Pick<RunRecord, 'status' | 'sessionId' | 'tabId' | 'heartbeatAt'>, me: RunIdentity, now: number): boolean {
  if (!isLive(run.status) || run.sessionId === me.sessionId) return false;
  return run.tabId === me.tabId || now - run.heartbeatAt > HEARTBEAT_STALE_MS;
}

/** A deleted run's rows, held so the deletion can be undone ({@link RunRepository.restore}). */
export interface DeletedRun {
  run: unknown;
  metrics?: MetricsRecord;
  checkpoints: CheckpointRecord[];
}

/**
 * What is noted on a run without touching its lifecycle: the user's name, tags and star, and the
 * graph and project it was started from.
 */
export type RunLabels = Partial<Pick<RunRecord, 'name' | 'tags' | 'starred' | 'projectId' | 'document'>>;

/** One row of the history list: a readable run, or why a stored record cannot be read. */
export type RunListEntry = { ok: true; run: RunRecord } | { ok: false; id: string; problem: string };

export type NewRun = Omit<RunRecord, 'id' | 'schemaVersion' | 'createdAt' | 'updatedAt' | 'heartbeatAt' | 'sessionId' | 'tabId'>;

/**
 * The fields of a new record of a run of `plan` that no run chooses: its mode, name and hash come
 * from the plan, and it has no backend yet, none skipped and no history. `fields` gives the rest.
 */
export async function newRunOf(
  plan: TrainingPlan,
  fields: Pick<NewRun, 'backendRequest' | 'status' | 'progress'> & Partial<NewRun>,
): Promise<NewRun> {
  return {
    mode: plan.mode,
    name: plan.name,
    planHash: await hashPlan(plan),
    plan,
    backend: null,
    skippedBackends: [],
    history: {},
    ...fields,
  };
}

export class RunRepository {
  constructor(
    readonly db: RunsDatabase,
    readonly me: RunIdentity,
    private readonly now: () => number = Date.now,
  ) {}

  async create(fields: NewRun): Promise<RunRecord> {
    const t = this.now();
    const { history, ...rest } = fields;
    const run = checkRunRecord({
      ...rest,
      history: {},
      id: newId('run'),
      schemaVersion: 1,
      createdAt: t,
      updatedAt: t,
      heartbeatAt: t,
      sessionId: this.me.sessionId,
      tabId: this.me.tabId,
    });
    await this.db.transaction('rw', this.db.runs, this.db.metrics, async () => {
      await this.db.runs.add(run);
      if (hasPoints(history)) await this.db.metrics.put(packMetrics(run.id, history));
    });
    return { ...run, history };
  }

  async get(id: string): Promise<RunListEntry | undefined> {
    const [raw, metrics] = await this.db.transaction('r', this.db.runs, this.db.metrics, () => Promise.all([this.db.runs.get(id), this.db.metrics.get(id)]));
    if (raw === undefined) return undefined;
    const read = readRunRecord(raw);
    return read.ok ? { ok: true, run: withHistory(read.run, metrics) } : { ok: false, id, problem: read.problem };
  }

  /**
   * The packed metrics of several runs (all when `ids` is not given), keyed by run id (runs without
   * metrics are left out): one buffer per run, for tables and charts that read many runs at once.
   */
  async metricsOf(ids?: readonly string[]): Promise<Map<string, MetricsRecord>> {
    const rows = ids ? await this.db.metrics.bulkGet([...ids]) : await this.db.metrics.toArray();
    return new Map(rows.flatMap((r) => (r ? [[r.runId, r] as const] : [])));
  }

  /**
   * Merges `patch` into the stored run and writes it back after validation. Returns the new
   * record, or undefined when the run no longer exists (deleted from another tab). The heartbeat is
   * renewed unless `alive` is false: a live run's writes say whether its worker was heard from since
   * the last one, so a dead worker's run goes stale for other tabs even while its page keeps saving.
   */
  async update(id: string, patch: Partial<Omit<RunRecord, 'id' | 'schemaVersion'>>, options: { alive?: boolean } = {}): Promise<RunRecord | undefined> {
    const { history, ...fields } = patch;
    return this.db.transaction('rw', this.db.runs, this.db.metrics, async () => {
      const raw = await this.db.runs.get(id);
      if (!raw) return undefined;
      const read = readRunRecord(raw);
      if (!read.ok) throw new Error(`run ${id} cannot be read: ${read.problem}`);
      const t = this.now();
      const next = checkRunRecord({ ...read.run, ...fields, history: {}, updatedAt: t, heartbeatAt: options.alive === false ? read.run.heartbeatAt : t });
      await this.db.runs.put(next);
      if (history) await this.db.metrics.put(packMetrics(id, history));
      return withHistory(next, history ? undefined : await this.db.metrics.get(id), history);
    });
  }

  /**
   * Renames, tags or stars a run, or notes its graph and project. Not a lifecycle write: the heartbeat and the run's place in the
   * newest-first order stay as they were.
   */
  async label(id: string, labels: RunLabels): Promise<RunRecord | undefined> {
    return this.db.transaction('rw', this.db.runs, async () => {
      const raw = await this.db.runs.get(id);
      if (!raw) return undefined;
      const read = readRunRecord(raw);
      if (!read.ok) throw new Error(`run ${id} cannot be read: ${read.problem}`);
      const next = checkRunRecord({ ...read.run, ...labels });
      await this.db.runs.put(next);
      return next;
    });
  }

  /** Takes over a run (for resuming): it becomes owned by this page load. */
  async adopt(id: string, patch: Partial<Omit<RunRecord, 'id' | 'schemaVersion'>> = {}): Promise<RunRecord | undefined> {
    return this.update(id, { ...patch, sessionId: this.me.sessionId, tabId: this.me.tabId });
  }

  /**
   * All runs, newest first; unreadable records are listed with their problem. `metrics: false`
   * leaves every history empty (a table of names and statuses need not read the points).
   */
  async list(options: { metrics?: boolean } = {}): Promise<RunListEntry[]> {
    // Not through the updatedAt index: a damaged record without the field would be skipped by it.
    const [rows, packed] = await this.db.transaction('r', this.db.runs, this.db.metrics, async () => [
      await this.db.runs.toArray(),
      options.metrics === false ? new Map<string, MetricsRecord>() : new Map((await this.db.metrics.toArray()).map((m) => [m.runId, m])),
    ] as const);
    const time = (r: unknown) => (typeof (r as { updatedAt?: unknown }).updatedAt === 'number' ? (r as { updatedAt: number }).updatedAt : 0);
    rows.sort((a, b) => time(b) - time(a));
    return rows.map((raw) => {
      const read = readRunRecord(raw);
      return read.ok ? { ok: true, run: withHistory(read.run, packed.get(read.run.id)) } : { ok: false, id: String((raw as { id?: unknown }).id), problem: read.problem };
    });
  }

  /**
   * This tab's newest run, when it is interrupted (what the panel shows after a reload). Reads the
   * interrupted runs, then only records changed since the newest of this tab's — not every run
   * with its metrics.
   */
  async interruptedOfThisTab(): Promise<RunRecord | undefined> {
    const mine = (await this.db.runs.where('status').equals('interrupted').toArray())
      .map((raw) => readRunRecord(raw))
      .flatMap((r) => (r.ok && r.run.tabId === this.me.tabId ? [r.run] : []));
    const newest = mine.reduce<RunRecord | undefined>((a, r) => (!a || r.updatedAt > a.updatedAt ? r : a), undefined);
    if (!newest) return undefined;
    const later = await this.db.runs.where('updatedAt').above(newest.updatedAt).toArray();
    return later.some((r) => r.tabId === this.me.tabId) ? undefined : newest;
  }

  /** Marks live runs that were cut off (see {@link wasInterrupted}) as interrupted; returns their ids. */
  async markInterrupted(): Promise<string[]> {
    const t = this.now();
    return this.db.transaction('rw', this.db.runs, async () => {
      const live = await this.db.runs.where('status').anyOf('running', 'paused').toArray();
      const cut = live.filter((r) => wasInterrupted(r, this.me, t));
      for (const r of cut) await this.db.runs.update(r.id, { status: 'interrupted', updatedAt: t });
      return cut.map((r) => r.id);
    });
  }

  /** Deletes a run with its metrics and checkpoints; returns them, so the deletion can be undone. */
  async delete(id: string): Promise<DeletedRun | undefined> {
    return this.db.transaction('rw', [this.db.runs, this.db.checkpoints, this.db.metrics], async () => {
      const run = await this.db.runs.get(id);
      const metrics = await this.db.metrics.get(id);
      const checkpoints = await this.db.checkpoints.where('runId').equals(id).toArray();
      await this.db.checkpoints.where('runId').equals(id).delete();
      await this.db.metrics.delete(id);
      await this.db.runs.delete(id);
      return run === undefined ? undefined : { run, checkpoints, ...(metrics ? { metrics } : {}) };
    });
  }

  /** Puts a deleted run back as it was (Undo). */
  async restore(deleted: DeletedRun): Promise<void> {
    await this.db.transaction('rw', [this.db.runs, this.db.checkpoints, this.db.metrics], async () => {
      await this.db.runs.put(deleted.run as RunRecord);
      if (deleted.metrics) await this.db.metrics.put(deleted.metrics);
      if (deleted.checkpoints.length > 0) await this.db.checkpoints.bulkPut(deleted.checkpoints);
    });
  }

  /**
   * Stores a checkpoint (one per step, so a stop point never overwrites its epoch's checkpoint),
   * drops all but the newest {@link CHECKPOINTS_KEPT}, notes it on the run.
   */
  async saveCheckpoint(runId: string, epoch: number, step: number, payload: unknown, bytes: number): Promise<void> {
    await this.db.transaction('rw', this.db.runs, this.db.checkpoints, async () => {
      await this.db.checkpoints.put({ id: `${runId}@${step}`, runId, epoch, step, createdAt: this.now(), bytes, payload });
      const all = await this.byStep(runId).primaryKeys();
      const excess = all.length - CHECKPOINTS_KEPT;
      if (excess > 0) await this.db.checkpoints.bulkDelete(all.slice(0, excess));
      await this.db.runs.update(runId, { lastCheckpoint: epoch, lastCheckpointStep: step });
    });
  }

  private byStep(runId: string) {
    return this.db.checkpoints.where('[runId+step]').between([runId, Dexie.minKey], [runId, Dexie.maxKey]);
  }

  /** The newest checkpoint of a run (the latest step). */
  async latestCheckpoint(runId: string): Promise<CheckpointRecord | undefined> {
    return this.byStep(runId).last();
  }
}

/** A stored record with its metrics read back (`known` when the caller already holds them). */
function withHistory(run: RunRecord, packed: MetricsRecord | undefined, known?: MetricHistory): RunRecord {
  return { ...run, history: known ?? unpackMetrics(packed) };
}

export type { MetricsRecord, PackedTrace };

/** Cached dataset batches: stored once, reused after reloads. */
export class DatasetCache {
  constructor(
    readonly db: RunsDatabase,
    private readonly now: () => number = Date.now,
  ) {}

  /** Replaces the dataset's cached batches with `batches`. */
  async replace(dataset: string, batches: readonly { name: string; role: 'train' | 'test'; bytes: Uint8Array }[]): Promise<void> {
    await this.db.transaction('rw', this.db.datasets, async () => {
      await this.db.datasets.where('dataset').equals(dataset).delete();
      for (const b of batches) {
        // A copy so a view into a larger buffer (a tar entry) does not store the whole archive.
        const bytes = b.bytes.slice().buffer;
        await this.db.datasets.put({ id: `${dataset}/${b.name}`, dataset, name: b.name, role: b.role, bytes, size: b.bytes.length, addedAt: this.now() });
      }
    });
  }

  async load(dataset: string): Promise<DatasetBatchRecord[]> {
    const rows = await this.db.datasets.where('dataset').equals(dataset).toArray();
    return rows.sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }));
  }

  /** Names and sizes of the cached batches (records are visited one at a time, never all held). */
  async summary(dataset: string): Promise<{ name: string; role: 'train' | 'test'; size: number; addedAt: number }[]> {
    const out: { name: string; role: 'train' | 'test'; size: number; addedAt: number }[] = [];
    await this.db.datasets
      .where('dataset')
      .equals(dataset)
      .each((r) => out.push({ name: r.name, role: r.role, size: r.size, addedAt: r.addedAt }));
    return out.sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }));
  }

  async clear(dataset: string): Promise<void> {
    await this.db.datasets.where('dataset').equals(dataset).delete();
  }
}
