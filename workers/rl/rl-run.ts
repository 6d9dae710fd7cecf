/**
 * One DQN run from start to end: building the agent from the plan, the step loop with throttled
 * progress events and world snapshots, pause / resume / stop at step boundaries, checkpoints, and
 * the held-out evaluation of the agent against the baseline drivers. Free of Comlink, so Node
 * tests drive it directly.
 */
import type * as tf from '@tensorflow/tfjs';
import type { ReinforcementPlan } from '../../src/graph/plan';
import { highwayConfig, type EnvironmentParams } from '../../src/rl/highway/config';
import { HighwayEnv, type WorldSnapshot } from '../../src/rl/highway/env';
import { evaluateBatched, evaluatePolicy, type BatchPolicy } from '../../src/rl/highway/evaluate';
import { idmDriver, randomDriver, type HighwayPolicy } from '../../src/rl/highway/policies';
import type { AgentParams } from '../../src/rl/schedule';
import type { EvaluatorSettings } from '../../nodes/evaluation/evaluator';
import { PlanError, stageDefaults, stageSettings } from '../../nodes/stage-settings';
import { DRIVER_LABEL, type DriverKind, type DrivingReport, type RlEvent } from '../../src/protocol/rl';
import type { FailureKind, ProgressEvent } from '../../src/protocol/events';
import { RunLoop, backendOrUnknown, payloadBytes, yieldToEvents, type RunLoopOptions } from '../backend/run-loop';
import { RlTrainer, type EpisodeReport, type TrainerCheckpoint } from './rl-trainer';
import { PolicyTrainer } from './policy-trainer';
import { BestWeights, validationSeed, validationSteps } from './keep-best';
import type { EvaluationSettings } from '../../src/protocol/rl';

export type { EvaluationSettings };

export interface RlSettings {
  environment: EnvironmentParams;
  agent: AgentParams;
  /** Null when the plan has no Evaluator: the run then ends without an evaluation. */
  evaluation: EvaluationSettings | null;
}

/** The progress fields of the run's algorithm: ε and the TD loss for DQN, the update's losses for REINFORCE and PPO. */
function learningFields(trainer: RlTrainer | PolicyTrainer): Partial<Pick<ProgressEvent, 'epsilon' | 'tdLoss' | 'policyLoss' | 'valueLoss' | 'entropy'>> {
  if (trainer instanceof PolicyTrainer) {
    const last = trainer.agent.last;
    return last ? { policyLoss: last.policyLoss, valueLoss: last.valueLoss, entropy: last.entropy } : {};
  }
  const loss = trainer.agent.lastLoss;
  return { epsilon: trainer.agent.epsilon, ...(Number.isNaN(loss) ? {} : { tdLoss: loss }) };
}

