/**
 * Keep the best: the agent's greedy policy is scored on validation episodes at `validations`
 * steps spread over the second half of training, and the run ends with the weights that scored
 * the highest mean return instead of whatever the last update left (SB3's EvalCallback with
 * `best_model_save_path` does the same). The best three are kept; at the end they are validated
 * again on as many new episodes, and the best over both sets wins. Validation seeds are their own
 * range, apart from the training episodes' seeds and from the Evaluator's held-out seeds, so the
 * held-out score stays an honest estimate.
 *
 * Why: on the highway a driver crashes on about 1 in 100 episodes, and which policy the final
 * update lands on decides whether a seed's 50 held-out episodes see a crash. Every validation
 * drives the same episodes, so the best of ten is partly the luckiest on them; the second set
 * checks the front-runners on episodes none of them was chosen by.
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

/** How many of the best-validated weights are kept to be validated again at the end. */
export const CONTENDERS = 3;

export class BestWeights {
  /** The best-validated weights so far, best first (ties: the earlier first), at most `contenders`. */
  private ranked: BestWeightsState[] = [];

  constructor(
    readonly steps: readonly number[],
    readonly contenders = CONTENDERS,
  ) {}

  /** Whether a validation step lies in (before, after]: a policy-gradient step moves several environments at once. */
  due(before: number, after: number): boolean {
    return this.steps.some((s) => s > before && s <= after);
  }

  /** The best so far (after `confirm`, the one chosen over both sets of episodes). */
  get state(): BestWeightsState | null {
    return this.ranked[0] ?? null;
  }

  /** The runners-up still in contention (none once confirmed). */
  get runnersUp(): readonly BestWeightsState[] {
    return this.ranked.slice(1);
  }

  /** Whether the final choice has been made by validating the contenders again. */
  get confirmed(): boolean {
    return this.state?.confirmedOn !== undefined;
  }

  /**
   * Keeps `network`'s weights when `score` ranks among the best `contenders` so far; true when it
   * is the best (ties rank after the earlier weights).
   */
  async consider(step: number, score: number, network: tf.LayersModel): Promise<boolean> {
    const above = this.ranked.findIndex((c) => score > c.score);
    const rank = above === -1 ? this.ranked.length : above;
    if (rank >= this.contenders) return false;
    const weights: SavedTensor[] = await saveTensors(network.weights.map((w) => ({ name: w.originalName, tensor: w.read() })));
    this.ranked.splice(rank, 0, { step, score, weights });
    this.ranked.length = Math.min(this.ranked.length, this.contenders);
    return rank === 0;
  }

  /**
   * The final choice: each contender's weights go into `network` and are scored by `rescore` on a
   * second set of validation episodes, as many as the first; the one with the best mean return over
   * both sets is kept (ties: the better first score); `restoreInto` loads it. The maximum over a few
   * validations of the same episodes favours weights that were lucky on them (a crash on 1 episode
   * in 100 goes unseen in 50 more often than not); new episodes make that luck count for less.
   * With a single contender, or when already confirmed, nothing is scored again.
   */
  async confirm(
    network: tf.LayersModel,
    episodes: number,
    rescore: (contender: BestWeightsState) => Promise<number>,
  ): Promise<BestWeightsState | null> {
    if (this.ranked.length < 2 || this.confirmed) return this.state;
    let chosen: BestWeightsState | null = null;
    for (const contender of this.ranked) {
      loadTensors(network, contender.weights);
      const score = (contender.score + (await rescore(contender))) / 2;
      if (!chosen || score > chosen.score) chosen = { ...contender, score, confirmedOn: 2 * episodes };
    }
    this.ranked = [chosen!];
    return chosen;
  }

  /** Loads the best weights into `network`; false when nothing was validated yet. */
  restoreInto(network: tf.LayersModel): boolean {
    if (!this.state) return false;
    loadTensors(network, this.state.weights);
    return true;
  }

  /** Continues from a checkpoint's best and runners-up (never mutated here: `consider` and `confirm` replace them). */
  load(state: BestWeightsState | undefined, runnersUp: readonly BestWeightsState[] = []): void {
    this.ranked = state ? [state, ...runnersUp] : [];
  }
}
