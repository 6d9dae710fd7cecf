/**
 * The REINFORCE / PPO training loop: `numEnvs` environments stepped together, the network acting on
 * all of their observations in one forward pass, a time-out bootstrapping from the value of the
 * observation it cut off, and an update whenever the rollout is full. Episodes take seeds
 * `firstSeed`, `firstSeed + 1`, … in the order they start, so a run replays exactly.
 */
import type { ModelPlan } from '../../src/graph/plan';
import type { RlEnvironment } from '../../src/rl/environment';
import type { AgentParams } from '../../src/rl/schedule';
import { POLICY_CHECKPOINT_FORMAT, TRAINER_CHECKPOINT_FORMAT, type EpisodeReport, type PolicyCheckpoint, type RecentStats, type TrainerCheckpoint } from '../../src/protocol/rl-checkpoint';
import { RewardScaler } from '../../src/rl/reward-scale';
import { PolicyAgent } from './policy-agent';
import { RECENT_WINDOW, recentStats } from './rl-trainer';

export class PolicyTrainer {
  episode = 0;
  readonly recent: EpisodeReport[] = [];
  private seedsStarted = 0;
  private readonly observations: Float32Array;
  private readonly seeds: number[];
  private readonly returns: number[];
  private readonly lengths: number[];
  /** Divides the rewards the agent learns from, where its settings ask (`scaleRewards`). */
  private readonly scaler: RewardScaler | null;

  constructor(
    readonly envs: RlEnvironment[],
    readonly agent: PolicyAgent,
    readonly firstSeed: number,
  ) {
    const size = agent.rollout.observationSize;
    if (envs.length !== agent.params.numEnvs) throw new Error(`the agent steps ${agent.params.numEnvs} environments, ${envs.length} were given`);
    for (const env of envs) {
      if (env.observationSize !== size) throw new Error(`the environment observes ${env.observationSize} values, the network takes ${size}`);
    }
    this.observations = new Float32Array(envs.length * size);
    this.seeds = envs.map(() => 0);
    this.returns = envs.map(() => 0);
    this.lengths = envs.map(() => 0);
    this.scaler = agent.params.scaleRewards ? new RewardScaler(envs.length, agent.params.gamma) : null;
    envs.forEach((_, n) => this.startEpisode(n));
  }

  static create(envs: RlEnvironment[], model: ModelPlan, params: AgentParams, firstSeed: number): PolicyTrainer {
    return new PolicyTrainer(envs, new PolicyAgent(model, params), firstSeed);
  }

  get step(): number {
    return this.agent.step;
  }

  /** The environment the driving view shows. */
  get env(): RlEnvironment {
    return this.envs[0]!;
  }

  private startEpisode(n: number): void {
    const seed = this.firstSeed + this.seedsStarted++;
    this.seeds[n] = seed;
    this.returns[n] = 0;
    this.lengths[n] = 0;
    this.observations.set(this.envs[n]!.reset(seed), n * this.agent.rollout.observationSize);
  }

  /** One step of every environment (numEnvs environment steps); learns when the rollout fills. Returns the episodes it finished. */
  async advance(): Promise<EpisodeReport[]> {
    const { agent, envs } = this;
    const size = agent.rollout.observationSize;
    const n = envs.length;
    const before = this.observations.slice();
    const { actions, values, logProbs } = await agent.act(before, n);
    let rewards: Float32Array = new Float32Array(n);
    const dones = new Float32Array(n);
    const cut: { env: number; observation: Float32Array }[] = [];
    const finished: EpisodeReport[] = [];
    for (let k = 0; k < n; k++) {
      const env = envs[k]!;
      const r = env.step(actions[k]!);
      rewards[k] = r.reward;
      this.returns[k]! += r.reward;
      this.lengths[k]!++;
      if (r.terminated || r.truncated) {
        dones[k] = 1;
        if (!r.terminated) cut.push({ env: k, observation: r.observation });
        const report: EpisodeReport = {
          index: this.episode++,
          seed: this.seeds[k]!,
          return: this.returns[k]!,
          steps: this.lengths[k]!,
          meanSpeed: env.meanSpeed ?? null,
          crashed: r.terminated,
        };
        finished.push(report);
        this.recent.push(report);
        if (this.recent.length > RECENT_WINDOW) this.recent.shift();
        this.startEpisode(k);
      } else {
        this.observations.set(r.observation, k * size);
      }
    }
    // Scaled before the time-outs' bootstrap is added: the value is already in the scaled units.
    if (this.scaler) rewards = this.scaler.scale(rewards, dones);
    if (cut.length > 0) {
      // A time-out is no end of the task: its last reward also carries γ·V of what came next.
      const next = new Float32Array(cut.length * size);
      cut.forEach((c, i) => next.set(c.observation, i * size));
      const { values: nextValues } = await agent.forward(next, cut.length);
      cut.forEach((c, i) => (rewards[c.env] = rewards[c.env]! + agent.params.gamma * nextValues[i]!));
    }
    agent.rollout.add({ observations: before, actions, rewards, dones, values, logProbs });
    agent.step += n;
    if (agent.rollout.full) await agent.learn(this.observations);
    return finished;
  }

