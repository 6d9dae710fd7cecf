/**
 * Optimizers and weight decay. SGD and Adam take decay as an L2 term in the loss (their gradient
 * then carries `weightDecay · w`, as in PyTorch's `weight_decay`); AdamW decays the weights
 * directly after each step (Loshchilov & Hutter), scaled by the current learning rate.
 */
import * as tf from '@tensorflow/tfjs';
import type { OptimizerSettings } from '../../nodes/training/optimizer';

/** An optimizer whose learning rate can be set before every step. */
export interface ScheduledOptimizer {
  optimizer: tf.Optimizer;
  setLearningRate(lr: number): void;
}

export function makeOptimizer(s: OptimizerSettings): ScheduledOptimizer {
  if (s.optimizer === 'sgd') {
    const opt = tf.train.momentum(s.learningRate, s.momentum, s.nesterov);
    return { optimizer: opt, setLearningRate: (lr) => opt.setLearningRate(lr) };
  }
  const opt = tf.train.adam(s.learningRate, s.beta1, s.beta2, s.epsilon);
  // AdamOptimizer reads `learningRate` as a plain number on every step but offers no setter.
  const writable = opt as unknown as { learningRate: number };
  return { optimizer: opt, setLearningRate: (lr) => (writable.learningRate = lr) };
}

/**
 * The weights that decay: convolution and dense kernels. Biases and BatchNorm's scale and shift
 * are left alone, as is usual for ResNets.
 */
export function decayedWeights(model: tf.LayersModel): tf.Variable[] {
  return model.trainableWeights
    .filter((w) => /(^|\/)(kernel|depthwise_kernel)(_\d+)?$/.test(w.originalName))
    .map((w) => w.read() as tf.Variable);
}

/** `0.5 · decay · Σ w²` over the kernels, so its gradient is `decay · w`. */
export function l2Penalty(kernels: readonly tf.Variable[], decay: number): tf.Scalar {
  return tf.tidy(() => tf.mul(0.5 * decay, tf.addN(kernels.map((k) => tf.sum(tf.square(k))))) as tf.Scalar);
}

/** AdamW's decoupled step: `w ← w · (1 − lr · decay)`. */
export function applyDecoupledDecay(kernels: readonly tf.Variable[], lr: number, decay: number): void {
  const factor = 1 - lr * decay;
  tf.tidy(() => {
    for (const k of kernels) k.assign(tf.mul(k, factor));
  });
}
