/**
 * One DQN run from start to end: building the agent from the plan, the step loop with throttled
 * progress events and world snapshots, pause / resume / stop at step boundaries, checkpoints, and
 * the held-out evaluation of the agent against the baseline drivers. Free of Comlink, so Node
 * tests drive it directly.
 */
import type { Backend, ReinforcementPlan } from '../../src/graph/plan';
import { highwayConfig, type EnvironmentParams } from '../../src/rl/highway/config';
import { HighwayEnv, type WorldSnapshot } from '../../src/rl/highway/env';
import { evaluatePolicy } from '../../src/rl/highway/evaluate';
import { idmDriver, randomDriver, type HighwayPolicy } from '../../src/rl/highway/policies';
import type { AgentParams } from '../../src/rl/schedule';
import type { EvaluatorSettings } from '../../nodes/evaluation/evaluator';
import { PlanError, stageDefaults, stageSettings } from '../../nodes/stage-settings';
import { DRIVER_LABEL, type DriverKind, type DrivingReport, type RlEvent, type RlFailureKind } from '../../src/protocol/rl';
import { RlTrainer, type TrainerCheckpoint } from './rl-trainer';
import type { EvaluationSettings, RlOutcome } from '../../src/protocol/rl';

export type { EvaluationSettings, RlOutcome };

export interface RlSettings {
  environment: EnvironmentParams;
  agent: AgentParams;
  /** Null when the plan has no Evaluator: the run then ends without an evaluation. */
  evaluation: EvaluationSettings | null;
}

/** The held-out evaluation an Evaluator's settings ask for. */
function evaluationOf(e: EvaluatorSettings): EvaluationSettings {
  return { episodes: e.episodes, heldOutSeed: e.heldOutSeed, baselines: e.baselines };
}

/** What an evaluation asked of a plan without an Evaluator uses: the Evaluator node's defaults. */
export const DEFAULT_EVALUATION: EvaluationSettings = evaluationOf(stageDefaults('evaluator'));

/** The plan's stage settings, read through `stageSettings` (the compiler filled defaults and checked bounds). */
export function readRlSettings(plan: ReinforcementPlan): RlSettings {
  const evaluator = stageSettings(plan, 'evaluator');
  return {
    environment: stageSettings(plan, 'environment'),
    agent: stageSettings(plan, 'agent'),
    evaluation: evaluator ? evaluationOf(evaluator) : null,
  };
}

export interface RlSessionOptions {
  backend: Backend;
  emit(event: RlEvent): void;
  now?: () => number;
  /** Least time between progress events; the default gives ~15 Hz. */
  progressIntervalMs?: number;
  /** Longest stretch without yielding to the event loop, so pause and stop messages get through. */
  yieldIntervalMs?: number;
  /** Also emit a checkpoint every this many steps (0: only at the end and on stop). */
  checkpointEverySteps?: number;
  /** Continue a run from its checkpoint (agent, replay buffer, episode in progress). */
  resumeFrom?: TrainerCheckpoint;
}

/** Lets queued messages (pause, stop) run; a MessageChannel in browsers avoids setTimeout's 4 ms clamp. */
function yieldToEvents(): Promise<void> {
  if (typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope !== 'undefined' && typeof MessageChannel !== 'undefined') {
    return new Promise((resolve) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        channel.port1.close();
        resolve();
      };
      channel.port2.postMessage(null);
    });
  }
  return new Promise((resolve) => setTimeout(resolve, 0));
}

function classify(e: unknown): RlFailureKind {
  if (e instanceof PlanError) return 'plan';
  const text = e instanceof Error ? e.message : String(e);
  if (/environment observes|Q-values|network takes/i.test(text)) return 'plan';
  return /kernel|backend|webgl|webgpu|wasm|gpu|shader|device|context lost|memory/i.test(text) ? 'backend' : 'unknown';
}

