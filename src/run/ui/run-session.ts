/**
 * One run as the panel drives it: owns the worker client, folds its events into the session view
 * and the metric store, saves the run record (throttled) and its checkpoints, and tells React to
 * repaint at most `maxHz` times a second. No TF.js here: all training stays in the worker.
 */
import type { Backend, TrainingPlan } from '../../graph/plan';
import type { WorldSnapshot } from '../../rl/highway/env';
import type { ClientEvent, ExportedModel, RunClient, StartOptions } from '../client-types';
import { exportCheckpoint } from '../export-model-client';
import type { RunRepository } from '../runs-db';
import { hashPlan } from '../runs-db-hash';
import type { RunProgress, RunRecord } from '../runs-db-record';
import { FrameThrottle, RateMeter, browserClock, type FrameClock } from './frame-throttle';
import { MetricStore, historyUpTo } from './metric-series';
import { IDLE, isActive, reduceSession, storedStatus, type SessionAction, type SessionView } from './session-state';

/** Creates the worker client for a plan; events arrive through `onEvent`. */
export type ClientFactory = (plan: TrainingPlan, onEvent: (e: ClientEvent) => void) => RunClient;

/** What React reads: replaced (new identity) on every paint. */
export interface SessionFrame {
  view: SessionView;
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

/** Milliseconds between run-record writes while a run is live (each is also a heartbeat). */
export const SAVE_INTERVAL_MS = 2000;

export function initialProgress(plan: TrainingPlan): RunProgress {
  if (plan.mode === 'rl') return { epoch: 0, epochs: 0, step: 0, steps: Number(plan.agent.params.totalSteps ?? 0) };
  return { epoch: 0, epochs: Number(plan.optimizer.params.epochs ?? 0), step: 0, steps: 0 };
}

export class RunSession {
  private frame: SessionFrame;
  private view: SessionView = IDLE;
  metrics = new MetricStore();
  private snapshot: WorldSnapshot | null = null;
  private snapshotCaption: string | undefined;
  private client: RunClient | null = null;
  /** The worker of the last finished run, kept so its model can still be exported. */
  private finished: RunClient | null = null;
  private record: RunRecord | null = null;
  /** Whether the record on screen belongs to a run of this page (a shown old record is never written). */
  private owned = false;
  private readonly listeners = new Set<() => void>();
  private readonly throttle: FrameThrottle;
  private readonly throughput = new RateMeter();
  private readonly epochMeter = new RateMeter(4000);
  private epochProgress = 0;
  private version = 0;
  private stored = 0;
  private saveTimer: ReturnType<typeof setInterval> | null = null;
  private saving: Promise<unknown> = Promise.resolve();
  private imagesSeen = 0;

