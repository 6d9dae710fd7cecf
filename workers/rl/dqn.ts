/**
 * The DQN agent on TF.js: an online and a target Q-network built from the plan's model, ε-greedy
 * acting, Huber-loss updates with Adam on replayed batches, optional double DQN, and checkpoints
 * that restore every bit of state the next action depends on (weights, Adam moments, the step
 * counter and the random generator, and the replay buffer unless left out).
 */
import * as tf from '@tensorflow/tfjs';
import type { ModelPlan } from '../../src/graph/plan';
import { Rng } from '../../src/rl/random';
import { NStepAccumulator } from '../../src/rl/n-step';
import { ReplayBuffer, type ReplayBatch } from '../../src/rl/replay-buffer';
import { epsilonAt, gradientStepsAfter, learningRateAt, priorityBetaAt, syncTargetAfter, type AgentParams } from '../../src/rl/schedule';
import { argmax, argmaxRows, tdTargets } from '../../src/rl/td-target';
import { buildModel } from '../model/model-builder';
import { readAdamPowers, writeAdamPowers } from '../model/optimizer-state';
import { fusedAdam } from '../model/fused-adam';
import { DQN_CHECKPOINT_FORMAT, type DqnCheckpoint, type SavedTensor } from '../../src/protocol/rl-checkpoint';

export { DQN_CHECKPOINT_FORMAT, type DqnCheckpoint, type SavedTensor };

/** Values, names and shapes of `named`, read back from the backend. */
export async function saveTensors(named: { name: string; tensor: tf.Tensor }[]): Promise<SavedTensor[]> {
  return Promise.all(
    named.map(async ({ name, tensor }) => ({ name, shape: [...tensor.shape], values: Float32Array.from(await tensor.data()) })),
  );
}

export class DqnAgent {
  readonly online: tf.LayersModel;
  readonly target: tf.LayersModel;
  readonly optimizer: tf.AdamOptimizer;
  readonly replay: ReplayBuffer;
  readonly numActions: number;
  /** Draws exploration and replay samples; its state is part of the checkpoint. */
  readonly rng: Rng;
  /** Environment steps observed so far. */
  step = 0;
  gradientSteps = 0;
  /** Huber loss of the latest gradient step, NaN before the first. */
  lastLoss = Number.NaN;
  private readonly inputShape: number[];
  private readonly batch: ReplayBatch;
  private readonly nStep: NStepAccumulator;

  constructor(
    readonly model: ModelPlan,
    readonly params: AgentParams,
  ) {
    this.online = buildModel(model, 'dqn_online');
    this.target = buildModel(model, 'dqn_target');
    this.target.trainable = false;
    this.optimizer = fusedAdam(params.learningRate);
    this.inputShape = [...model.inputShape];
    const observationSize = this.inputShape.reduce((a, b) => a * b, 1);
    this.numActions = model.outputShape[0]!;
    this.replay = new ReplayBuffer(params.replaySize, observationSize, params.prioritizedReplay ? params.priorityAlpha : null);
    this.batch = this.replay.allocateBatch(params.batchSize);
    this.nStep = new NStepAccumulator(params.nSteps ?? 1, params.gamma);
    this.rng = new Rng(params.seed);
    initializeWeights(this.online, new Rng(params.seed ^ 0x5eed));
    this.syncTarget();
  }

  /** ε for the current step. */
  get epsilon(): number {
    return epsilonAt(this.params, this.step);
  }

  /** Q-values of `rows` observations laid end to end (one row by default), row after row, in one forward pass. */
  async qValues(observations: Float32Array, rows = 1): Promise<Float32Array> {
    const q = tf.tidy(() => this.online.apply(tf.tensor(observations, [rows, ...this.inputShape]), { training: false }) as tf.Tensor);
    try {
      return (await q.data()) as Float32Array;
    } finally {
      q.dispose();
    }
  }

  async greedy(observation: Float32Array): Promise<number> {
    return argmax(await this.qValues(observation));
  }

  /** The greedy action of each of `rows` observations laid end to end, in one forward pass. */
  async greedyBatch(observations: Float32Array, rows: number): Promise<Int32Array> {
    return argmaxRows(await this.qValues(observations, rows), rows, this.numActions);
  }

