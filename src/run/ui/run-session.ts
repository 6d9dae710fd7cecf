/**
 * One run as the panel drives it (the page's "session" of a run): owns the worker client, folds its
 * events into the run view (run-state.ts), the metric store and the live readouts (live-readouts.ts), saves the run record (throttled) and its checkpoints, and tells React to
 * repaint at most `maxHz` times a second. No TF.js here: all training stays in the worker.
 */
import { stageSettings } from '../../../nodes/stage-settings';
import type { Backend, TrainingPlan } from '../../graph/plan';
import type { WorldSnapshot } from '../../rl/highway/env';
import type { FaultInjection } from '../../protocol/liveness';
import type { ReconstructionGrid } from '../../protocol/events';
import type { ExportedModel, RunClient, RunEvent, StartOptions } from '../client-types';
import { exportCheckpoint } from '../export-model-client';
import { failureText } from '../failure-text';
import { newRunOf, type RunRepository } from '../runs-db';
import { lookupTransferSource, type SourceLookup } from '../transfer-source';
import { transferLink, withTransferLink } from '../transfer-link';
import { hashPlan } from '../runs-db-hash';
import type { RunProgress, RunRecord } from '../runs-db-record';
import { FrameThrottle, browserClock, type FrameClock } from './frame-throttle';
import { LiveReadouts } from './live-readouts';
import { MetricStore, historyUpTo } from './metric-series';
import { RunWorkers } from './run-workers';
import { RunWriter } from './run-writer';
import { IDLE, isActive, reduceRun, warningOf, type RunAction, type RunView } from './run-state';

/** Creates the worker client for a plan; events arrive through `onEvent`. */
export type ClientFactory = (plan: TrainingPlan, onEvent: (e: RunEvent) => void) => RunClient;

/** What React reads: replaced (new identity) on every paint. */
export interface SessionFrame {
  view: RunView;
  version: number;
  snapshot: WorldSnapshot | null;
  snapshotCaption?: string;
  /** Smoothed throughput: images/s (supervised) or environment steps/s (RL). */
  rate: number;
  /** Smoothed epochs per second (supervised), for the ETA. */
  epochRate: number;
  /** Fraction of the current epoch done (supervised). */
  epochProgress: number;
  /** Counts stored record changes the history list should show (a run's final save, a checkpoint). */
  stored: number;
}

export interface StartRequest {
  plan: TrainingPlan;
  backendRequest: 'auto' | Backend;
  data?: StartOptions['data'];
  datasetId?: string;
}

/**
 * Milliseconds between run-record writes while a run is live. A write renews the record's
 * heartbeat only when the worker was heard from since the previous one (its own heartbeat comes
 * every second), so a dead worker's run goes stale for other tabs.
 */
export const SAVE_INTERVAL_MS = 2000;

/**
 * How long Stop waits for the worker to end the run before ending the worker: a worker in the
 * middle of a step stops at the step's end and sends its stop point within this on the models
 * this app trains; one that does not (building a huge model, a long first WebGPU step, dead) is
 * terminated, and the run keeps its stored checkpoints.
 */
export const STOP_DEADLINE_MS = 1500;

export function initialProgress(plan: TrainingPlan): RunProgress {
  if (plan.mode === 'rl') return { epoch: 0, epochs: 0, step: 0, steps: stageSettings(plan, 'agent').totalSteps };
  const o = stageSettings(plan, 'optimizer');
  return { epoch: 0, epochs: o.epochs, step: 0, steps: 0, ...(o.budgetMinutes > 0 ? { budgetMs: o.budgetMinutes * 60_000 } : {}) };
}

