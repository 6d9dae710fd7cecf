/**
 * An exponential moving average of a model's weights (Polyak averaging, as the CIFAR speedruns
 * use): the average generalizes better than the last weights of a noisy, fast schedule. Training
 * updates the model's own weights; evaluation, validation and checkpoints swap the average in.
 */
import * as tf from '@tensorflow/tfjs';

/**
 * The decay used after `step` steps: the set decay, or less early on, so the average does not
 * stay near the random initial weights for the first ~1/(1-decay) steps (TensorFlow's
 * `ExponentialMovingAverage` with `num_updates` does the same).
 */
export function emaDecayAt(decay: number, step: number): number {
  return Math.min(decay, (1 + step) / (10 + step));
}

/** The average of every weight of `model` (BatchNorm statistics included), in `model.weights` order. */
export class WeightAverage {
  private readonly shadow: tf.Variable[];

  constructor(
    private readonly model: tf.LayersModel,
    readonly decay: number,
  ) {
    this.shadow = model.weights.map((w) => {
      const copy = w.read().clone();
      const v = tf.variable(copy, false);
      copy.dispose();
      return v;
    });
  }

  /** Folds the model's current weights in, after optimizer step `step` (1-based). */
  update(step: number): void {
    const d = emaDecayAt(this.decay, step);
    tf.tidy(() => {
      this.model.weights.forEach((w, i) => {
        const s = this.shadow[i]!;
        s.assign(tf.add(tf.mul(s, d), tf.mul(w.read(), 1 - d)));
      });
    });
  }

  /** Restarts the average at the model's current weights (a resume loads them first). */
  copyFromModel(): void {
    this.model.weights.forEach((w, i) => this.shadow[i]!.assign(w.read()));
  }

  /** Runs `fn` with the average in the model's weights, then puts the training weights back. */
  async within<T>(fn: () => Promise<T>): Promise<T> {
    const training = this.model.weights.map((w) => w.read().clone());
    this.model.weights.forEach((w, i) => w.write(this.shadow[i]!));
    try {
      return await fn();
    } finally {
      this.model.weights.forEach((w, i) => w.write(training[i]!));
      tf.dispose(training);
    }
  }

  dispose(): void {
    tf.dispose(this.shadow);
  }
}
