/**
 * The policy-gradient agent on TF.js, REINFORCE with a learned baseline or PPO: one network from
 * the plan whose output is the action logits followed by the state's value, acting on a batch of
 * observations (one row per environment), sampling actions from its softmax with the agent's own
 * generator, and learning once per full rollout. Checkpoints restore everything the next action
 * and update depend on: weights, Adam's moments, the generator, the step and the rollout so far.
 */
import * as tf from '@tensorflow/tfjs';
import type { ModelPlan } from '../../src/graph/plan';
import { Rng } from '../../src/rl/random';
import { Rollout } from '../../src/rl/rollout';
import { learningRateAt, type AgentParams } from '../../src/rl/schedule';
import { argmax, argmaxRows } from '../../src/rl/td-target';
import { buildModel } from '../model/model-builder';
import { readAdamPowers, writeAdamPowers } from '../model/optimizer-state';
import { fusedAdam } from '../model/fused-adam';
import { POLICY_CHECKPOINT_FORMAT, type PolicyCheckpoint, type SavedTensor } from '../../src/protocol/rl-checkpoint';
import { initializeWeights, loadTensors, saveOptimizer, saveTensors } from './dqn';
import { updateFromRollout, type UpdateStats } from './policy-update';

export interface Actions {
  actions: Int32Array;
  values: Float32Array;
  logProbs: Float32Array;
}

export class PolicyAgent {
  readonly network: tf.LayersModel;
  readonly optimizer: tf.AdamOptimizer;
  readonly rollout: Rollout;
  readonly numActions: number;
  readonly rng: Rng;
  /** Environment steps taken so far, all environments counted. */
  step = 0;
  updates = 0;
  /** The latest update's losses, null before the first. */
  last: UpdateStats | null = null;
  private readonly inputShape: number[];

  constructor(
    readonly model: ModelPlan,
    readonly params: AgentParams,
  ) {
    if (params.algorithm === 'dqn') throw new Error('PolicyAgent is for REINFORCE and PPO; DQN has DqnAgent');
    this.network = buildModel(model, 'policy');
    this.optimizer = fusedAdam(params.learningRate);
    this.inputShape = [...model.inputShape];
    this.numActions = model.outputShape[0]! - 1;
    if (this.numActions < 1) throw new Error(`the network gives ${model.outputShape[0]} outputs: a policy needs at least one logit and the value`);
    this.rollout = new Rollout(params.rolloutSteps, params.numEnvs, this.inputShape.reduce((a, b) => a * b, 1));
    this.rng = new Rng(params.seed);
    initializeWeights(this.network, new Rng(params.seed ^ 0x5eed));
  }

  /** Logits and values of `rows` observations laid end to end, in one forward pass. */
  async forward(observations: Float32Array, rows: number): Promise<{ logits: Float32Array; values: Float32Array }> {
    const out = tf.tidy(() => this.network.apply(tf.tensor(observations, [rows, ...this.inputShape]), { training: false }) as tf.Tensor);
    const data = (await out.data()) as Float32Array;
    out.dispose();
    const width = this.numActions + 1;
    const logits = new Float32Array(rows * this.numActions);
    const values = new Float32Array(rows);
    for (let r = 0; r < rows; r++) {
      logits.set(data.subarray(r * width, r * width + this.numActions), r * this.numActions);
      values[r] = data[r * width + this.numActions]!;
    }
    return { logits, values };
  }

  /** Samples one action per row from softmax(logits); one draw per row, so the generator advances the same way always. */
  async act(observations: Float32Array, rows: number): Promise<Actions> {
    const { logits, values } = await this.forward(observations, rows);
    const actions = new Int32Array(rows);
    const logProbs = new Float32Array(rows);
    const a = this.numActions;
    for (let r = 0; r < rows; r++) {
      const row = logits.subarray(r * a, (r + 1) * a);
      const top = Math.max(...row);
      let sum = 0;
      for (let k = 0; k < a; k++) sum += Math.exp(row[k]! - top);
      let u = this.rng.next() * sum;
      let chosen = a - 1;
      for (let k = 0; k < a; k++) {
        u -= Math.exp(row[k]! - top);
        if (u < 0) {
          chosen = k;
          break;
        }
      }
      actions[r] = chosen;
      logProbs[r] = row[chosen]! - top - Math.log(sum);
    }
    return { actions, values, logProbs };
  }

  /** The most likely action: how the trained agent drives in evaluations. */
  async greedy(observation: Float32Array): Promise<number> {
    return argmax((await this.forward(observation, 1)).logits);
  }

  /** The most likely action of each of `rows` observations laid end to end, in one forward pass. */
  async greedyBatch(observations: Float32Array, rows: number): Promise<Int32Array> {
    return argmaxRows((await this.forward(observations, rows)).logits, rows, this.numActions);
  }

  /** Learns from the full rollout, `lastObservations` being each environment's observation after its last step. */
  async learn(lastObservations: Float32Array): Promise<UpdateStats> {
    const { values } = await this.forward(lastObservations, this.params.numEnvs);
    (this.optimizer as unknown as { learningRate: number }).learningRate = learningRateAt(this.params, this.step);
    this.last = await updateFromRollout(this, values);
    this.updates++;
    this.rollout.clear();
    return this.last;
  }

  async checkpoint(): Promise<PolicyCheckpoint> {
    return {
      format: POLICY_CHECKPOINT_FORMAT,
      version: 1,
      params: { ...this.params },
      step: this.step,
      updates: this.updates,
      rng: this.rng.getState(),
      online: await saveTensors(this.network.weights.map((w) => ({ name: w.originalName, tensor: w.read() }))),
      optimizer: await saveOptimizer(this.optimizer),
      adamPowers: await readAdamPowers(this.optimizer),
      rollout: this.rollout.getState(),
    };
  }

  /** An agent for `model` in exactly the state `checkpoint` recorded. */
  static async restore(model: ModelPlan, checkpoint: PolicyCheckpoint): Promise<PolicyAgent> {
    if (checkpoint.format !== POLICY_CHECKPOINT_FORMAT || checkpoint.version !== 1) {
      throw new Error(`not a policy-gradient checkpoint this version can read (${String(checkpoint.format)} v${String(checkpoint.version)})`);
    }
    const agent = new PolicyAgent(model, checkpoint.params);
    loadTensors(agent.network, checkpoint.online);
    if (checkpoint.optimizer.length > 0) await agent.optimizer.setWeights(checkpoint.optimizer.map((s: SavedTensor) => ({ name: s.name, tensor: tf.tensor(s.values, s.shape) })));
    writeAdamPowers(agent.optimizer, checkpoint.adamPowers);
    agent.step = checkpoint.step;
    agent.updates = checkpoint.updates;
    agent.rng.setState(checkpoint.rng);
    agent.rollout.load(checkpoint.rollout);
    return agent;
  }

  dispose(): void {
    this.network.dispose();
    this.optimizer.dispose();
  }
}
