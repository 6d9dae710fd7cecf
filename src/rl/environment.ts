/**
 * The interface every environment a DQN agent trains on implements: the highway, and the tiny
 * corridor the learning tests use.
 */

export interface EnvStep {
  observation: Float32Array;
  reward: number;
  /** The episode ended by the task itself (a crash, the goal): no value to bootstrap from. */
  terminated: boolean;
  /** The episode was cut short by its time limit: the next state still has value. */
  truncated: boolean;
}

export interface RlEnvironment {
  /** Per-sample observation shape, as the Environment node infers it. */
  readonly observationShape: readonly number[];
  /** Length of the flattened observation. */
  readonly observationSize: number;
  readonly numActions: number;
  /** Starts an episode; equal seeds give equal episodes. */
  reset(seed: number): Float32Array;
  step(action: number): EnvStep;
  /** Time-averaged speed of the episode so far, for environments that have one. */
  readonly meanSpeed?: number;
  /** The episode in progress as plain data, so a checkpoint can resume mid-episode. */
  getState?(): unknown;
  setState?(state: unknown): void;
}
