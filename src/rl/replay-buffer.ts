/**
 * Experience replay: a fixed-capacity ring buffer of transitions over typed arrays, so a 15,000
 * transition buffer is a few flat allocations and sampling a batch copies rows, nothing more.
 */
import type { Rng } from './random';

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

  constructor(
    readonly capacity: number,
    readonly observationSize: number,
  ) {
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
    };
  }

  /** Fills `batch` with transitions drawn uniformly, with replacement, using `rng`. */
  sample(rng: Rng, batch: ReplayBatch): ReplayBatch {
    if (this.size === 0) throw new Error('cannot sample an empty replay buffer');
    const n = this.observationSize;
    for (let b = 0; b < batch.size; b++) {
      const at = rng.int(this.size);
      batch.observations.set(this.observations.subarray(at * n, (at + 1) * n), b * n);
      batch.nextObservations.set(this.nextObservations.subarray(at * n, (at + 1) * n), b * n);
      batch.actions[b] = this.actions[at]!;
      batch.rewards[b] = this.rewards[at]!;
      batch.dones[b] = this.dones[at]!;
      batch.horizons[b] = this.horizons[at]!;
    }
    return batch;
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
    this.size = s.size;
    this.next = s.next;
  }
}
