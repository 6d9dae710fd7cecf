/**
 * n-step returns (Sutton 1988; one of Rainbow's most useful parts, Hessel et al. 2018): instead of
 * (s, a, r, s′) the replay buffer receives (s_t, a_t, Σ_{i<k} γ^i r_{t+i}, s_{t+k}) with k = n, or
 * fewer steps where the episode ended first. A crash then reaches the Q-values of the states
 * n steps before it in one update instead of n.
 */

/** A step still waiting for the rewards that follow it. */
export interface PendingStep {
  observation: Float32Array;
  action: number;
  reward: number;
}

/** A transition ready for the replay buffer; `horizon` is k, the steps its return spans. */
export interface NStepTransition {
  observation: Float32Array;
  action: number;
  reward: number;
  next: Float32Array;
  terminated: boolean;
  horizon: number;
}

export class NStepAccumulator {
  private pending: PendingStep[] = [];

  constructor(
    readonly n: number,
    readonly gamma: number,
  ) {
    if (!Number.isInteger(n) || n < 1) throw new Error(`n-step horizon must be a positive integer, got ${n}`);
  }

  /**
   * Records one environment step and returns the transitions it completes: the oldest pending one
   * once n steps are gathered, or all of them when the episode ends (terminated: no bootstrap;
   * truncated: bootstrap from `next` after fewer steps).
   */
  push(observation: Float32Array, action: number, reward: number, next: Float32Array, terminated: boolean, truncated: boolean): NStepTransition[] {
    this.pending.push({ observation, action, reward });
    const out: NStepTransition[] = [];
    if (terminated || truncated) {
      while (this.pending.length > 0) out.push(this.emit(next, terminated));
    } else if (this.pending.length === this.n) {
      out.push(this.emit(next, false));
    }
    return out;
  }

  private emit(next: Float32Array, terminated: boolean): NStepTransition {
    let reward = 0;
    for (let i = this.pending.length - 1; i >= 0; i--) reward = this.pending[i]!.reward + this.gamma * reward;
    const first = this.pending.shift()!;
    return { observation: first.observation, action: first.action, reward, next, terminated, horizon: this.pending.length + 1 };
  }

  /** The steps not yet emitted, for checkpoints. */
  getState(): PendingStep[] {
    return this.pending.map((p) => ({ observation: p.observation.slice(), action: p.action, reward: p.reward }));
  }

  setState(pending: readonly PendingStep[]): void {
    if (pending.length >= this.n) throw new Error(`${pending.length} pending steps do not fit an ${this.n}-step horizon`);
    this.pending = pending.map((p) => ({ observation: p.observation.slice(), action: p.action, reward: p.reward }));
  }
}
