/**
 * An optimizer's state (iteration count, momentum or Adam moments) as one transferable buffer, so a
 * resumed run continues the same optimization instead of restarting its moment estimates. TF.js
 * optimizers match moments to variables by position, so the state fits any model built from the
 * same plan. Adam also keeps β₁ᵗ and β₂ᵗ privately; `setWeights` recomputes them as powers, which
 * differs in the last bits, so they are saved and put back exactly.
 */
import * as tf from '@tensorflow/tfjs';
import type { OptimizerState } from '../../src/protocol/checkpoint';

export type { OptimizerState };

/** The running powers AdamOptimizer keeps privately (tfjs-core 4.x field names). */
interface AdamPowers {
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
}

/** TF.js optimizers answer `instanceof` by duck typing (any optimizer is "an AdamOptimizer"): ask the class name. */
function isAdam(optimizer: tf.Optimizer): optimizer is tf.AdamOptimizer {
  return optimizer.getClassName() === 'Adam';
}

/** Adam's β₁ᵗ, β₂ᵗ, read exactly. */
export async function readAdamPowers(optimizer: tf.AdamOptimizer): Promise<[number, number]> {
  const { accBeta1, accBeta2 } = optimizer as unknown as AdamPowers;
  return [(await accBeta1.data())[0]!, (await accBeta2.data())[0]!];
}

export function writeAdamPowers(optimizer: tf.AdamOptimizer, powers: readonly [number, number]): void {
  const { accBeta1, accBeta2 } = optimizer as unknown as AdamPowers;
  tf.tidy(() => {
    accBeta1.assign(tf.scalar(powers[0]));
    accBeta2.assign(tf.scalar(powers[1]));
  });
}

export async function captureOptimizerState(optimizer: tf.Optimizer): Promise<OptimizerState> {
  const weights = await optimizer.getWeights();
  const { data, specs } = await tf.io.encodeWeights(weights);
  // getWeights makes a fresh scalar for the iteration count; the moments are the optimizer's own.
  tf.dispose(weights.map((w) => w.tensor).filter((t) => !(t instanceof tf.Variable)));
  return {
    specs,
    data: Array.isArray(data) ? tf.io.concatenateArrayBuffers(data) : data,
    ...(isAdam(optimizer) ? { adamPowers: await readAdamPowers(optimizer) } : {}),
  };
}

/** Puts `state` into `optimizer`, which must be of the kind that produced it, for the same model. */
export async function restoreOptimizerState(optimizer: tf.Optimizer, state: OptimizerState): Promise<void> {
  const named = tf.io.decodeWeights(state.data, state.specs);
  // Spec order is variable order: the map keeps it.
  await optimizer.setWeights(state.specs.map((s) => ({ name: s.name, tensor: named[s.name]! })));
  if (isAdam(optimizer) && state.adamPowers) writeAdamPowers(optimizer, state.adamPowers);
  tf.dispose(Object.values(named));
}