export class RunSession {
  private frame: SessionFrame;
  private view: RunView = IDLE;
  metrics = new MetricStore();
  private readonly live = new LiveReadouts();
  private readonly workers = new RunWorkers();
  private readonly writer: RunWriter;
  private readonly listeners = new Set<() => void>();
  private readonly throttle: FrameThrottle;
  private version = 0;
  private stored = 0;
  private saveTimer: ReturnType<typeof setInterval> | null = null;
  private stopTimer: ReturnType<typeof setTimeout> | null = null;
  /** The worker's 'done' arrived; the run ends once its checkpoint writes settle. */
  private ending = false;
  private endingSettled: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly repo: RunRepository,
    private readonly createClient: ClientFactory,
    private readonly clock: FrameClock = browserClock,
    maxHz = 20,
  ) {
    this.frame = this.makeFrame();
    this.throttle = new FrameThrottle(() => this.paint(), maxHz, clock);
    this.writer = new RunWriter(repo, {
      stored: () => {
        this.stored++;
        this.dispatch({ type: 'checkpoint-stored' });
      },
      refused: (message) => this.dispatch({ type: 'checkpoint-failed', message }),
    });
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getFrame = (): SessionFrame => this.frame;

  get runId(): string | undefined {
    return this.writer.record?.id;
  }

  /** An autoencoder's reconstruction grids, one per epoch: this page's, or a shown record's evaluation's. */
  get reconstructions(): readonly ReconstructionGrid[] {
    return this.live.grids;
  }

  /** The run on screen as stored (with its newest checkpoint's epoch and step). */
  get current(): RunRecord | null {
    return this.writer.record;
  }

  private makeFrame(): SessionFrame {
    return {
      view: this.view,
      version: this.version,
      snapshot: this.live.snapshot,
      ...(this.live.snapshotCaption ? { snapshotCaption: this.live.snapshotCaption } : {}),
      rate: this.live.rate,
      epochRate: this.live.epochRate,
      epochProgress: this.live.epochProgress,
      stored: this.stored,
    };
  }

  private paint(): void {
    this.version++;
    this.frame = this.makeFrame();
    for (const l of [...this.listeners]) l();
  }

  private dispatch(action: RunAction): void {
    const before = this.view;
    this.view = reduceRun(this.view, action);
    // Phase changes and warnings show at once; metric updates wait for the next throttled frame.
    if (this.view.phase !== before.phase || warningOf(this.view) !== warningOf(before)) {
      this.throttle.flush();
      this.paint();
    } else {
      this.throttle.request();
    }
  }

  /** Starts a new run of `plan` (a new run record). */
  async start(req: StartRequest): Promise<void> {
    if (this.workers.live) throw new Error('a run is already going; stop it first');
    const progress = initialProgress(req.plan);
    const source = req.plan.mode === 'supervised' && req.plan.initFrom ? await lookupTransferSource(this.repo, req.plan.initFrom.runId) : undefined;
    const record = await this.repo.create(
      await newRunOf(req.plan, {
        backendRequest: req.backendRequest,
        status: 'running',
        progress,
        ...(req.datasetId ? { datasetId: req.datasetId } : {}),
        ...(source?.ok && req.plan.mode === 'supervised' ? { transfer: transferLink(req.plan, source.run) } : {}),
      }),
    );
    this.reset(record, new MetricStore(), true);
    this.dispatch({ type: 'start-requested', runId: record.id, progress, backendOrder: req.plan.backendPreference });
    const backends = req.backendRequest === 'auto' ? req.plan.backendPreference : [req.backendRequest];
    await this.launch(req.plan, { backends, ...(req.data ? { data: req.data } : {}) }, source);
  }

  /**
   * Continues an interrupted, stopped or failed run from its newest checkpoint, in the same record.
   * `plan` replaces the run's own when given (a failed run resumed with the fixes made since; its
   * model must be the same, so the checkpoint fits).
   */
  async resume(run: RunRecord, data?: StartOptions['data'], plan: TrainingPlan = run.plan): Promise<void> {
    if (this.workers.live) throw new Error('a run is already going; stop it first');
    const checkpoint = await this.repo.latestCheckpoint(run.id);
    const replanned = plan !== run.plan ? { plan, planHash: await hashPlan(plan), name: plan.name } : {};
    const adopted = await this.repo.adopt(run.id, { status: 'running', ...replanned });
    if (!adopted) throw new Error('the run was deleted');
    // Steps after the checkpoint are trained again: their old points would run backwards on the charts.
    this.reset(adopted, MetricStore.fromHistory(checkpoint ? historyUpTo(run.history, checkpoint.step) : {}), true);
    const planned = initialProgress(plan);
    // The budget is the plan's as resumed (a replanned run may have changed it); the time left comes with the first step.
    const { budgetMs: _budget, timeLeftMs: _left, ...stored } = run.progress;
    const progress = checkpoint
      ? { ...stored, epochs: planned.epochs, ...(planned.steps ? { steps: planned.steps } : {}), ...(planned.budgetMs ? { budgetMs: planned.budgetMs } : {}), epoch: run.mode === 'rl' ? 0 : checkpoint.epoch, step: checkpoint.step }
      : planned;
    this.dispatch({ type: 'start-requested', runId: run.id, progress, backendOrder: plan.backendPreference, resumed: checkpoint !== undefined });
    await this.launch(plan, {
      backends: run.backendRequest === 'auto' ? plan.backendPreference : [run.backendRequest],
      ...(checkpoint ? { checkpoint: { payload: checkpoint.payload, epoch: checkpoint.epoch, step: checkpoint.step } } : {}),
      ...(data ? { data } : {}),
    });
  }

  /** Shows a stored run (history click) without a worker. */
  show(run: RunRecord): void {
    if (this.workers.live) return;
    this.reset(run, MetricStore.fromHistory(run.history), false);
    this.dispatch({ type: 'show-record', run });
  }

  private reset(record: RunRecord, metrics: MetricStore, owned: boolean): void {
    this.writer.show(record, owned);
    this.metrics = metrics;
    this.live.reset(record);
  }

  private async launch(plan: TrainingPlan, options: StartOptions, looked?: SourceLookup): Promise<void> {
    this.ending = false;
    // A plan that starts from another run gets that run's newest checkpoint (a resumed one too: it
    // freezes the same layers before its own checkpoint's weights overwrite them); the worker
    // explains a missing one.
    if (plan.mode === 'supervised' && plan.initFrom) {
      const source = looked ?? (await lookupTransferSource(this.repo, plan.initFrom.runId));
      if (source.ok) options = { ...options, initWeights: source.checkpoint.payload };
      else if (!options.checkpoint) return this.failBeforeStart(source.message);
      // A resumed run (Evaluate included) has its own weights; its worker says what the missing source changes.
    }
    const client = this.createClient(plan, (e) => this.onEvent(client, e));
    this.workers.begin(client);
    this.saveTimer = setInterval(() => void this.save(), SAVE_INTERVAL_MS);
    try {
      await client.start(options);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      if (isActive(this.view.phase)) this.onEvent(client, { type: 'failed', kind: 'unknown', message });
    }
  }

  /** A run that cannot start (its transfer source is gone): failed in the user's words, no worker spent. */
  private failBeforeStart(message: string): void {
    this.dispatch({ type: 'failed', kind: 'plan', message });
    void this.save().then(() => {
      this.stored++;
      this.paint();
    });
  }

  private onEvent(from: RunClient, e: RunEvent): void {
    // A finished run's worker still plays watched episodes; anything else from it is stale.
    if (from !== this.workers.live && !(this.workers.isEnded(from) && e.type === 'world')) return;
    if (this.ending) return;
    this.writer.workerSpoke();
    if (e.type === 'alive') return;
    this.metrics.add(e);
    this.live.update(e, this.clock.now());
    if (e.type === 'checkpoint') {
      this.workers.hasModel = true;
      this.writer.storeCheckpoint(e);
    }
    if (e.type === 'done') {
      this.end(from, e.reason);
      return;
    }
    this.dispatch(e.type === 'failed' ? { ...e, message: failureText(e.message) } : e);
    if (e.type === 'backend' || e.type === 'evaluation' || e.type === 'paused') void this.save();
    if (e.type === 'failed') this.finish(e.kind === 'worker-lost');
  }

  /**
   * The worker ended the run (or was ended by Stop): once its checkpoints are written or refused,
   * the run is finished — "without checkpoint" when its last one could not be stored.
   */
  private end(from: RunClient, reason: 'completed' | 'stopped', forced = false): void {
    this.ending = true;
    this.endingSettled = this.writer.checkpointsSettled().then(() => {
      if (from !== this.workers.live) return;
      this.ending = false;
      const lost = this.writer.unstoredCheckpoint;
      this.dispatch({ type: 'run-ended', reason, forced, ...(lost ? { checkpointLost: lost } : {}) });
      this.finish(forced);
    });
  }

  /** Writes the run record as the view now stands. */
  private save(): Promise<unknown> {
    return this.writer.save(this.view, () => this.metrics.toHistory());
  }

  /**
   * The run ended: the worker is kept for export (unless it is gone), the record gets its final
   * state.
   */
  private finish(workerGone = false): void {
    if (this.saveTimer) clearInterval(this.saveTimer);
    this.saveTimer = null;
    if (this.stopTimer) clearTimeout(this.stopTimer);
    this.stopTimer = null;
    this.workers.retire(workerGone);
    this.paint();
    void this.save().then(() => {
      this.stored++;
      this.paint();
    });
  }

  async pause(): Promise<void> {
    this.dispatch({ type: 'pause-requested' });
    await this.workers.live?.pause();
  }

  async resumePaused(): Promise<void> {
    this.dispatch({ type: 'resume-requested' });
    await this.workers.live?.resume();
  }

  /**
   * Asks the worker to stop at its next step boundary (it then sends its stop point as a
   * checkpoint); a worker that has not ended the run within {@link STOP_DEADLINE_MS} — busy in
   * one long synchronous task, or gone — is terminated, and the run is stopped with the
   * checkpoints already stored.
   */
  async stop(): Promise<void> {
    const client = this.workers.live;
    if (!client || this.stopTimer || this.ending) return;
    this.dispatch({ type: 'stop-requested' });
    this.stopTimer = setTimeout(() => {
      this.stopTimer = null;
      if (client !== this.workers.live || this.ending) return;
      client.dispose();
      this.end(client, 'stopped', true);
    }, STOP_DEADLINE_MS);
    try {
      await client.stop();
    } catch (e) {
      // The deadline ends a worker that cannot take the request.
      console.error('stop not delivered', e);
    }
  }

  /**
   * The trained model of the run on screen: the newest checkpoint its worker holds in memory
   * (the whole trained model once the run ended, stored or not), else the newest stored one, so
   * a run from an earlier visit can be exported too.
   */
  async exportModel(stem: string): Promise<ExportedModel | undefined> {
    const record = this.writer.record;
    if (!record) return undefined;
    const payload = (await this.workers.latestModel()) ?? (await this.repo.latestCheckpoint(record.id))?.payload;
    const exported = payload === undefined ? undefined : await exportCheckpoint(record.plan, payload, stem);
    // The run it started from travels with the weights (model.json's metadata).
    return exported && { ...exported, modelJson: withTransferLink(exported.modelJson, record.transfer) };
  }

  /**
   * RL: plays a held-out episode with `driver` in the driving view. Needs this page's worker (the
   * live run's, or the last finished one's); resolves when the episode ends or is replaced.
   */
  watch(driver: 'agent' | 'idm' | 'random', seed: number): Promise<void> {
    return this.workers.watch(driver, seed);
  }

  get canWatch(): boolean {
    return this.workers.canWatch;
  }

  /** Whether the run on screen has a model to export: a stored checkpoint, or one its worker holds. */
  get canExport(): boolean {
    return this.writer.record?.lastCheckpoint !== undefined || this.workers.hasModel;
  }

  /** Development builds' e2e hook: hands the live run's worker a fault to act out. */
  injectFault(fault: FaultInjection): boolean {
    return this.workers.injectFault(fault);
  }

  /** Waits for pending writes, a run's end included (tests, and before the page hides). */
  async flushWrites(): Promise<unknown> {
    await this.endingSettled;
    return this.save();
  }

  dispose(): void {
    if (this.saveTimer) clearInterval(this.saveTimer);
    if (this.stopTimer) clearTimeout(this.stopTimer);
    this.throttle.dispose();
    this.workers.dispose();
  }
}
