/**
 * The stored form of a training run, with its own schema version and numbered `up` migrations,
 * validated on write and on read so a damaged record shows as unreadable instead of breaking the
 * history list.
 */
import { z } from 'zod';
import type { GraphDocument } from '../graph/document';
import type { Backend, TrainingPlan } from '../graph/plan';
import type { SkippedBackend } from '../protocol/events';

export const RUN_RECORD_VERSION = 1;

export const RUN_STATUSES = ['running', 'paused', 'completed', 'completed-without-checkpoint', 'stopped', 'failed', 'interrupted'] as const;
/**
 * Where a run stands; `running` and `paused` are live, the rest are final until resumed.
 * `completed-without-checkpoint`: trained to the end, but its final checkpoint could not be stored
 * (storage full), so the trained weights lived only in the page that ran it.
 */
export type RunStatus = (typeof RUN_STATUSES)[number];

/** A metric over time: `x` is the step (or epoch, or environment step), `y` its value. */
export interface MetricTrace {
  x: number[];
  y: number[];
}

/** Every metric of a run, keyed by name (`loss`, `valAccuracy`, `episodeReturn`, …). */
export type MetricHistory = Record<string, MetricTrace>;

export type { SkippedBackend };

export interface RunProgress {
  /** Supervised: completed epochs and the planned total; RL: both 0. */
  epoch: number;
  epochs: number;
  /** Optimizer steps (supervised) or environment steps (RL) taken, and the planned total. */
  step: number;
  steps: number;
  /** Supervised with a time budget ("train for N minutes"): the budget, and the training time left at the latest step. */
  budgetMs?: number;
  timeLeftMs?: number;
}

export interface RunRecord {
  id: string;
  schemaVersion: number;
  mode: TrainingPlan['mode'];
  name: string;
  /** SHA-256 of the plan's canonical JSON: equal hashes mean the same thing was trained. */
  planHash: string;
  plan: TrainingPlan;
  /** What the user asked for: `auto` (the plan's preference order) or one backend. */
  backendRequest: 'auto' | Backend;
  /** The backend the worker actually trains on, once known. */
  backend: Backend | null;
  skippedBackends: SkippedBackend[];
  status: RunStatus;
  error?: string;
  createdAt: number;
  updatedAt: number;
  /** Refreshed while the run is live; a live run whose heartbeat stopped was cut off. */
  heartbeatAt: number;
  /** The page load that owns the run, and the browser tab (it survives reloads of that tab). */
  sessionId: string;
  tabId: string;
  progress: RunProgress;
  history: MetricHistory;
  /** The final (or latest) evaluation report, as the worker produced it. */
  evaluation?: unknown;
  /** Epoch of the newest checkpoint, when there is one. */
  lastCheckpoint?: number;
  /** Step of the newest checkpoint (a stop point may lie inside the epoch after `lastCheckpoint`). */
  lastCheckpointStep?: number;
  /** The cached dataset the run read, for resuming without asking for files again. */
  datasetId?: string;
  /** Set on weights trained elsewhere and imported (src/run/import-run.ts): the file they came from. */
  importedFrom?: { file: string; at: number };
  /** The project the run was started from, for the runs table's per-project view. */
  projectId?: string;
  /** The exact graph that was compiled into `plan` (runs stored before graphs were kept have none). */
  document?: GraphDocument;
  /** Set on a run that started from another run's layers (kept through export and import, even when that run is absent). */
  transfer?: TransferLink;
  /** The user's labels and mark in the runs table. */
  tags?: string[];
  starred?: boolean;
}

/** Which run a run started from, how, and which of its nodes took that run's weights (the rest started fresh). */
export interface TransferLink {
  runId: string;
  /** The source run's name when the link was made: still readable once that run is gone. */
  runName: string;
  mode: 'fine-tune' | 'freeze';
  matched: string[];
  fresh: string[];
}

export const TransferLinkSchema = z.object({
  runId: z.string().min(1).max(200),
  runName: z.string().max(200),
  mode: z.enum(['fine-tune', 'freeze']),
  matched: z.array(z.string().max(200)).max(10_000),
  fresh: z.array(z.string().max(200)).max(10_000),
});