  constructor(
    private readonly repo: RunRepository,
    private readonly createClient: ClientFactory,
    private readonly clock: FrameClock = browserClock,
    maxHz = 20,
  ) {
    this.frame = this.makeFrame();
    this.throttle = new FrameThrottle(() => this.paint(), maxHz, clock);
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getFrame = (): SessionFrame => this.frame;

  get runId(): string | undefined {
    return this.record?.id;
  }

  private makeFrame(): SessionFrame {
    return {
      view: this.view,
      version: this.version,
      snapshot: this.snapshot,
      ...(this.snapshotCaption ? { snapshotCaption: this.snapshotCaption } : {}),
      rate: this.throughput.rate,
      epochRate: this.epochMeter.rate,
      epochProgress: this.epochProgress,
      stored: this.stored,
    };
  }

  private paint(): void {
    this.version++;
    this.frame = this.makeFrame();
    for (const l of [...this.listeners]) l();
  }

  private dispatch(action: SessionAction): void {
    const before = this.view.phase;
    this.view = reduceSession(this.view, action);
    // Phase changes show at once; metric updates wait for the next throttled frame.
    if (this.view.phase !== before) {
      this.throttle.flush();
      this.paint();
    } else {
      this.throttle.request();
    }
  }

  /** Starts a new run of `plan` (a new run record). */
  async start(req: StartRequest): Promise<void> {
    if (this.client) throw new Error('a run is already going; stop it first');
    const progress = initialProgress(req.plan);
    const record = await this.repo.create({
      mode: req.plan.mode,
      name: req.plan.name,
      planHash: await hashPlan(req.plan),
      plan: req.plan,
      backendRequest: req.backendRequest,
      backend: null,
      skippedBackends: [],
      status: 'running',
      progress,
      history: {},
      ...(req.datasetId ? { datasetId: req.datasetId } : {}),
    });
    this.reset(record, new MetricStore(), true);
    this.dispatch({ type: 'start-requested', runId: record.id, progress });
    await this.launch(req.plan, {
      backends: req.backendRequest === 'auto' ? req.plan.backendPreference : [req.backendRequest],
      ...(req.data ? { data: req.data } : {}),
    });
  }

  /** Continues an interrupted or stopped run from its newest checkpoint, in the same record. */
  async resume(run: RunRecord, data?: StartOptions['data']): Promise<void> {
    if (this.client) throw new Error('a run is already going; stop it first');
    const checkpoint = await this.repo.latestCheckpoint(run.id);
    const adopted = await this.repo.adopt(run.id, { status: 'running' });
    if (!adopted) throw new Error('the run was deleted');
    // Steps after the checkpoint are trained again: their old points would run backwards on the charts.
    this.reset(adopted, MetricStore.fromHistory(checkpoint ? historyUpTo(run.history, checkpoint.step) : {}), true);
    const progress = checkpoint
      ? { ...run.progress, epoch: run.mode === 'rl' ? 0 : checkpoint.epoch, step: checkpoint.step }
      : initialProgress(run.plan);
    this.dispatch({ type: 'start-requested', runId: run.id, progress, resumed: checkpoint !== undefined });
    await this.launch(run.plan, {
      backends: run.backendRequest === 'auto' ? run.plan.backendPreference : [run.backendRequest],
      ...(checkpoint ? { checkpoint: { payload: checkpoint.payload, epoch: checkpoint.epoch, step: checkpoint.step } } : {}),
      ...(data ? { data } : {}),
    });
  }

  /** Shows a stored run (history click) without a worker. */
  show(run: RunRecord): void {
    if (this.client) return;
    this.reset(run, MetricStore.fromHistory(run.history), false);
    this.dispatch({ type: 'show-record', run });
  }

  private reset(record: RunRecord, metrics: MetricStore, owned: boolean): void {
    this.record = record;
    this.owned = owned;
    this.metrics = metrics;
    this.snapshot = null;
    this.snapshotCaption = undefined;
    this.epochProgress = 0;
    this.imagesSeen = 0;
    this.throughput.reset();
    this.epochMeter.reset();
  }

  private async launch(plan: TrainingPlan, options: StartOptions): Promise<void> {
    this.finished?.dispose();
    this.finished = null;
    const client = this.createClient(plan, (e) => this.onEvent(client, e));
    this.client = client;
    this.saveTimer = setInterval(() => void this.save(), SAVE_INTERVAL_MS);
    try {
      await client.start(options);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      if (isActive(this.view.phase)) this.onEvent(client, { type: 'failed', message, retryable: true });
    }
  }

  private onEvent(from: RunClient, e: ClientEvent): void {
    // A finished run's worker still plays watched episodes; anything else from it is stale.
    if (from !== this.client && !(from === this.finished && e.type === 'world')) return;
    const t = this.clock.now();
    switch (e.type) {
      case 'step': {
        const m = e.metrics;
        this.metrics.record(m.step, { loss: m.loss, accuracy: m.accuracy, learningRate: m.learningRate, imagesPerSecond: m.imagesPerSecond });
        this.epochProgress = m.epochProgress;
        this.epochMeter.update(m.epoch + m.epochProgress, t);
        if (m.imagesPerSecond !== undefined) this.throughput.rate = m.imagesPerSecond;
        break;
      }
      case 'epoch':
        this.metrics.record(e.metrics.step, { valLoss: e.metrics.valLoss, valAccuracy: e.metrics.valAccuracy, epochLoss: e.metrics.loss, epochAccuracy: e.metrics.accuracy });
        this.epochProgress = 0;
        break;
      case 'rl': {
        const m = e.metrics;
        this.metrics.record(m.step, {
          episodeReturn: m.episodeReturn,
          meanReturn: m.meanReturn,
          meanSpeed: m.meanSpeed,
          collisionRate: m.collisionRate,
          epsilon: m.epsilon,
          stepsPerSecond: m.stepsPerSecond,
          tdLoss: m.loss,
        });
        if (m.stepsPerSecond !== undefined) this.throughput.rate = m.stepsPerSecond;
        break;
      }
      case 'world':
        this.snapshot = e.snapshot;
        this.snapshotCaption = e.caption;
        break;
      case 'checkpoint':
        if (this.record) {
          const id = this.record.id;
          this.saving = this.saving
            .then(() => this.repo.saveCheckpoint(id, e.epoch, e.step, e.payload, e.bytes))
            .then(() => {
              if (this.record?.id === id) this.record = { ...this.record, lastCheckpoint: e.epoch };
              this.stored++;
              this.throttle.request();
            })
            .catch((err) => console.error('checkpoint not saved', err));
        }
        break;
      case 'paused':
        this.throughput.reset();
        this.epochMeter.reset();
        break;
      default:
        break;
    }
    this.dispatch(e);
    if (e.type === 'backend' || e.type === 'evaluation' || e.type === 'paused') void this.save();
    if (e.type === 'done' || e.type === 'failed') this.finish();
  }

  /** Writes the record: status, progress, backend, metric history, evaluation. */
  private save(): Promise<unknown> {
    const record = this.record;
    const status = storedStatus(this.view.phase);
    if (!record || !status || !this.owned) return this.saving;
    const v = this.view;
    this.saving = this.saving
      .then(() =>
        this.repo.update(record.id, {
          status,
          progress: v.progress,
          history: this.metrics.toHistory(),
          ...(v.backend ? { backend: v.backend.used, skippedBackends: v.backend.skipped } : {}),
          ...(v.evaluation ? { evaluation: v.evaluation } : {}),
          ...(v.error ? { error: v.error } : {}),
        }),
      )
      .then((r) => {
        if (r) this.record = r;
      })
      .catch((err) => console.error('run record not saved', err));
    return this.saving;
  }

  /** The run ended: the worker is kept for export, the record gets its final state. */
  private finish(): void {
    if (this.saveTimer) clearInterval(this.saveTimer);
    this.saveTimer = null;
    this.finished = this.client;
    this.client = null;
    this.paint();
    void this.save().then(() => {
      this.stored++;
      this.paint();
    });
  }

  async pause(): Promise<void> {
    this.dispatch({ type: 'pause-requested' });
    await this.client?.pause();
  }

  async resumePaused(): Promise<void> {
    this.dispatch({ type: 'resume-requested' });
    await this.client?.resume();
  }

  async stop(): Promise<void> {
    const client = this.client;
    if (!client) return;
    this.dispatch({ type: 'stop-requested' });
    try {
      await client.stop();
    } catch (e) {
      // A worker that cannot even stop cleanly is ended; the run counts as stopped.
      console.error('stop failed', e);
      this.onEvent(client, { type: 'done', reason: 'stopped' });
    }
  }

  /**
   * The trained model of the run on screen: from its worker when that can give one (RL), else
   * from the newest stored checkpoint (supervised checkpoints are whole models), so a run from
   * an earlier visit can be exported too.
   */
  async exportModel(stem: string): Promise<ExportedModel | undefined> {
    const fromWorker = await (this.client ?? this.finished)?.exportModel();
    if (fromWorker) return fromWorker;
    if (!this.record) return undefined;
    const checkpoint = await this.repo.latestCheckpoint(this.record.id);
    return checkpoint ? exportCheckpoint(this.record.plan, checkpoint.payload, stem) : undefined;
  }

  /**
   * RL: plays a held-out episode with `driver` in the driving view. Needs this page's worker (the
   * live run's, or the last finished one's); resolves when the episode ends or is replaced.
   */
  async watch(driver: 'agent' | 'idm' | 'random', seed: number): Promise<void> {
    const client = this.client ?? this.finished;
    if (!client?.watch) throw new Error('no worker to play episodes: run the agent in this page first');
    await client.watch(driver, seed);
  }

  get canWatch(): boolean {
    return Boolean((this.client ?? this.finished)?.watch);
  }

  /** Whether the run on screen has a stored checkpoint to export. */
  get canExport(): boolean {
    return this.record?.lastCheckpoint !== undefined;
  }

  /** Waits for pending writes (tests, and before the page hides). */
  flushWrites(): Promise<unknown> {
    return this.save();
  }

  dispose(): void {
    if (this.saveTimer) clearInterval(this.saveTimer);
    this.throttle.dispose();
    this.client?.dispose();
    this.finished?.dispose();
    this.client = null;
    this.finished = null;
  }
}
