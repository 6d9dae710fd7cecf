/**
 * Experience replay: a fixed-capacity ring buffer of transitions over typed arrays, so a 15,000
 * transition buffer is a few flat allocations and sampling a batch copies rows, nothing more.
 * Sampling is uniform, or prioritized (Schaul et al. 2016): in proportion to |TD error|^α, with
 * importance weights (N·P)^−β, normalized by the batch's largest, to undo the bias.
 */
import type { Rng } from './random';
import { SumTree } from './sum-tree';

/** Added to |TD error| so no transition's priority drops to zero. */
const PRIORITY_EPSILON = 1e-3;

/** A sampled mini-batch, rows laid out flat (batch × observationSize). */
export interface ReplayBatch {
  size: number;
  observations: Float32Array;
  actions: Int32Array;
  rewards: Float32Array;
  nextObservations: Float32Array;
  /** 1 where the episode terminated (no bootstrap), 0 otherwise, truncation included. */
  dones: Float32Array;
  /** Environment steps each reward spans (n-step returns): the bootstrap is discounted by γ^horizon. */
  horizons: Uint8Array;
  /** Slots the rows came from, to update their priorities after the gradient step. */
  indices: Int32Array;
  /** Importance-sampling weights of the rows (all 1 when sampling is uniform). */
  weights: Float32Array;
}

/** The buffer's content as plain data (typed arrays survive structured clone and IndexedDB). */
export interface ReplayBufferState {
  capacity: number;
  observationSize: number;
  size: number;
  next: number;
  observations: Float32Array;
  actions: Int32Array;
  rewards: Float32Array;
  nextObservations: Float32Array;
  dones: Float32Array;
  /** Absent in checkpoints written before n-step returns: every horizon is then 1. */
  horizons?: Uint8Array;
  /** Prioritized buffers: each slot's priority (already raised to α) and the largest |δ| + ε seen. */
  priorities?: Float64Array;
  maxPriority?: number;
}

export class ReplayBuffer {
  private readonly observations: Float32Array;
  private readonly nextObservations: Float32Array;
  private readonly actions: Int32Array;
  private readonly rewards: Float32Array;
  private readonly dones: Float32Array;
  private readonly horizons: Uint8Array;
  /** Transitions held, up to capacity. */
  size = 0;
  /** Slot the next transition goes to. */
  private next = 0;
  /** Present when sampling is prioritized. */
  private readonly tree: SumTree | null;
  private maxPriority = 1;

  constructor(
    readonly capacity: number,
    readonly observationSize: number,
    /** Prioritized sampling's exponent α (0 is uniform); null for plain uniform sampling. */
    readonly priorityAlpha: number | null = null,
  ) {
    this.tree = priorityAlpha === null ? null : new SumTree(capacity);
    this.observations = new Float32Array(capacity * observationSize);
    this.nextObservations = new Float32Array(capacity * observationSize);
    this.actions = new Int32Array(capacity);
    this.rewards = new Float32Array(capacity);
    this.dones = new Float32Array(capacity);
    this.horizons = new Uint8Array(capacity);
  }

  /** Stores a transition; `horizon` is the number of environment steps `reward` sums (1 unless n-step). */
  add(observation: Float32Array, action: number, reward: number, nextObservation: Float32Array, done: boolean, horizon = 1): void {
    const at = this.next;
    this.observations.set(observation, at * this.observationSize);
    this.nextObservations.set(nextObservation, at * this.observationSize);
    this.actions[at] = action;
    this.rewards[at] = reward;
    this.dones[at] = done ? 1 : 0;
    this.horizons[at] = horizon;
    // New transitions get the largest priority so far: each is replayed at least once soon.
    this.tree?.set(at, this.maxPriority ** this.priorityAlpha!);
    this.next = (at + 1) % this.capacity;
    this.size = Math.min(this.size + 1, this.capacity);
  }

