/**
 * TensorBoard's scalar smoothing: an exponential moving average, debiased so the first points are
 * not pulled towards zero (the average starts at 0; dividing by 1 − wⁿ undoes that start). A
 * non-finite value passes through unsmoothed and does not enter the average, and a constant
 * series is left as it is, as TensorBoard does.
 */

/**
 * Smooths `y` with weight `weight` in [0, 1): 0 returns the values, 0.99 follows them slowly.
 * Throws on a weight outside [0, 1], which no slider position gives.
 */
export function smoothEma(y: ArrayLike<number>, weight: number): Float64Array {
  if (!(weight >= 0 && weight <= 1)) throw new Error(`smoothing weight must lie in [0, 1], got ${weight}`);
  const out = new Float64Array(y.length);
  let constant = true;
  for (let i = 1; i < y.length; i++) if (y[i] !== y[0]) constant = false;
  let last = 0;
  let n = 0;
  for (let i = 0; i < y.length; i++) {
    const v = y[i]!;
    if (constant || !Number.isFinite(v)) {
      out[i] = v;
      continue;
    }
    last = last * weight + (1 - weight) * v;
    n++;
    out[i] = weight === 1 ? last : last / (1 - Math.pow(weight, n));
  }
  return out;
}