export class RlSession {
  readonly settings: RlSettings;
  private trainer: RlTrainer | undefined;
  private paused = false;
  private stopped = false;
  private wake: (() => void) | undefined;
  /** Bumped by every `watch` and `stopWatch`; a watch ends when it no longer holds the latest. */
  private watchGeneration = 0;
  private readonly now: () => number;

  constructor(
    readonly plan: ReinforcementPlan,
    private readonly options: RlSessionOptions,
  ) {
    this.settings = readRlSettings(plan);
    this.now = options.now ?? (() => performance.now());
  }

  /** A fresh environment of the plan's configuration. */
  makeEnv(): HighwayEnv {
    return new HighwayEnv(highwayConfig(this.settings.environment));
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.wake?.();
  }

  stop(): void {
    this.stopped = true;
    this.wake?.();
  }

  /** Trains to `totalSteps`, then evaluates when the plan has an Evaluator. */
  async run(): Promise<RlOutcome> {
    const { emit } = this.options;
    try {
      emit({ type: 'status', phase: 'building', text: 'building the Q-networks' });
      const env = this.makeEnv();
      const { agent, environment } = this.settings;
      this.trainer = this.options.resumeFrom
        ? await RlTrainer.restore(env, this.plan.model, this.options.resumeFrom)
        : RlTrainer.create(env, this.plan.model, agent, environment.seed);
      emit({ type: 'status', phase: 'training', text: `training for ${agent.totalSteps} steps` });
      const elapsedMs = await this.trainLoop(this.trainer, env);
      await this.emitCheckpoint();
      if (this.stopped) {
        emit({ type: 'done', reason: 'stopped', step: this.trainer.step, elapsedMs });
        return 'stopped';
      }
      if (this.settings.evaluation) emit({ type: 'evaluation', report: await this.evaluate(this.settings.evaluation) });
      emit({ type: 'done', reason: 'completed', step: this.trainer.step, elapsedMs });
      return 'completed';
    } catch (e) {
      emit({ type: 'failed', kind: classify(e), reason: e instanceof Error ? e.message : String(e), backend: this.options.backend });
      return 'failed';
    }
  }

  private async trainLoop(trainer: RlTrainer, env: HighwayEnv): Promise<number> {
    const { emit } = this.options;
    const total = this.settings.agent.totalSteps;
    const progressEvery = this.options.progressIntervalMs ?? 66;
    const yieldEvery = this.options.yieldIntervalMs ?? 50;
    const checkpointEvery = this.options.checkpointEverySteps ?? 0;
    // Training time excludes pauses: `banked` holds finished stretches, `since` starts the current one.
    let banked = 0;
    let since: number | null = this.now();
    const activeMs = (): number => banked + (since === null ? 0 : this.now() - since);
    let lastProgress = this.now();
    let lastYield = lastProgress;
    let stepsAtProgress = trainer.step;
    let activeAtProgress = 0;
    const progress = (): void => {
      const active = activeMs();
      const seconds = (active - activeAtProgress) / 1000;
      emit({
        type: 'progress',
        step: trainer.step,
        totalSteps: total,
        episode: trainer.episode,
        epsilon: trainer.agent.epsilon,
        loss: Number.isNaN(trainer.agent.lastLoss) ? null : trainer.agent.lastLoss,
        stepsPerSecond: seconds > 0 ? (trainer.step - stepsAtProgress) / seconds : 0,
        elapsedMs: active,
        recent: trainer.stats(),
        frame: env.snapshot(),
      });
      lastProgress = this.now();
      stepsAtProgress = trainer.step;
      activeAtProgress = active;
    };
    while (trainer.step < total && !this.stopped) {
      if (this.paused) {
        progress();
        banked = activeMs();
        since = null;
        emit({ type: 'paused', step: trainer.step });
        while (this.paused && !this.stopped) await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = undefined;
        if (this.stopped) break;
        since = this.now();
        emit({ type: 'resumed', step: trainer.step });
      }
      const { finished } = await trainer.stepOnce();
      if (finished) emit({ type: 'episode', report: finished });
      if (checkpointEvery > 0 && trainer.step % checkpointEvery === 0 && trainer.step < total) await this.emitCheckpoint();
      const t = this.now();
      if (t - lastProgress >= progressEvery) progress();
      if (t - lastYield >= yieldEvery) {
        await yieldToEvents();
        lastYield = this.now();
      }
    }
    progress();
    return activeMs();
  }

