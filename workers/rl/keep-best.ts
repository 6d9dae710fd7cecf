/**
 * Keep the best: the agent's greedy policy is scored on validation episodes at `validations`
 * steps spread over the second half of training, and the run ends with the weights that scored
 * the highest mean return instead of whatever the last update left (SB3's EvalCallback with
 * `best_model_save_path` does the same). Validation seeds are their own range, apart from the
 * training episodes' seeds and from the Evaluator's held-out seeds, so the held-out score stays
 * an honest estimate.
 *
 * Why: on the highway a driver crashes on about 1 in 100 episodes, and which policy the final
 * update lands on decides whether a seed's 50 held-out episodes see a crash.
 */
import type * as tf from '@tensorflow/tfjs';
import type { BestWeightsState, SavedTensor } from '../../src/protocol/rl-checkpoint';
import { loadTensors, saveTensors } from './dqn';

/** First seed of the validation episodes unless the held-out range covers it (then {@link VALIDATION_SEED_ALTERNATE}). */
export const VALIDATION_SEED = 2_000_000_000;
export const VALIDATION_SEED_ALTERNATE = 1_500_000_000;

/** The validation episodes' first seed, clear of the held-out episodes [heldOutSeed, heldOutSeed + episodes). */
export function validationSeed(heldOut: { heldOutSeed: number; episodes: number } | null, validationEpisodes: number): number {
  if (!heldOut) return VALIDATION_SEED;
  const overlaps = (first: number): boolean => first < heldOut.heldOutSeed + heldOut.episodes && heldOut.heldOutSeed < first + validationEpisodes;
  return overlaps(VALIDATION_SEED) ? VALIDATION_SEED_ALTERNATE : VALIDATION_SEED;
}

/** The environment steps after which to validate: `validations` of them evenly over the second half, the last at `total`. */
export function validationSteps(total: number, validations: number): number[] {
  return Array.from({ length: validations }, (_, k) => Math.round(total * (0.5 + (0.5 * (k + 1)) / validations)));
}

export class BestWeights {
  private best: BestWeightsState | null = null;

  constructor(readonly steps: readonly number[]) {}

  /** Whether a validation step lies in (before, after]: a policy-gradient step moves several environments at once. */
  due(before: number, after: number): boolean {
    return this.steps.some((s) => s > before && s <= after);
  }

  get state(): BestWeightsState | null {
    return this.best;
  }

  /** Keeps `network`'s weights when `score` beats the best so far (ties keep the earlier). */
  async consider(step: number, score: number, network: tf.LayersModel): Promise<boolean> {
    if (this.best && !(score > this.best.score)) return false;
    const weights: SavedTensor[] = await saveTensors(network.weights.map((w) => ({ name: w.originalName, tensor: w.read() })));
    this.best = { step, score, weights };
    return true;
  }

  /** Loads the best weights into `network`; false when nothing was validated yet. */
  restoreInto(network: tf.LayersModel): boolean {
    if (!this.best) return false;
    loadTensors(network, this.best.weights);
    return true;
  }

  /** Continues from a checkpoint's best so far (never mutated here: `consider` replaces it whole). */
  load(state: BestWeightsState | undefined): void {
    this.best = state ?? null;
  }
}
