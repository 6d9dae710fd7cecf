import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, describe, expect, it } from 'vitest';
import { FusedAdamOptimizer } from './fused-adam';
import { readAdamPowers } from './optimizer-state';

afterAll(async () => {
  await tf.setBackend('cpu');
});

/** Five Adam steps on a small quadratic-ish loss from fixed weights; returns the weights, the moments and β powers. */
async function train(optimizer: tf.AdamOptimizer): Promise<{ weights: number[][]; moments: { name: string; values: number[] }[]; powers: [number, number] }> {
  const w = tf.variable(tf.tensor2d([0.5, -1.2, 2, 0.1, -0.3, 0.7], [2, 3]), true, 'w');
  const b = tf.variable(tf.tensor1d([0.05, -0.2, 0.3]), true, 'b');
  const x = tf.tensor2d([1, 2, -1, 0.5, 3, -2, 0.1, 0.2], [4, 2]);
  const y = tf.tensor2d([1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0], [4, 3]);
  for (let step = 0; step < 5; step++) {
    optimizer.minimize(() => tf.mean(tf.square(tf.sub(tf.add(tf.matMul(x, w), b), y))) as tf.Scalar, false, [w, b]);
  }
  const saved = await optimizer.getWeights();
  const result = {
    weights: [[...(await w.data())], [...(await b.data())]],
    moments: await Promise.all(saved.slice(1).map(async (s) => ({ name: s.name, values: [...(await s.tensor.data())] }))),
    powers: await readAdamPowers(optimizer),
  };
  tf.dispose([w, b, x, y, saved[0]!.tensor]);
  optimizer.dispose();
  return result;
}

describe.each(['cpu', 'wasm'])('FusedAdamOptimizer on %s', (backend) => {
  it('takes the steps stock Adam takes (weights, moments, β powers) and keeps its state format', async () => {
    await tf.setBackend(backend);
    const stock = await train(tf.train.adam(0.05));
    const fused = await train(new FusedAdamOptimizer(0.05));
    expect(fused.moments.map((m) => m.name)).toEqual(stock.moments.map((m) => m.name));
    expect(fused.powers[0]).toBe(stock.powers[0]);
    expect(fused.powers[1]).toBe(stock.powers[1]);
    const close = (a: number[], b: number[]) => a.forEach((v, i) => expect(Math.abs(v - b[i]!)).toBeLessThan(1e-6 * Math.max(1, Math.abs(b[i]!))));
    fused.weights.forEach((w, i) => close(w, stock.weights[i]!));
    fused.moments.forEach((m, i) => close(m.values, stock.moments[i]!.values));
    // The weights moved: a no-op optimizer would fail the comparison above only if stock did not move.
    expect(Math.abs(stock.weights[0]![0]! - 0.5)).toBeGreaterThan(0.1);
    expect(new FusedAdamOptimizer(0.1).getClassName()).toBe('Adam');
  });

  it('leaves no tensor behind per step', async () => {
    await tf.setBackend(backend);
    const w = tf.variable(tf.ones([64, 8]));
    const optimizer = new FusedAdamOptimizer(0.01);
    const step = () => optimizer.minimize(() => tf.sum(tf.square(w)) as tf.Scalar, false, [w]);
    step();
    const before = tf.memory().numTensors;
    for (let k = 0; k < 5; k++) step();
    expect(tf.memory().numTensors).toBe(before);
    optimizer.dispose();
    w.dispose();
  });
});