  /** Runs at least `steps` environment steps. */
  async train(steps: number): Promise<void> {
    const end = this.step + steps;
    while (this.step < end) await this.advance();
  }

  stats(): RecentStats {
    return recentStats(this.recent);
  }

  async checkpoint(): Promise<TrainerCheckpoint<PolicyCheckpoint>> {
    return {
      format: TRAINER_CHECKPOINT_FORMAT,
      version: 1,
      agent: await this.agent.checkpoint(),
      firstSeed: this.firstSeed,
      episode: this.episode,
      episodeReturn: this.returns[0]!,
      episodeSteps: this.lengths[0]!,
      observation: this.observations.slice(),
      env: this.envs.map((e) => (e.getState ? e.getState() : null)),
      recent: this.recent.map((r) => ({ ...r })),
      vector: { seedsStarted: this.seedsStarted, seeds: [...this.seeds], returns: [...this.returns], steps: [...this.lengths], ...(this.scaler ? { rewardScale: this.scaler.getState() } : {}) },
    };
  }

  /** A trainer continuing `checkpoint` on `envs` (fresh environments of the same configuration). */
  static async restore(envs: RlEnvironment[], model: ModelPlan, checkpoint: TrainerCheckpoint): Promise<PolicyTrainer> {
    if (checkpoint.format !== TRAINER_CHECKPOINT_FORMAT || checkpoint.version !== 1) {
      throw new Error(`not an RL run checkpoint this version can read (${String(checkpoint.format)} v${String(checkpoint.version)})`);
    }
    const saved = checkpoint.agent;
    if (saved.format !== POLICY_CHECKPOINT_FORMAT) throw new Error('this checkpoint is of a DQN agent: resume it with DQN');
    const states = checkpoint.env as unknown[];
    const vector = checkpoint.vector;
    if (!vector || !Array.isArray(states) || states.length !== envs.length) throw new Error(`the checkpoint holds ${Array.isArray(states) ? states.length : 0} environments, the run has ${envs.length}`);
    const trainer = new PolicyTrainer(envs, await PolicyAgent.restore(model, saved), checkpoint.firstSeed);
    trainer.episode = checkpoint.episode;
    trainer.recent.push(...checkpoint.recent.map((r) => ({ ...r })));
    trainer.seedsStarted = vector.seedsStarted;
    vector.seeds.forEach((s, n) => (trainer.seeds[n] = s));
    vector.returns.forEach((s, n) => (trainer.returns[n] = s));
    vector.steps.forEach((s, n) => (trainer.lengths[n] = s));
    if (trainer.scaler) {
      if (!vector.rewardScale) throw new Error('the checkpoint was saved without reward scaling: resume it with scaleRewards off');
      trainer.scaler.setState(vector.rewardScale);
    }
    trainer.observations.set(checkpoint.observation);
    envs.forEach((env, n) => {
      if (!env.setState) throw new Error('this environment cannot restore an episode in progress');
      env.setState(states[n]);
    });
    return trainer;
  }

  dispose(): void {
    this.agent.dispose();
  }
}
