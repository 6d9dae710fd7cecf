/**
 * An on-policy rollout: `steps` time steps of `envs` environments stepped together, stored
 * time-major in flat typed arrays (row t·envs + n), as PPO and REINFORCE gather them between
 * updates. Its state is plain data, so a checkpoint can stop and resume mid-rollout.
 */

/** One time step of every environment. */
export interface RolloutStep {
  observations: Float32Array;
  actions: Int32Array;
  rewards: Float32Array;
  dones: Float32Array;
  values: Float32Array;
  logProbs: Float32Array;
}

/** A whole rollout as plain data: the same arrays over every time step, and how many are filled. */
export interface RolloutState extends RolloutStep {
  steps: number;
  envs: number;
  observationSize: number;
  /** Time steps filled so far. */
  filled: number;
}

export class Rollout {
  readonly observations: Float32Array;
  readonly actions: Int32Array;
  readonly rewards: Float32Array;
  readonly dones: Float32Array;
  readonly values: Float32Array;
  readonly logProbs: Float32Array;
  filled = 0;

  constructor(
    readonly steps: number,
    readonly envs: number,
    readonly observationSize: number,
  ) {
    const rows = steps * envs;
    this.observations = new Float32Array(rows * observationSize);
    this.actions = new Int32Array(rows);
    this.rewards = new Float32Array(rows);
    this.dones = new Float32Array(rows);
    this.values = new Float32Array(rows);
    this.logProbs = new Float32Array(rows);
  }

  get rows(): number {
    return this.steps * this.envs;
  }

  get full(): boolean {
    return this.filled === this.steps;
  }

  add(s: RolloutStep): void {
    if (this.full) throw new Error('the rollout is full: learn from it before adding more steps');
    const row = this.filled * this.envs;
    this.observations.set(s.observations, row * this.observationSize);
    this.actions.set(s.actions, row);
    this.rewards.set(s.rewards, row);
    this.dones.set(s.dones, row);
    this.values.set(s.values, row);
    this.logProbs.set(s.logProbs, row);
    this.filled++;
  }

  clear(): void {
    this.filled = 0;
  }

  getState(): RolloutState {
    const rows = this.filled * this.envs;
    return {
      steps: this.steps,
      envs: this.envs,
      observationSize: this.observationSize,
      filled: this.filled,
      observations: this.observations.slice(0, rows * this.observationSize),
      actions: this.actions.slice(0, rows),
      rewards: this.rewards.slice(0, rows),
      dones: this.dones.slice(0, rows),
      values: this.values.slice(0, rows),
      logProbs: this.logProbs.slice(0, rows),
    };
  }

  load(s: RolloutState): void {
    if (s.steps !== this.steps || s.envs !== this.envs || s.observationSize !== this.observationSize) {
      throw new Error(`rollout state holds ${s.steps}×${s.envs}×${s.observationSize}, this rollout ${this.steps}×${this.envs}×${this.observationSize}`);
    }
    this.observations.set(s.observations);
    this.actions.set(s.actions);
    this.rewards.set(s.rewards);
    this.dones.set(s.dones);
    this.values.set(s.values);
    this.logProbs.set(s.logProbs);
    this.filled = s.filled;
  }
}
