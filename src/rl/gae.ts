/**
 * Generalized advantage estimation (Schulman et al. 2016) over a rollout of N environments
 * stepped together for T steps, rows laid out time-major (row t·N + n is environment n at step t).
 * λ = 1 gives Monte Carlo returns minus the value (REINFORCE with a baseline, bootstrapped only
 * where the rollout cuts an episode); λ = 0 one-step TD errors.
 */

export interface RolloutReturns {
  /** A_t, one per row. */
  advantages: Float32Array;
  /** A_t + V(s_t): the value head's regression target. */
  returns: Float32Array;
}

export interface GaeInput {
  steps: number;
  envs: number;
  /** r_t per row; a time-out's row already holds γ·V(final observation), so it bootstraps. */
  rewards: ArrayLike<number>;
  /** V(s_t) per row, as the network gave it while acting. */
  values: ArrayLike<number>;
  /** 1 where the row's step ended its episode (terminated or timed out), else 0. */
  dones: ArrayLike<number>;
  /** V of each environment's observation after the rollout's last step. */
  lastValues: ArrayLike<number>;
  gamma: number;
  lambda: number;
}

/** δ_t = r_t + γ·V(s_{t+1})·(1 − done_t) − V(s_t); A_t = δ_t + γλ·(1 − done_t)·A_{t+1}. */
export function generalizedAdvantages(g: GaeInput): RolloutReturns {
  const rows = g.steps * g.envs;
  for (const [name, a] of [['rewards', g.rewards], ['values', g.values], ['dones', g.dones]] as const) {
    if (a.length !== rows) throw new Error(`GAE: ${name} has ${a.length} rows, the rollout ${g.steps} × ${g.envs}`);
  }
  if (g.lastValues.length !== g.envs) throw new Error(`GAE: ${g.lastValues.length} last values for ${g.envs} environments`);
  const advantages = new Float32Array(rows);
  const returns = new Float32Array(rows);
  for (let n = 0; n < g.envs; n++) {
    let nextAdvantage = 0;
    let nextValue = g.lastValues[n]!;
    for (let t = g.steps - 1; t >= 0; t--) {
      const row = t * g.envs + n;
      const live = 1 - g.dones[row]!;
      const delta = g.rewards[row]! + g.gamma * nextValue * live - g.values[row]!;
      nextAdvantage = delta + g.gamma * g.lambda * live * nextAdvantage;
      advantages[row] = nextAdvantage;
      returns[row] = nextAdvantage + g.values[row]!;
      nextValue = g.values[row]!;
    }
  }
  return { advantages, returns };
}

/** (x − mean) / (std + 1e-8) over the given rows: PPO's per-minibatch advantage normalisation. */
export function normalized(values: ArrayLike<number>): Float32Array {
  const n = values.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += values[i]!;
  mean /= Math.max(1, n);
  let variance = 0;
  for (let i = 0; i < n; i++) variance += (values[i]! - mean) ** 2;
  const std = Math.sqrt(variance / Math.max(1, n));
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = (values[i]! - mean) / (std + 1e-8);
  return out;
}
