/**
 * What a run stores while it goes: its record (status, progress, metrics; a heartbeat that only
 * the worker renews) and its checkpoints (a refused write is reported, never swallowed). All writes
 * go through one chain, so they land in the order they were made.
 */
import type { RunEvent } from '../client-types';
import { checkpointProblem } from '../failure-text';
import type { RunRepository } from '../runs-db';
import type { MetricHistory, RunRecord } from '../runs-db-record';
import { isActive, storedStatus, type RunView } from './run-state';

/** How checkpoint writes turn out, for the session to show. */
export interface CheckpointOutcomes {
  stored(): void;
  /** `message` says why, and what to free. */
  refused(message: string): void;
}

export class RunWriter {
  /** The run on screen as stored; written only when `owned`. */
  record: RunRecord | null = null;
  /** Whether the record belongs to a run of this page (a shown old record is never written). */
  owned = false;
  private chain: Promise<unknown> = Promise.resolve();
  private checkpoints: Promise<unknown> = Promise.resolve();
  private heard = false;
  private refusal: string | undefined;

  constructor(
    private readonly repo: RunRepository,
    private readonly outcomes: CheckpointOutcomes,
  ) {}

  /** Puts `record` on screen; a new run of this page starts with nothing heard and nothing refused. */
  show(record: RunRecord, owned: boolean): void {
    this.record = record;
    this.owned = owned;
    this.heard = false;
    this.refusal = undefined;
  }

  /** The worker spoke: the next record write renews the heartbeat. */
  workerSpoke(): void {
    this.heard = true;
  }

  /** Why the newest checkpoint could not be stored; undefined once one is. */
  get unstoredCheckpoint(): string | undefined {
    return this.refusal;
  }

  /** Settles when every checkpoint written so far is stored or refused. */
  checkpointsSettled(): Promise<unknown> {
    return this.checkpoints;
  }

  /**
   * Stores a checkpoint after the writes before it. A refusal (storage full) is reported at once;
   * the run goes on, and its weights stay in the worker for export.
   */
  storeCheckpoint(e: Extract<RunEvent, { type: 'checkpoint' }>): void {
    const id = this.record?.id;
    if (!id) return;
    const write = this.chain.then(() => this.repo.saveCheckpoint(id, e.epoch, e.step, e.payload, e.bytes));
    this.checkpoints = write.then(
      () => {
        if (this.record?.id === id) this.record = { ...this.record, lastCheckpoint: e.epoch, lastCheckpointStep: e.step };
        this.refusal = undefined;
        this.outcomes.stored();
      },
      (err: unknown) => {
        console.error('checkpoint not saved', err);
        this.refusal = checkpointProblem(err);
        this.outcomes.refused(this.refusal);
      },
    );
    this.chain = this.checkpoints;
  }

  /** Writes the record: status, progress, backend, metric history, evaluation. */
  save(view: RunView, history: () => MetricHistory): Promise<unknown> {
    const record = this.record;
    const status = storedStatus(view.phase);
    if (!record || !status || view.phase === 'idle' || !this.owned) return this.chain;
    // A live run's heartbeat is the worker's: renewed only if the worker spoke since the last write.
    const alive = !isActive(view.phase) || this.heard;
    this.heard = false;
    this.chain = this.chain
      .then(() =>
        this.repo.update(
          record.id,
          {
            status,
            progress: view.progress,
            history: history(),
            ...(view.backend ? { backend: view.backend.used, skippedBackends: view.backend.skipped } : {}),
            ...(view.evaluation ? { evaluation: view.evaluation } : {}),
            ...(view.phase === 'failed' ? { error: view.error } : {}),
          },
          { alive },
        ),
      )
      .then((r) => {
        if (r && this.record?.id === r.id) this.record = r;
      })
      .catch((err) => console.error('run record not saved', err));
    return this.chain;
  }
}