  private async emitCheckpoint(): Promise<void> {
    if (!this.trainer) return;
    this.options.emit({ type: 'checkpoint', step: this.trainer.step, checkpoint: await this.trainer.checkpoint(true) });
  }

  /** A checkpoint of the run now (between steps), replay buffer included unless told otherwise. */
  async checkpoint(includeReplay = true): Promise<TrainerCheckpoint> {
    if (!this.trainer) throw new Error('no run has started in this session');
    return this.trainer.checkpoint(includeReplay);
  }

  /** A policy for `driver`; the agent drives greedily. */
  policyFor(driver: DriverKind, seed: number): HighwayPolicy {
    if (driver === 'idm') return idmDriver();
    if (driver === 'random') return randomDriver(seed);
    const trainer = this.trainer;
    if (!trainer) throw new Error('no agent yet: train first');
    return (observation) => trainer.agent.greedy(observation);
  }

  /** Held-out episodes for the agent and each baseline, on the same seeds. */
  async evaluate(settings: EvaluationSettings): Promise<DrivingReport> {
    const { emit } = this.options;
    emit({ type: 'status', phase: 'evaluating', text: `evaluating on ${settings.episodes} held-out episodes` });
    const env = this.makeEnv();
    const rows: DrivingReport['rows'] = [];
    for (const driver of ['agent', ...settings.baselines] as DriverKind[]) {
      const summary = await evaluatePolicy(env, this.policyFor(driver, settings.heldOutSeed), {
        episodes: settings.episodes,
        firstSeed: settings.heldOutSeed,
        onEpisode: async (result) => {
          emit({ type: 'evaluation-progress', policy: driver, episode: result.seed - settings.heldOutSeed + 1, episodes: settings.episodes });
          await yieldToEvents();
        },
      });
      rows.push({
        policy: driver,
        label: DRIVER_LABEL[driver],
        episodes: summary.episodes,
        meanReturn: summary.meanReturn,
        meanSpeed: summary.meanSpeed,
        collisionRate: summary.collisionRate,
        returns: summary.results.map((r) => r.return),
      });
    }
    return { heldOutSeed: settings.heldOutSeed, episodes: settings.episodes, rows };
  }

  /**
   * Plays one episode of `seed` with `driver`, sending a snapshot after every simulation substep;
   * with `realTime` the frames are paced at the simulation's own clock, for the driving view. A
   * newer `watch` or `stopWatch` ends it early.
   */
  async watch(
    driver: DriverKind,
    seed: number,
    onFrame: (frame: WorldSnapshot) => void,
    realTime = true,
  ): Promise<{ return: number; crashed: boolean; meanSpeed: number }> {
    const generation = ++this.watchGeneration;
    const env = this.makeEnv();
    const policy = this.policyFor(driver, seed);
    const frames: WorldSnapshot[] = [];
    let observation = env.reset(seed);
    onFrame(env.snapshot());
    env.onSubstep = (e) => frames.push(e.snapshot());
    for (;;) {
      const step = env.step(await policy(observation, env));
      observation = step.observation;
      for (const frame of frames) {
        if (generation !== this.watchGeneration) break;
        onFrame(frame);
        if (realTime) await new Promise((resolve) => setTimeout(resolve, env.dt * 1000));
      }
      frames.length = 0;
      if (!realTime) await yieldToEvents();
      if (step.terminated || step.truncated || generation !== this.watchGeneration) return { return: env.episodeReturn, crashed: step.crashed, meanSpeed: env.meanSpeed };
    }
  }

  stopWatch(): void {
    this.watchGeneration++;
  }

  dispose(): void {
    this.stopWatch();
    this.trainer?.dispose();
    this.trainer = undefined;
  }
}