/** The trained agent's row label in evaluation tables. */
export function agentLabel(algorithm: AgentParams['algorithm']): string {
  return `${{ dqn: 'DQN', reinforce: 'REINFORCE', ppo: 'PPO' }[algorithm]} agent`;
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

export interface RlRunOptions extends RunLoopOptions {
  emit(event: RlEvent): void;
  /** Least time between progress events; the default gives ~15 Hz. */
  progressIntervalMs?: number;
  /** Also emit a checkpoint every this many steps (0: only at the end and on stop). */
  checkpointEverySteps?: number;
  /** Continue a run from its checkpoint (agent, replay buffer, episode in progress). */
  resumeFrom?: TrainerCheckpoint;
}

/**
 * One DQN run (see the file comment), on the shared {@link RunLoop}; after it ends the agent stays
 * for exports and watched episodes until `dispose`.
 */
export class RlRun extends RunLoop<RlEvent> {
  readonly settings: RlSettings;
  private trainer: RlTrainer | PolicyTrainer | undefined;
  /** The best-validated weights, where the Agent keeps the best. */
  private best: BestWeights | undefined;
  /** Time spent on validation episodes, which is not training time. */
  private validationMs = 0;
  /** Bumped by every `watch` and `stopWatch`; a watch ends when it no longer holds the latest. */
  private watchGeneration = 0;

  constructor(
    readonly plan: ReinforcementPlan,
    private readonly options: RlRunOptions,
  ) {
    super(options, options.emit, 50);
    this.settings = readRlSettings(plan);
  }

  protected override classify(e: unknown): FailureKind {
    if (e instanceof PlanError) return 'plan';
    const text = e instanceof Error ? e.message : String(e);
    if (/environment observes|Q-values|network takes/i.test(text)) return 'plan';
    return backendOrUnknown(e);
  }

  /** A fresh environment of the plan's configuration. */
  makeEnv(): HighwayEnv {
    return new HighwayEnv(highwayConfig(this.settings.environment));
  }

  /** Trains to `totalSteps`, then evaluates when the plan has an Evaluator. */
  protected async train(): Promise<'completed' | 'stopped'> {
    const { emit } = this;
    const { agent, environment } = this.settings;
    const resume = this.options.resumeFrom;
    let env: HighwayEnv;
    if (agent.algorithm === 'dqn') {
      emit({ type: 'status', stage: 'building', text: 'building the Q-networks' });
      env = this.makeEnv();
      this.trainer = resume ? await RlTrainer.restore(env, this.plan.model, resume) : RlTrainer.create(env, this.plan.model, agent, environment.seed);
    } else {
      emit({ type: 'status', stage: 'building', text: `building the policy and value network for ${agent.numEnvs} environments` });
      const envs = Array.from({ length: agent.numEnvs }, () => this.makeEnv());
      env = envs[0]!;
      this.trainer = resume ? await PolicyTrainer.restore(envs, this.plan.model, resume) : PolicyTrainer.create(envs, this.plan.model, agent, environment.seed);
    }
    if (agent.keepBest) {
      this.best = new BestWeights(validationSteps(agent.totalSteps, agent.validations));
      this.best.load(resume?.best, resume?.runnersUp);
    }
    emit({ type: 'status', stage: 'training', text: `training for ${agent.totalSteps} steps` });
    await this.trainLoop(this.trainer, env);
    if (!this.stopRequested && this.best?.state) {
      const trainer = this.trainer;
      await this.confirmBest(trainer);
      this.best.restoreInto(this.network(trainer));
      if (trainer instanceof RlTrainer) trainer.agent.syncTarget();
      const { step, score, confirmedOn } = this.best.state;
      const over = confirmedOn ? ` over ${confirmedOn} episodes` : '';
      emit({ type: 'status', stage: 'training', text: `kept the weights of step ${step}: the best mean validation return${over}, ${score.toFixed(2)}` });
    }
    // Training time: validation, the checkpoint and the evaluation do not count.
    const elapsedMs = this.trainingMs();
    await this.emitCheckpoint();
    if (this.stopRequested) {
      emit({ type: 'done', reason: 'stopped', step: this.trainer.step, elapsedMs });
      return 'stopped';
    }
    if (this.settings.evaluation) {
      const report = await this.evaluate(this.settings.evaluation);
      const rows = report.rows.map(({ returns: _, ...score }) => score);
      const best = this.best?.state;
      const confirmed = best?.confirmedOn ? { confirmedOn: best.confirmedOn } : {};
      const kept = best ? { kept: { step: best.step, validationReturn: best.score, validations: agent.validations, validationEpisodes: agent.validationEpisodes, ...confirmed } } : {};
      emit({ type: 'evaluation', evaluation: { kind: 'driving', heldOutSeed: report.heldOutSeed, rows, ...kept } });
    }
    emit({ type: 'done', reason: 'completed', step: this.trainer.step, elapsedMs });
    return 'completed';
  }

  private async trainLoop(trainer: RlTrainer | PolicyTrainer, env: HighwayEnv): Promise<void> {
    const { emit } = this;
    const total = this.settings.agent.totalSteps;
    const progressEvery = this.options.progressIntervalMs ?? 66;
    const checkpointEvery = this.options.checkpointEverySteps ?? 0;
    let lastProgress = this.now();
    let stepsAtProgress = trainer.step;
    let activeAtProgress = 0;
    const progress = (): void => {
      const active = this.trainingMs();
      const seconds = (active - activeAtProgress) / 1000;
      const recent = trainer.stats();
      emit({
        type: 'progress',
        step: trainer.step,
        totalSteps: total,
        episode: trainer.episode,
        ...learningFields(trainer),
        stepsPerSecond: seconds > 0 ? (trainer.step - stepsAtProgress) / seconds : 0,
        elapsedMs: active,
        // Averages exist only once an episode has ended (a 0 would be a made-up point on the charts).
        ...(recent.episodes > 0
          ? { meanReturn: recent.meanReturn, collisionRate: recent.collisionRate, ...(recent.meanSpeed !== null ? { meanSpeed: recent.meanSpeed } : {}) }
          : {}),
        frame: env.snapshot(),
      });
      lastProgress = this.now();
      stepsAtProgress = trainer.step;
      activeAtProgress = active;
    };
    while (trainer.step < total) {
      if (await this.stepBoundary(trainer.step, { beforePause: progress })) break;
      const before = trainer.step;
      const finished: EpisodeReport[] = trainer instanceof PolicyTrainer ? await trainer.advance() : [(await trainer.stepOnce()).finished].filter((f) => f !== null);
      for (const { index, seed, return: episodeReturn, steps, meanSpeed, crashed } of finished) {
        emit({ type: 'episode', step: trainer.step, index, seed, episodeReturn, steps, meanSpeed, crashed });
      }
      if (this.best?.due(before, trainer.step)) await this.validate(trainer);
      // A policy-gradient step moves every environment at once: checkpoint when a multiple is crossed.
      const crossed = checkpointEvery > 0 && Math.floor(trainer.step / checkpointEvery) > Math.floor(before / checkpointEvery);
      if (crossed && trainer.step < total) await this.emitCheckpoint();
      if (this.now() - lastProgress >= progressEvery) progress();
      await this.maybeYield();
    }
    progress();
  }

  /** Active time less the validations': the time spent training. */
  private trainingMs(): number {
    return this.activeMs() - this.validationMs;
  }

  /** The network that acts: DQN's online Q-network or the policy-and-value network. */
  private network(trainer: RlTrainer | PolicyTrainer): tf.LayersModel {
    return trainer instanceof PolicyTrainer ? trainer.agent.network : trainer.agent.online;
  }

  /**
   * The greedy policy's score on validation episodes: the first set (every validation), or the
   * second, as many new episodes, on which the best few are validated again at the end.
   */
  private async validationSummary(trainer: RlTrainer | PolicyTrainer, set: 'first' | 'second') {
    const episodes = this.settings.agent.validationEpisodes;
    // Both sets lie in one range clear of the held-out episodes.
    const firstSeed = validationSeed(this.settings.evaluation, 2 * episodes) + (set === 'second' ? episodes : 0);
    return evaluateBatched(() => this.makeEnv(), (observations, rows) => trainer.agent.greedyBatch(observations, rows), {
      episodes,
      firstSeed,
      // Fifty episodes take seconds on a slow backend: the worker keeps answering in between.
      onStep: () => this.maybeYield(),
    });
  }

  /** Scores the greedy policy on the validation episodes and keeps its weights if they rank among the best so far. */
  private async validate(trainer: RlTrainer | PolicyTrainer): Promise<void> {
    const { agent } = this.settings;
    this.emit({ type: 'status', stage: 'training', text: `validating at step ${trainer.step} on ${agent.validationEpisodes} episodes` });
    const start = this.now();
    const summary = await this.validationSummary(trainer, 'first');
    const kept = await this.best!.consider(trainer.step, summary.meanReturn, this.network(trainer));
    this.validationMs += this.now() - start;
    const best = this.best!.state!;
    this.emit({
      type: 'status',
      stage: 'training',
      text: `validated at step ${trainer.step}: mean return ${summary.meanReturn.toFixed(2)}, collisions ${Math.round(100 * summary.collisionRate)}%${kept ? ' (best so far)' : ` (best: ${best.score.toFixed(2)} at step ${best.step})`}`,
    });
  }

  /**
   * Validates the best few weights again on the second set of episodes and keeps the best over both
   * (BestWeights.confirm); each one is announced before and reported after, like a validation.
   */
  private async confirmBest(trainer: RlTrainer | PolicyTrainer): Promise<void> {
    const episodes = this.settings.agent.validationEpisodes;
    const start = this.now();
    await this.best!.confirm(this.network(trainer), episodes, async (contender) => {
      this.emit({ type: 'status', stage: 'training', text: `validating step ${contender.step} again on ${episodes} new episodes` });
      const summary = await this.validationSummary(trainer, 'second');
      this.emit({
        type: 'status',
        stage: 'training',
        text: `validated step ${contender.step} again: mean return ${summary.meanReturn.toFixed(2)}, collisions ${Math.round(100 * summary.collisionRate)}%; over both sets ${((contender.score + summary.meanReturn) / 2).toFixed(2)}`,
      });
      return summary.meanReturn;
    });
    this.validationMs += this.now() - start;
  }

  /** The trainer's checkpoint with the best-validated weights so far, where the run keeps them. */
  private async checkpointWithBest(trainer: RlTrainer | PolicyTrainer, includeReplay: boolean): Promise<TrainerCheckpoint> {
    const payload: TrainerCheckpoint = await trainer.checkpoint(includeReplay);
    const best = this.best?.state;
    const runnersUp = this.best?.runnersUp ?? [];
    return best ? { ...payload, best, ...(runnersUp.length > 0 ? { runnersUp: [...runnersUp] } : {}) } : payload;
  }

  private async emitCheckpoint(): Promise<void> {
    if (!this.trainer) return;
    const payload = await this.checkpointWithBest(this.trainer, true);
    // RL has no epochs: a checkpoint is numbered by the environment step it was taken at.
    this.emit({ type: 'checkpoint', epoch: this.trainer.step, step: this.trainer.step, payload, bytes: payloadBytes(payload) });
  }

  /** A checkpoint of the run now (between steps), replay buffer included unless told otherwise. */
  async checkpoint(includeReplay = true): Promise<TrainerCheckpoint> {
    if (!this.trainer) throw new Error('no run has started yet');
    return this.checkpointWithBest(this.trainer, includeReplay);
  }

  /** A policy for `driver`; the agent drives greedily. */
  policyFor(driver: DriverKind, seed: number): HighwayPolicy {
    if (driver === 'idm') return idmDriver();
    if (driver === 'random') return randomDriver(seed);
    const trainer = this.trainer;
    if (!trainer) throw new Error('no agent yet: train first');
    return (observation) => trainer.agent.greedy(observation);
  }

  /** The trained agent's greedy actions for many observations at once: how it drives in the held-out evaluation. */
  agentPolicy(): BatchPolicy {
    const trainer = this.trainer;
    if (!trainer) throw new Error('no agent yet: train first');
    return (observations, rows) => trainer.agent.greedyBatch(observations, rows);
  }

  /** Held-out episodes for the agent and each baseline, on the same seeds. */
  async evaluate(settings: EvaluationSettings): Promise<DrivingReport> {
    const { emit } = this;
    emit({ type: 'status', stage: 'evaluating', text: `evaluating on ${settings.episodes} held-out episodes` });
    const env = this.makeEnv();
    const rows: DrivingReport['rows'] = [];
    const trainer = this.trainer;
    for (const driver of ['agent', ...settings.baselines] as DriverKind[]) {
      let done = 0;
      const options = {
        episodes: settings.episodes,
        firstSeed: settings.heldOutSeed,
        onEpisode: async () => {
          const who = driver === 'agent' ? 'the agent' : driver;
          emit({ type: 'status', stage: 'evaluating', text: `evaluating ${who}: episode ${++done} of ${settings.episodes}` });
          await yieldToEvents();
        },
        onStep: () => this.maybeYield(),
      } as const;
      // The agent drives all its episodes side by side, one forward pass a step; the rule-based drivers one by one.
      const summary =
        driver === 'agent' && trainer
          ? await evaluateBatched(() => this.makeEnv(), this.agentPolicy(), options)
          : await evaluatePolicy(env, this.policyFor(driver, settings.heldOutSeed), options);
      rows.push({
        policy: driver,
        label: driver === 'agent' ? agentLabel(this.settings.agent.algorithm) : DRIVER_LABEL[driver],
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