  /**
   * ε-greedy action, ε from the schedule unless given. Both random draws are taken every call, so
   * the generator advances the same way whichever branch is taken.
   */
  async act(observation: Float32Array, epsilon = this.epsilon): Promise<number> {
    const explore = this.rng.next() < epsilon;
    const randomAction = this.rng.int(this.numActions);
    return explore ? randomAction : this.greedy(observation);
  }

  /**
   * Records a step (as n-step transitions once their returns are known) and, as the schedule says,
   * trains and syncs the target network. Only `terminated` cuts the bootstrap: a time-out
   * (`truncated`) still has a future; either ends the episode's pending n-step returns.
   */
  async observe(
    observation: Float32Array,
    action: number,
    reward: number,
    next: Float32Array,
    terminated: boolean,
    truncated = false,
  ): Promise<void> {
    for (const t of this.nStep.push(observation, action, reward, next, terminated, truncated)) {
      this.replay.add(t.observation, t.action, t.reward, t.next, t.terminated, t.horizon);
    }
    this.step++;
    const steps = gradientStepsAfter(this.params, this.step);
    // The rate is a function of the step, so a restored agent continues the same schedule.
    if (steps > 0) (this.optimizer as unknown as { learningRate: number }).learningRate = learningRateAt(this.params, this.step);
    for (let k = 0; k < steps; k++) {
      this.lastLoss = await this.trainBatch(this.replay.sample(this.rng, this.batch, priorityBetaAt(this.params, this.step)));
    }
    if (syncTargetAfter(this.params, this.step)) this.syncTarget();
  }

  /** One gradient step on `batch`; returns its Huber loss. */
  async trainBatch(batch: ReplayBatch): Promise<number> {
    const shape = [batch.size, ...this.inputShape];
    const [nextTarget, nextOnline] = tf.tidy(() => {
      const next = tf.tensor(batch.nextObservations, shape);
      // apply, not predict: predict cuts a batch into slices of 32 and joins them, extra kernels for nothing.
      const target = this.target.apply(next, { training: false }) as tf.Tensor;
      return this.params.doubleDqn ? [target, this.online.apply(next, { training: false }) as tf.Tensor] : [target];
    });
    const targets = tdTargets({
      rewards: batch.rewards,
      dones: batch.dones,
      nextTarget: await nextTarget!.data(),
      ...(nextOnline ? { nextOnline: await nextOnline.data() } : {}),
      numActions: this.numActions,
      gamma: this.params.gamma,
      double: this.params.doubleDqn,
      horizons: batch.horizons,
    });
    tf.dispose([nextTarget!, ...(nextOnline ? [nextOnline] : [])]);
    const variables = this.online.trainableWeights.map((w) => w.read() as tf.Variable);
    const prioritized = this.params.prioritizedReplay;
    let residual: tf.Tensor | undefined;
    const loss = tf.tidy(() => {
      const x = tf.tensor(batch.observations, shape);
      const y = tf.tensor1d(targets);
      const mask = tf.oneHot(tf.tensor1d(batch.actions, 'int32'), this.numActions).toFloat();
      const weights = prioritized ? tf.tensor1d(batch.weights) : null;
      return this.optimizer.minimize(
        () => {
          const q = this.online.apply(x, { training: true }) as tf.Tensor;
          const td = tf.sub(tf.sum(tf.mul(q, mask), 1), y);
          if (prioritized) residual = tf.keep(td);
          return huberMean(td, this.params.huberDelta, weights);
        },
        true,
        variables,
      )!;
    });
    const value = (await loss.data())[0]!;
    loss.dispose();
    if (residual) {
      this.replay.updatePriorities(batch.indices, await residual.data());
      residual.dispose();
    }
    this.gradientSteps++;
    return value;
  }

  syncTarget(): void {
    this.target.setWeights(this.online.getWeights());
  }

  async checkpoint(includeReplay = true): Promise<DqnCheckpoint> {
    const named = (m: tf.LayersModel): { name: string; tensor: tf.Tensor }[] =>
      m.weights.map((w) => ({ name: w.originalName, tensor: w.read() }));
    const optimizer = await saveOptimizer(this.optimizer);
    return {
      format: DQN_CHECKPOINT_FORMAT,
      version: 1,
      params: { ...this.params },
      step: this.step,
      gradientSteps: this.gradientSteps,
      rng: this.rng.getState(),
      online: await saveTensors(named(this.online)),
      target: await saveTensors(named(this.target)),
      optimizer,
      adamPowers: await readAdamPowers(this.optimizer),
      ...(includeReplay ? { replay: this.replay.getState() } : {}),
      pending: this.nStep.getState(),
    };
  }

