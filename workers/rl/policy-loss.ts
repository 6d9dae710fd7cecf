/**
 * The policy-gradient losses on a network that ends in action logits followed by one value:
 * PPO's clipped surrogate (Schulman et al. 2017) and REINFORCE's −log π·A, each with the value
 * regression and the entropy bonus, and an update step that clips the gradients' global norm.
 */
import * as tf from '@tensorflow/tfjs';

/** The network's output split into its heads. */
export function splitHeads(output: tf.Tensor, numActions: number): { logits: tf.Tensor2D; value: tf.Tensor1D } {
  const rows = output.shape[0]!;
  return {
    logits: tf.slice(output, [0, 0], [rows, numActions]) as tf.Tensor2D,
    value: tf.reshape(tf.slice(output, [0, numActions], [rows, 1]), [rows]) as tf.Tensor1D,
  };
}

export interface PolicyBatch {
  /** Taken actions, int32 [B]. */
  actions: tf.Tensor1D;
  /** Advantages A_t [B] (normalised by the caller where wanted). */
  advantages: tf.Tensor1D;
  /** Value targets [B]. */
  returns: tf.Tensor1D;
  /** PPO: log π_old(a|s) when the action was taken [B]; absent for REINFORCE. */
  oldLogProbs?: tf.Tensor1D;
}

export interface PolicyLossSettings {
  numActions: number;
  /** PPO's ε; ignored without `oldLogProbs`. */
  clipRange: number;
  entropyCoef: number;
  valueCoef: number;
}

export interface PolicyLossParts {
  total: tf.Scalar;
  policy: tf.Scalar;
  value: tf.Scalar;
  entropy: tf.Scalar;
}

/**
 * total = policy + valueCoef·mean((R − V)²) − entropyCoef·mean(H(π)), where policy is PPO's
 * −mean(min(ρ·A, clip(ρ, 1 − ε, 1 + ε)·A)) with ρ = exp(log π − log π_old) when old log-probs are
 * given, else REINFORCE's −mean(log π(a|s)·A).
 */
export function policyLoss(output: tf.Tensor, batch: PolicyBatch, s: PolicyLossSettings): PolicyLossParts {
  const { logits, value } = splitHeads(output, s.numActions);
  const logProbsAll = tf.logSoftmax(logits);
  const taken = tf.oneHot(batch.actions, s.numActions).toFloat();
  const logProbs = tf.sum(tf.mul(logProbsAll, taken), 1);
  let policy: tf.Scalar;
  if (batch.oldLogProbs) {
    const ratio = tf.exp(tf.sub(logProbs, batch.oldLogProbs));
    const unclipped = tf.mul(ratio, batch.advantages);
    const clipped = tf.mul(tf.clipByValue(ratio, 1 - s.clipRange, 1 + s.clipRange), batch.advantages);
    policy = tf.neg(tf.mean(tf.minimum(unclipped, clipped))) as tf.Scalar;
  } else {
    policy = tf.neg(tf.mean(tf.mul(logProbs, batch.advantages))) as tf.Scalar;
  }
  const valueLoss = tf.mean(tf.square(tf.sub(batch.returns, value))) as tf.Scalar;
  const entropy = tf.mean(tf.neg(tf.sum(tf.mul(tf.exp(logProbsAll), logProbsAll), 1))) as tf.Scalar;
  const total = tf.sub(tf.add(policy, tf.mul(s.valueCoef, valueLoss)), tf.mul(s.entropyCoef, entropy)) as tf.Scalar;
  return { total, policy, value: valueLoss, entropy };
}

/**
 * One optimizer step on `loss()` with the gradients scaled by min(1, maxNorm / ‖g‖) (their global
 * norm), as PPO implementations clip; returns the loss parts' values.
 */
export async function clippedStep(
  optimizer: tf.Optimizer,
  variables: tf.Variable[],
  loss: () => PolicyLossParts,
  maxNorm: number,
): Promise<{ total: number; policy: number; value: number; entropy: number; gradNorm: number }> {
  let parts: [tf.Scalar, tf.Scalar, tf.Scalar] | undefined;
  const { value: total, grads } = optimizer.computeGradients(() => {
    const p = loss();
    parts = [tf.keep(p.policy), tf.keep(p.value), tf.keep(p.entropy)];
    return p.total;
  }, variables);
  const names = Object.keys(grads);
  const norm = tf.tidy(() => tf.sqrt(tf.addN(names.map((n) => tf.sum(tf.square(grads[n]!))))));
  const gradNorm = (await norm.data())[0]!;
  norm.dispose();
  const scale = gradNorm > maxNorm ? maxNorm / gradNorm : 1;
  const scaled: tf.NamedTensorMap = {};
  for (const n of names) scaled[n] = scale === 1 ? grads[n]! : tf.mul(grads[n]!, scale);
  optimizer.applyGradients(scaled);
  tf.dispose([...Object.values(grads), ...(scale === 1 ? [] : Object.values(scaled))]);
  const read = async (t: tf.Tensor): Promise<number> => (await t.data())[0]!;
  const values = { total: await read(total), policy: await read(parts![0]), value: await read(parts![1]), entropy: await read(parts![2]), gradNorm };
  tf.dispose([total, ...parts!]);
  return values;
}
