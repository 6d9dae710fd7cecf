import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { clippedStep, policyLoss } from './policy-loss';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/**
 * Two rows, two actions: logits [0, 0] and [1, 0], values 0.5 and −1, both took action 0.
 * π(0|s₀) = 0.5, π(0|s₁) = e/(e + 1) = 0.731059.
 */
function batch(oldProbs: [number, number] | null) {
  return {
    output: tf.tensor2d([
      [0, 0, 0.5],
      [1, 0, -1],
    ]),
    actions: tf.tensor1d([0, 0], 'int32'),
    advantages: tf.tensor1d([1, -2]),
    returns: tf.tensor1d([1, 0]),
    ...(oldProbs ? { oldLogProbs: tf.tensor1d(oldProbs.map(Math.log)) } : {}),
  };
}

const settings = { numActions: 2, clipRange: 0.2, entropyCoef: 0.01, valueCoef: 0.5 };
const values = (p: ReturnType<typeof policyLoss>) => ({
  total: p.total.dataSync()[0]!,
  policy: p.policy.dataSync()[0]!,
  value: p.value.dataSync()[0]!,
  entropy: p.entropy.dataSync()[0]!,
});

describe('policyLoss', () => {
  it("computes PPO's clipped objective by hand", () => {
    // Row 0: ρ = 0.5 / 0.4 = 1.25 > 1.2, A = 1 → min(1.25, 1.2) = 1.2.
    // Row 1: ρ = 0.731059 / 0.95 = 0.769536 < 0.8, A = −2 → min(−1.539072, −1.6) = −1.6.
    // Policy −mean(1.2, −1.6) = 0.2; value mean(0.5², 1²) = 0.625;
    // entropy mean(ln 2, 0.582203) = 0.637675; total 0.2 + 0.5·0.625 − 0.01·0.637675.
    const { output, ...b } = batch([0.4, 0.95]);
    const v = values(policyLoss(output, b, settings));
    expect(v.policy).toBeCloseTo(0.2, 5);
    expect(v.value).toBeCloseTo(0.625, 6);
    expect(v.entropy).toBeCloseTo(0.637675, 5);
    expect(v.total).toBeCloseTo(0.2 + 0.3125 - 0.00637675, 5);
  });

  it('uses the unclipped ratio inside the clip range', () => {
    // Row 0: ρ = 0.5 / 0.5 = 1 → 1; row 1: ρ = 0.731059 / 0.8 = 0.913824 → −1.827648.
    const { output, ...b } = batch([0.5, 0.8]);
    expect(values(policyLoss(output, b, settings)).policy).toBeCloseTo(-(1 - 1.827648) / 2, 5);
  });

  it("computes REINFORCE's −mean(log π · A) without old log-probabilities", () => {
    // −(ln 0.5 · 1 + ln 0.731059 · (−2)) / 2 = −(−0.693147 + 0.626523) / 2.
    const { output, ...b } = batch(null);
    expect(values(policyLoss(output, b, settings)).policy).toBeCloseTo(0.033312, 5);
  });
});

describe('clippedStep', () => {
  it('scales the gradient to the maximum global norm', async () => {
    // loss = 3w₁ + 4w₂: gradient (3, 4), norm 5; clipped to 0.5 it is (0.3, 0.4), and plain SGD
    // with rate 1 moves w by exactly that.
    const w = tf.variable(tf.tensor1d([0, 0]));
    const zero = tf.scalar(0);
    const result = await clippedStep(
      tf.train.sgd(1),
      [w],
      () => ({ total: tf.sum(tf.mul(w, tf.tensor1d([3, 4]))) as tf.Scalar, policy: zero.clone(), value: zero.clone(), entropy: zero.clone() }),
      0.5,
    );
    expect(result.gradNorm).toBeCloseTo(5, 5);
    const [a, b] = w.dataSync();
    expect(a).toBeCloseTo(-0.3, 6);
    expect(b).toBeCloseTo(-0.4, 6);
  });
});