  /** A batch buffer to reuse across `sample` calls. */
  allocateBatch(size: number): ReplayBatch {
    return {
      size,
      observations: new Float32Array(size * this.observationSize),
      actions: new Int32Array(size),
      rewards: new Float32Array(size),
      nextObservations: new Float32Array(size * this.observationSize),
      dones: new Float32Array(size),
      horizons: new Uint8Array(size),
      indices: new Int32Array(size),
      weights: new Float32Array(size).fill(1),
    };
  }

  /**
   * Fills `batch` with transitions drawn with replacement using `rng`: uniformly, or (prioritized)
   * one from each of `batch.size` equal slices of the priority mass, weighted by (N·P)^−β.
   */
  sample(rng: Rng, batch: ReplayBatch, beta = 1): ReplayBatch {
    if (this.size === 0) throw new Error('cannot sample an empty replay buffer');
    const n = this.observationSize;
    const tree = this.tree;
    const slice = tree ? tree.total / batch.size : 0;
    let largest = 0;
    for (let b = 0; b < batch.size; b++) {
      const at = tree ? tree.find((b + rng.next()) * slice) : rng.int(this.size);
      batch.indices[b] = at;
      if (tree) {
        const weight = (this.size * (tree.get(at) / tree.total)) ** -beta;
        batch.weights[b] = weight;
        largest = Math.max(largest, weight);
      }
      batch.observations.set(this.observations.subarray(at * n, (at + 1) * n), b * n);
      batch.nextObservations.set(this.nextObservations.subarray(at * n, (at + 1) * n), b * n);
      batch.actions[b] = this.actions[at]!;
      batch.rewards[b] = this.rewards[at]!;
      batch.dones[b] = this.dones[at]!;
      batch.horizons[b] = this.horizons[at]!;
    }
    if (tree && largest > 0) for (let b = 0; b < batch.size; b++) batch.weights[b] = batch.weights[b]! / largest;
    return batch;
  }

  /** Sets the priorities of the rows of the last sampled batch from their TD errors. */
  updatePriorities(indices: ArrayLike<number>, tdErrors: ArrayLike<number>): void {
    const tree = this.tree;
    if (!tree) return;
    for (let b = 0; b < indices.length; b++) {
      const p = Math.abs(tdErrors[b]!) + PRIORITY_EPSILON;
      this.maxPriority = Math.max(this.maxPriority, p);
      tree.set(indices[b]!, p ** this.priorityAlpha!);
    }
  }

  /** A copy of the filled part, for checkpoints. */
  getState(): ReplayBufferState {
    const rows = this.size * this.observationSize;
    return {
      capacity: this.capacity,
      observationSize: this.observationSize,
      size: this.size,
      next: this.next,
      observations: this.observations.slice(0, rows),
      actions: this.actions.slice(0, this.size),
      rewards: this.rewards.slice(0, this.size),
      nextObservations: this.nextObservations.slice(0, rows),
      dones: this.dones.slice(0, this.size),
      horizons: this.horizons.slice(0, this.size),
      ...(this.tree ? { priorities: this.tree.leaves(), maxPriority: this.maxPriority } : {}),
    };
  }

  /** Replaces the content with a saved state of the same capacity and observation size. */
  load(s: ReplayBufferState): void {
    if (s.capacity !== this.capacity || s.observationSize !== this.observationSize) {
      throw new Error(
        `replay state holds ${s.capacity}×${s.observationSize}, this buffer ${this.capacity}×${this.observationSize}`,
      );
    }
    this.observations.fill(0).set(s.observations);
    this.nextObservations.fill(0).set(s.nextObservations);
    this.actions.fill(0).set(s.actions);
    this.rewards.fill(0).set(s.rewards);
    this.dones.fill(0).set(s.dones);
    if (s.horizons) this.horizons.fill(0).set(s.horizons);
    else this.horizons.fill(1);
    if (this.tree) {
      // A buffer saved without priorities (uniform, or older) starts every stored transition equal.
      if (s.priorities) this.tree.load(s.priorities);
      else this.tree.load(Float64Array.from({ length: this.capacity }, (_, i) => (i < s.size ? 1 : 0)));
      this.maxPriority = s.maxPriority ?? 1;
    }
    this.size = s.size;
    this.next = s.next;
  }
}
