/**
 * The DQN training loop over any `RlEnvironment`: act, step, store, learn, one environment step at
 * a time, so the worker can interleave events and pauses and the bench can run it headless. Episode
 * k is played on seed `firstSeed + k`; evaluation seeds live elsewhere (the Evaluator's heldOutSeed).
 */
import type { ModelPlan } from '../../src/graph/plan';
import type { RlEnvironment } from '../../src/rl/environment';
import type { AgentParams } from '../../src/rl/schedule';
import { DQN_CHECKPOINT_FORMAT, DqnAgent, type DqnCheckpoint } from './dqn';
import { TRAINER_CHECKPOINT_FORMAT, type EpisodeReport, type RecentStats, type TrainerCheckpoint } from '../../src/protocol/rl-checkpoint';

export { TRAINER_CHECKPOINT_FORMAT, type EpisodeReport, type RecentStats, type TrainerCheckpoint };

export interface StepReport {
  action: number;
  reward: number;
  /** The episode this step finished, if it finished one. */
  finished: EpisodeReport | null;
}

/** Episodes the running statistics average over. */
export const RECENT_WINDOW = 20;

/** Averages over the recent episodes (the live charts' "last 20"). */
export function recentStats(recent: readonly EpisodeReport[]): RecentStats {
  const n = recent.length;
  const speeds = recent.map((r) => r.meanSpeed).filter((s): s is number => s !== null);
  return {
    episodes: n,
    meanReturn: n ? recent.reduce((s, r) => s + r.return, 0) / n : 0,
    meanSpeed: speeds.length ? speeds.reduce((a, b) => a + b, 0) / speeds.length : null,
    collisionRate: n ? recent.filter((r) => r.crashed).length / n : 0,
  };
}

export class RlTrainer {
  episode = 0;
  lastAction: number | null = null;
  readonly recent: EpisodeReport[] = [];
  private observation: Float32Array;
  private episodeReturn = 0;
  private episodeSteps = 0;

  constructor(
    readonly env: RlEnvironment,
    readonly agent: DqnAgent,
    readonly firstSeed: number,
  ) {
    if (env.observationSize !== agent.replay.observationSize) {
      throw new Error(`the environment observes ${env.observationSize} values, the network takes ${agent.replay.observationSize}`);
    }
    this.observation = env.reset(firstSeed);
  }

  static create(env: RlEnvironment, model: ModelPlan, params: AgentParams, firstSeed: number): RlTrainer {
    return new RlTrainer(env, new DqnAgent(model, params), firstSeed);
  }

  get step(): number {
    return this.agent.step;
  }

  /** Takes one ε-greedy environment step and learns from it as the schedule says. */
  async stepOnce(): Promise<StepReport> {
    const action = await this.agent.act(this.observation);
    const result = this.env.step(action);
    await this.agent.observe(this.observation, action, result.reward, result.observation, result.terminated, result.truncated);
    this.lastAction = action;
    this.episodeReturn += result.reward;
    this.episodeSteps++;
    this.observation = result.observation;
    let finished: EpisodeReport | null = null;
    if (result.terminated || result.truncated) {
      finished = {
        index: this.episode,
        seed: this.firstSeed + this.episode,
        return: this.episodeReturn,
        steps: this.episodeSteps,
        meanSpeed: this.env.meanSpeed ?? null,
        crashed: result.terminated,
      };
      this.recent.push(finished);
      if (this.recent.length > RECENT_WINDOW) this.recent.shift();
      this.episode++;
      this.episodeReturn = 0;
      this.episodeSteps = 0;
      this.observation = this.env.reset(this.firstSeed + this.episode);
    }
    return { action, reward: result.reward, finished };
  }

  /** Runs `steps` environment steps. */
  async train(steps: number, onEpisode?: (report: EpisodeReport) => void): Promise<void> {
    for (let k = 0; k < steps; k++) {
      const { finished } = await this.stepOnce();
      if (finished) onEpisode?.(finished);
    }
  }

  stats(): RecentStats {
    return recentStats(this.recent);
  }

  async checkpoint(includeReplay = true): Promise<TrainerCheckpoint<DqnCheckpoint>> {
    return {
      format: TRAINER_CHECKPOINT_FORMAT,
      version: 1,
      agent: await this.agent.checkpoint(includeReplay),
      firstSeed: this.firstSeed,
      episode: this.episode,
      episodeReturn: this.episodeReturn,
      episodeSteps: this.episodeSteps,
      observation: this.observation.slice(),
      env: this.env.getState ? this.env.getState() : null,
      recent: this.recent.map((r) => ({ ...r })),
    };
  }

  /** A trainer continuing `checkpoint` on `env` (a fresh environment of the same configuration). */
  static async restore(env: RlEnvironment, model: ModelPlan, checkpoint: TrainerCheckpoint): Promise<RlTrainer> {
    if (checkpoint.format !== TRAINER_CHECKPOINT_FORMAT || checkpoint.version !== 1) {
      throw new Error(`not an RL run checkpoint this version can read (${String(checkpoint.format)} v${String(checkpoint.version)})`);
    }
    if (checkpoint.agent.format !== DQN_CHECKPOINT_FORMAT) throw new Error('this checkpoint is of a policy-gradient agent: resume it with REINFORCE or PPO');
    const trainer = new RlTrainer(env, await DqnAgent.restore(model, checkpoint.agent), checkpoint.firstSeed);
    trainer.episode = checkpoint.episode;
    trainer.recent.push(...checkpoint.recent.map((r) => ({ ...r })));
    if (checkpoint.env !== null && env.setState) {
      env.setState(checkpoint.env);
      trainer.observation = checkpoint.observation.slice();
      trainer.episodeReturn = checkpoint.episodeReturn;
      trainer.episodeSteps = checkpoint.episodeSteps;
    } else {
      trainer.observation = env.reset(checkpoint.firstSeed + checkpoint.episode);
    }
    return trainer;
  }

  dispose(): void {
    this.agent.dispose();
  }
}
