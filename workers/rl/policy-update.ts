/**
 * One learning step of a policy-gradient agent from its full rollout. PPO: GAE(λ) advantages, then
 * `epochs` passes over the rollout in shuffled minibatches, each a clipped-surrogate step with the
 * value loss, the entropy bonus and gradient clipping. REINFORCE: Monte Carlo returns (GAE with
 * λ = 1, bootstrapped from the value only where the rollout cuts an episode) minus the learned
 * baseline, and one step on the whole rollout. Advantages are normalised per (mini)batch.
 */
import * as tf from '@tensorflow/tfjs';
import { generalizedAdvantages, normalized } from '../../src/rl/gae';
import type { Rng } from '../../src/rl/random';
import type { Rollout } from '../../src/rl/rollout';
import type { AgentParams } from '../../src/rl/schedule';
import { clippedStep, policyLoss } from './policy-loss';

export interface UpdateStats {
  policyLoss: number;
  valueLoss: number;
  entropy: number;
  /** Global gradient norm before clipping, averaged over the update's steps. */
  gradNorm: number;
}

/** What an update reads and changes of the agent. */
export interface UpdateTarget {
  readonly network: tf.LayersModel;
  readonly optimizer: tf.Optimizer;
  readonly rollout: Rollout;
  readonly rng: Rng;
  readonly params: AgentParams;
  readonly numActions: number;
}

/** Rows 0..n−1 in an order drawn from `rng` (Fisher–Yates). */
export function shuffledRows(n: number, rng: Rng): Int32Array {
  const order = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  return order;
}

export async function updateFromRollout(agent: UpdateTarget, lastValues: Float32Array): Promise<UpdateStats> {
  const { rollout: r, params: p } = agent;
  if (!r.full) throw new Error(`the rollout holds ${r.filled} of ${r.steps} steps: an update needs it full`);
  const ppo = p.algorithm === 'ppo';
  const { advantages, returns } = generalizedAdvantages({
    steps: r.steps,
    envs: r.envs,
    rewards: r.rewards,
    values: r.values,
    dones: r.dones,
    lastValues,
    gamma: p.gamma,
    lambda: ppo ? p.gaeLambda : 1,
  });
  const rows = r.rows;
  const size = ppo ? Math.min(p.minibatchSize, rows) : rows;
  const epochs = ppo ? p.epochs : 1;
  const variables = agent.network.trainableWeights.map((w) => w.read() as tf.Variable);
  const width = r.observationSize;
  const sums = { policyLoss: 0, valueLoss: 0, entropy: 0, gradNorm: 0 };
  let count = 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    const order = ppo ? shuffledRows(rows, agent.rng) : Int32Array.from({ length: rows }, (_, i) => i);
    for (let start = 0; start < rows; start += size) {
      const pick = order.subarray(start, Math.min(rows, start + size));
      const n = pick.length;
      const obs = new Float32Array(n * width);
      const actions = new Int32Array(n);
      const adv = new Float32Array(n);
      const ret = new Float32Array(n);
      const old = new Float32Array(n);
      pick.forEach((row, i) => {
        obs.set(r.observations.subarray(row * width, (row + 1) * width), i * width);
        actions[i] = r.actions[row]!;
        adv[i] = advantages[row]!;
        ret[i] = returns[row]!;
        old[i] = r.logProbs[row]!;
      });
      const tensors = {
        x: tf.tensor(obs, [n, ...agent.network.inputs[0]!.shape.slice(1).map(Number)]),
        actions: tf.tensor1d(actions, 'int32'),
        advantages: tf.tensor1d(n > 1 ? normalized(adv) : adv),
        returns: tf.tensor1d(ret),
        oldLogProbs: tf.tensor1d(old),
      };
      const result = await clippedStep(
        agent.optimizer,
        variables,
        () =>
          policyLoss(
            agent.network.apply(tensors.x, { training: true }) as tf.Tensor,
            { actions: tensors.actions, advantages: tensors.advantages, returns: tensors.returns, ...(ppo ? { oldLogProbs: tensors.oldLogProbs } : {}) },
            { numActions: agent.numActions, clipRange: p.clipRange, entropyCoef: p.entropyCoef, valueCoef: p.valueCoef },
          ),
        p.maxGradNorm,
      );
      tf.dispose(Object.values(tensors));
      sums.policyLoss += result.policy;
      sums.valueLoss += result.value;
      sums.entropy += result.entropy;
      sums.gradNorm += result.gradNorm;
      count++;
    }
  }
  return { policyLoss: sums.policyLoss / count, valueLoss: sums.valueLoss / count, entropy: sums.entropy / count, gradNorm: sums.gradNorm / count };
}
