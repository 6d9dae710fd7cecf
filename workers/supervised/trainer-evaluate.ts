/**
 * Scores a trained classifier on held-out images: loss, accuracy, per-class accuracy, confusion
 * matrix and a few sample predictions. Runs in inference mode, one batch at a time.
 */
import * as tf from '@tensorflow/tfjs';
import type { ImageSet } from '../../src/data/cifar';
import { batchRanges, toBatch } from './data';
import type { LossFn } from './trainer-loss';
import type { EvaluationReport, SamplePrediction } from '../../src/protocol/train';

export type { EvaluationReport, SamplePrediction };

export interface EvaluateOptions {
  numClasses: number;
  batchSize: number;
  /** How many sample predictions to return, spread evenly over the set. */
  samples: number;
  /** Raw pixels → model input (the augmenter's normalization). */
  prepare(x: tf.Tensor4D): tf.Tensor4D;
  loss: LossFn;
  probabilities: boolean;
  /**
   * Test-time flips: the model's output is the mean of its outputs on each image and on its
   * mirror image (left–right), a free ensemble for data that flips without changing class.
   */
  flip?: boolean;
}

/** Evaluates `model` on `set`; returns plain numbers, holds no tensors afterwards. */
export async function evaluateModel(model: tf.LayersModel, set: ImageSet, o: EvaluateOptions): Promise<EvaluationReport> {
  const k = o.numClasses;
  const confusion = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const sampleAt = new Map<number, number>();
  const nSamples = Math.min(o.samples, set.count);
  for (let s = 0; s < nSamples; s++) sampleAt.set(Math.floor((s * set.count) / nSamples), s);
  const samples: SamplePrediction[] = [];
  const size = set.shape[0] * set.shape[1] * set.shape[2];
  let lossSum = 0;
  for (const [from, to] of batchRanges(set.count, o.batchSize, false)) {
    const indices = Array.from({ length: to - from }, (_, i) => from + i);
    const batch = toBatch(set, indices, k);
    const [lossT, probsT] = tf.tidy(() => {
      const x = o.prepare(batch.xs);
      const plain = model.apply(x, { training: false }) as tf.Tensor2D;
      const out = o.flip ? tf.div(tf.add(plain, model.apply(tf.reverse(x, 2), { training: false }) as tf.Tensor2D), 2) : plain;
      return [o.loss(batch.ys, out), o.probabilities ? out : tf.softmax(out)] as const;
    });
    const [lossV, probs] = await Promise.all([lossT.data(), probsT.data()]);
    tf.dispose([lossT, probsT, batch.xs, batch.ys]);
    lossSum += lossV[0]! * (to - from);
    for (let i = 0; i < to - from; i++) {
      let best = 0;
      for (let c = 1; c < k; c++) if (probs[i * k + c]! > probs[i * k + best]!) best = c;
      const label = batch.labels[i]!;
      confusion[label]![best]!++;
      const index = from + i;
      if (sampleAt.has(index)) {
        samples.push({
          index,
          label,
          predicted: best,
          confidence: probs[i * k + best]!,
          pixels: set.images.slice(index * size, (index + 1) * size),
        });
      }
    }
  }
  const correct = confusion.reduce((s, row, c) => s + row[c]!, 0);
  const perClassAccuracy = confusion.map((row, c) => {
    const total = row.reduce((a, b) => a + b, 0);
    return total === 0 ? NaN : row[c]! / total;
  });
  return {
    count: set.count,
    loss: set.count > 0 ? lossSum / set.count : NaN,
    accuracy: set.count > 0 ? correct / set.count : NaN,
    perClassAccuracy,
    confusion,
    samples,
  };
}
