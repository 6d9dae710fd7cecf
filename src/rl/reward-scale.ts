/**
 * Reward scaling for the policy-gradient agents: each reward divided by the running standard
 * deviation of the discounted return, r̃ = r / sqrt(Var[G] + ε) with G ← γ·G + r per environment
 * (reset when its episode ends), as OpenAI Baselines' and Stable-Baselines3's `VecNormalize` do.
 *
 * Why: PPO and REINFORCE here share one network between the policy and the value. On the highway
 * the −30 collision reward made value losses of 40–140 whose gradients (norm 5–30) swamped the
 * policy's before clipping to 0.5; scaled, the value targets are of order 1 whatever the reward's
 * units. Only the mean is not removed (that would change which states are better to end in).
 */

export interface RewardScaleState {
  count: number;
  mean: number;
  /** Sum of squared deviations (Welford). */
  m2: number;
  /** Each environment's discounted return so far. */
  returns: number[];
}

const EPSILON = 1e-8;

export class RewardScaler {
  private count = 0;
  private mean = 0;
  private m2 = 0;
  private readonly returns: Float64Array;

  constructor(
    envs: number,
    readonly gamma: number,
  ) {
    this.returns = new Float64Array(envs);
  }

  /** The running variance of the discounted return (0 before two samples). */
  get variance(): number {
    return this.count > 1 ? this.m2 / this.count : 0;
  }

  /**
   * Scales one step's rewards (one per environment), updating the statistics with those
   * environments' returns first; `dones[n]` = 1 ends environment n's return after this step.
   */
  scale(rewards: Float32Array, dones: ArrayLike<number>): Float32Array {
    for (let n = 0; n < rewards.length; n++) {
      const g = this.gamma * this.returns[n]! + rewards[n]!;
      this.returns[n] = g;
      this.count++;
      const delta = g - this.mean;
      this.mean += delta / this.count;
      this.m2 += delta * (g - this.mean);
    }
    // Before any spread is seen (the first step) the rewards pass through unscaled.
    const divisor = this.count > 1 ? Math.sqrt(this.variance + EPSILON) : 1;
    const out = new Float32Array(rewards.length);
    for (let n = 0; n < rewards.length; n++) {
      out[n] = rewards[n]! / divisor;
      if (dones[n]) this.returns[n] = 0;
    }
    return out;
  }

  getState(): RewardScaleState {
    return { count: this.count, mean: this.mean, m2: this.m2, returns: [...this.returns] };
  }

  setState(state: RewardScaleState): void {
    if (state.returns.length !== this.returns.length) throw new Error(`the reward scale holds ${state.returns.length} environments, the run has ${this.returns.length}`);
    this.count = state.count;
    this.mean = state.mean;
    this.m2 = state.m2;
    this.returns.set(state.returns);
  }
}