  /** An agent for `model` in exactly the state `checkpoint` recorded. */
  static async restore(model: ModelPlan, checkpoint: DqnCheckpoint): Promise<DqnAgent> {
    if (checkpoint.format !== DQN_CHECKPOINT_FORMAT || checkpoint.version !== 1) {
      throw new Error(`not a DQN checkpoint this version can read (${String(checkpoint.format)} v${String(checkpoint.version)})`);
    }
    const agent = new DqnAgent(model, checkpoint.params);
    loadTensors(agent.online, checkpoint.online);
    loadTensors(agent.target, checkpoint.target);
    if (checkpoint.optimizer.length > 0) {
      await agent.optimizer.setWeights(checkpoint.optimizer.map((s) => ({ name: s.name, tensor: tf.tensor(s.values, s.shape) })));
    }
    writeAdamPowers(agent.optimizer, checkpoint.adamPowers);
    agent.step = checkpoint.step;
    agent.gradientSteps = checkpoint.gradientSteps;
    agent.rng.setState(checkpoint.rng);
    if (checkpoint.replay) agent.replay.load(checkpoint.replay);
    if (checkpoint.pending) agent.nStep.setState(checkpoint.pending);
    return agent;
  }

  dispose(): void {
    this.online.dispose();
    this.target.dispose();
    this.optimizer.dispose();
  }
}

/**
 * The optimizer's state as saved tensors. `getWeights` hands out its moment variables themselves
 * but makes a new scalar for the iteration count each call, which is disposed here: left alone it
 * stayed behind after every checkpoint.
 */
export async function saveOptimizer(optimizer: tf.Optimizer): Promise<SavedTensor[]> {
  const named = await optimizer.getWeights();
  try {
    return await saveTensors(named);
  } finally {
    for (const { name, tensor } of named) if (name === 'iter') tensor.dispose();
  }
}

/** Sets `model`'s weights from saved tensors, in weight order. */
export function loadTensors(model: tf.LayersModel, saved: SavedTensor[]): void {
  if (saved.length !== model.weights.length) throw new Error(`checkpoint has ${saved.length} tensors, the network ${model.weights.length}`);
  tf.tidy(() => model.setWeights(saved.map((s) => tf.tensor(s.values, s.shape))));
}

/**
 * Redraws every kernel from a seeded generator with the distribution model-builder gives it
 * (Glorot-uniform for dense, He-normal for convolutions), because TF.js initializers draw from an
 * unseeded global source and two runs of one plan would otherwise start, and end, differently.
 * Biases and normalization parameters start at constants already.
 */
export function initializeWeights(model: tf.LayersModel, rng: Rng): void {
  const values = model.weights.map((w) => {
    const shape = w.shape as number[];
    if (!w.originalName.endsWith('/kernel') || shape.length < 2) return w.read();
    const size = shape.reduce((a, b) => a * b, 1);
    const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
    const fanIn = receptive * shape[shape.length - 2]!;
    const fanOut = receptive * shape[shape.length - 1]!;
    const data = new Float32Array(size);
    if (shape.length === 2) {
      const limit = Math.sqrt(6 / (fanIn + fanOut));
      for (let k = 0; k < size; k++) data[k] = rng.uniform(-limit, limit);
    } else {
      const std = Math.sqrt(2 / fanIn);
      for (let k = 0; k < size; k++) data[k] = std * rng.normal();
    }
    return tf.tensor(data, shape);
  });
  model.setWeights(values);
  tf.dispose(values.filter((v, i) => v !== model.weights[i]!.read()));
}

/**
 * Mean Huber loss of residuals: quadratic within ±delta, linear beyond (PyTorch's smooth L1 at
 * delta 1); with `weights`, each row's loss is scaled first (prioritized replay's importance weights).
 */
function huberMean(residual: tf.Tensor, delta: number, weights: tf.Tensor | null = null): tf.Scalar {
  const magnitude = tf.abs(residual);
  const quadratic = tf.minimum(magnitude, delta);
  const linear = tf.sub(magnitude, quadratic);
  const rows = tf.add(tf.mul(0.5, tf.square(quadratic)), tf.mul(delta, linear));
  return tf.mean(weights ? tf.mul(rows, weights) : rows);
}
