/**
 * The DQN update rule's arithmetic, kept out of TF.js so it can be checked by hand:
 * y = r + γ^k (1 − done) Q_target(s′, a*), k the steps r spans (1, or n for n-step returns), with a* = argmax_a Q_target(s′, a) for vanilla DQN
 * (Mnih et al. 2015) or argmax_a Q_online(s′, a) for double DQN (van Hasselt et al. 2016).
 */

/** Index of the largest of `values[offset .. offset + n)`, first one on ties. */
export function argmax(values: ArrayLike<number>, offset = 0, n = values.length - offset): number {
  let best = 0;
  let bestValue = values[offset]!;
  for (let a = 1; a < n; a++) {
    const v = values[offset + a]!;
    if (v > bestValue) {
      best = a;
      bestValue = v;
    }
  }
  return best;
}

/** The argmax of each of `rows` rows of `width` values laid end to end. */
export function argmaxRows(values: ArrayLike<number>, rows: number, width: number): Int32Array {
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) out[r] = argmax(values, r * width, width);
  return out;
}

/**
 * TD targets for a batch. `nextTarget` and `nextOnline` are row-major batch × numActions Q-values
 * of the next observations; `nextOnline` is read only for double DQN.
 */
export function tdTargets(options: {
  rewards: Float32Array;
  dones: Float32Array;
  nextTarget: ArrayLike<number>;
  nextOnline?: ArrayLike<number>;
  numActions: number;
  gamma: number;
  double: boolean;
  /** Steps each reward spans; all 1 when absent. */
  horizons?: ArrayLike<number>;
  out?: Float32Array;
}): Float32Array {
  const { rewards, dones, nextTarget, nextOnline, numActions, gamma, double, horizons } = options;
  if (double && !nextOnline) throw new Error('double DQN needs the online network\'s next Q-values');
  const out = options.out ?? new Float32Array(rewards.length);
  for (let b = 0; b < rewards.length; b++) {
    const row = b * numActions;
    const chooser = double ? nextOnline! : nextTarget;
    const next = nextTarget[row + argmax(chooser, row, numActions)]!;
    const discount = horizons && horizons[b] !== 1 ? gamma ** horizons[b]! : gamma;
    out[b] = rewards[b]! + discount * (1 - dones[b]!) * next;
  }
  return out;
}

/** Huber loss of one residual: quadratic within ±delta, linear beyond. */
export function huber(residual: number, delta: number): number {
  const a = Math.abs(residual);
  return a <= delta ? 0.5 * a * a : delta * (a - 0.5 * delta);
}