const backend = z.enum(['webgpu', 'webgl', 'wasm', 'cpu']);
const trace = z.object({ x: z.array(z.number()), y: z.array(z.number()) }).refine((t) => t.x.length === t.y.length, {
  message: 'x and y differ in length',
});

const RunRecordSchema = z.object({
  id: z.string().min(1).max(128),
  schemaVersion: z.number().int().positive(),
  mode: z.enum(['supervised', 'rl']),
  name: z.string().max(200),
  planHash: z.string().regex(/^[0-9a-f]{64}$/),
  plan: z
    .object({ format: z.literal('tensorloom-plan'), mode: z.enum(['supervised', 'rl']) })
    .passthrough(),
  backendRequest: z.union([z.literal('auto'), backend]),
  backend: backend.nullable(),
  skippedBackends: z.array(z.object({ backend, reason: z.string() })),
  status: z.enum(RUN_STATUSES),
  error: z.string().optional(),
  createdAt: z.number(),
  updatedAt: z.number(),
  heartbeatAt: z.number(),
  sessionId: z.string(),
  tabId: z.string(),
  progress: z.object({
    epoch: z.number().int().nonnegative(),
    epochs: z.number().int().nonnegative(),
    step: z.number().int().nonnegative(),
    steps: z.number().int().nonnegative(),
  }),
  history: z.record(z.string(), trace),
  evaluation: z.unknown().optional(),
  lastCheckpoint: z.number().int().nonnegative().optional(),
  lastCheckpointStep: z.number().int().nonnegative().optional(),
  datasetId: z.string().optional(),
  importedFrom: z.object({ file: z.string().max(300), at: z.number() }).optional(),
  projectId: z.string().max(128).optional(),
  // Admitted in full when opened as a project (open-project's way in); here only its outline.
  document: z.object({ format: z.literal('tensorloom-graph'), nodes: z.array(z.unknown()), edges: z.array(z.unknown()) }).passthrough().optional(),
  transfer: TransferLinkSchema.optional(),
  tags: z.array(z.string().min(1).max(40)).max(20).optional(),
  starred: z.boolean().optional(),
});

export interface RunRecordMigration {
  from: number;
  up(record: Record<string, unknown>): Record<string, unknown>;
}

/** Record migrations in order; version 1 is the first, so there are none yet. */
export const RUN_RECORD_MIGRATIONS: readonly RunRecordMigration[] = [];

export type RunReadResult = { ok: true; run: RunRecord } | { ok: false; problem: string };

function describe(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.map(String).join('.') || '(record)'}: ${i.message}`)
    .join('; ');
}

/** Brings a stored record up to the current version and checks it. */
export function readRunRecord(
  raw: unknown,
  migrations: readonly RunRecordMigration[] = RUN_RECORD_MIGRATIONS,
  currentVersion = RUN_RECORD_VERSION,
): RunReadResult {
  if (typeof raw !== 'object' || raw === null) return { ok: false, problem: 'not a run record' };
  let record = raw as Record<string, unknown>;
  const version = record.schemaVersion;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1 || version > currentVersion) {
    return { ok: false, problem: `unsupported run record version ${String(version)}` };
  }
  for (let v = version; v < currentVersion; v++) {
    const step = migrations.find((m) => m.from === v);
    if (!step) return { ok: false, problem: `no migration from run record version ${v}` };
    record = { ...step.up(record), schemaVersion: v + 1 };
  }
  const parsed = RunRecordSchema.safeParse(record);
  if (!parsed.success) return { ok: false, problem: describe(parsed.error) };
  return { ok: true, run: record as unknown as RunRecord };
}

/** Checks a record before it is written; throws with the offending fields. */
export function checkRunRecord(run: RunRecord): RunRecord {
  const parsed = RunRecordSchema.safeParse(run);
  if (!parsed.success) throw new Error(`refusing to store an invalid run record: ${describe(parsed.error)}`);
  return run;
}

/** Whether a run is live (may still receive steps from a worker). */
export function isLive(status: RunStatus): boolean {
  return status === 'running' || status === 'paused';
}
