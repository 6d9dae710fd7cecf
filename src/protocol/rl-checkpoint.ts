import type { RewardScaleState } from '../rl/reward-scale';
/**
 * A DQN run's checkpoint: the agent (weights, Adam moments, random generator, replay buffer), the
 * episode in progress and the recent history, structured-clone and IndexedDB friendly. Types and
 * format constants only.
 */
import type { PendingStep } from '../rl/n-step';
import type { RngState } from '../rl/random';
import type { ReplayBufferState } from '../rl/replay-buffer';
import type { RolloutState } from '../rl/rollout';
import type { AgentParams } from '../rl/schedule';

/** A tensor's values with its name and shape, structured-clone and IndexedDB friendly. */
export interface SavedTensor {
  name: string;
  shape: number[];
  values: Float32Array;
}

export const DQN_CHECKPOINT_FORMAT = 'tensorloom-dqn';

export interface DqnCheckpoint {
  format: typeof DQN_CHECKPOINT_FORMAT;
  version: 1;
  params: AgentParams;
  /** Environment steps observed. */
  step: number;
  gradientSteps: number;
  rng: RngState;
  online: SavedTensor[];
  target: SavedTensor[];
  /** Adam's iteration count and first and second moments, in variable order. */
  optimizer: SavedTensor[];
  /** Adam's running β₁ᵗ and β₂ᵗ, kept exactly: recomputing them as powers differs in the last bits. */
  adamPowers: [number, number];
  /** Absent when the checkpoint was taken without it; a resumed agent then starts with an empty buffer. */
  replay?: ReplayBufferState;
  /** Steps of the episode in progress still gathering their n-step return (absent: none). */
  pending?: PendingStep[];
}

export const POLICY_CHECKPOINT_FORMAT = 'tensorloom-policy-gradient';

/** A REINFORCE or PPO agent: its one network (logits and value), Adam, the generator, the rollout so far. */
export interface PolicyCheckpoint {
  format: typeof POLICY_CHECKPOINT_FORMAT;
  version: 1;
  params: AgentParams;
  step: number;
  updates: number;
  rng: RngState;
  /** The policy-and-value network (named `online` as the DQN's, so exports read either). */
  online: SavedTensor[];
  optimizer: SavedTensor[];
  adamPowers: [number, number];
  rollout: RolloutState;
}

/** Each environment's episode in progress in a run of several stepped together. */
export interface VectorEnvCheckpoint {
  /** Seeds handed out so far: the next episode to start plays seed firstSeed + seedsStarted. */
  seedsStarted: number;
  seeds: number[];
  returns: number[];
  steps: number[];
  /** The reward scaler's statistics, where the agent scales rewards (`scaleRewards`). */
  rewardScale?: RewardScaleState;
}

export interface EpisodeReport {
  index: number;
  seed: number;
  return: number;
  steps: number;
  /** Time-averaged speed (m/s), where the environment has one. */
  meanSpeed: number | null;
  /** Ended by termination rather than time-out; on the highway that means a collision. */
  crashed: boolean;
}

export interface RecentStats {
  episodes: number;
  meanReturn: number;
  meanSpeed: number | null;
  collisionRate: number;
}

export const TRAINER_CHECKPOINT_FORMAT = 'tensorloom-rl-run';

/** The best-validated weights so far of a run that keeps the best (workers/rl/keep-best.ts). */
export interface BestWeightsState {
  /** The environment step they were validated at. */
  step: number;
  /** Their mean validation return (after confirmation, over both sets of validation episodes). */
  score: number;
  weights: SavedTensor[];
  /** Set once the contenders were validated again and these were chosen: the episodes `score` averages over. */
  confirmedOn?: number;
}

/** A whole training run mid-flight: the agent, the episode in progress and the recent history. */
export interface TrainerCheckpoint<Agent extends DqnCheckpoint | PolicyCheckpoint = DqnCheckpoint | PolicyCheckpoint> {
  format: typeof TRAINER_CHECKPOINT_FORMAT;
  version: 1;
  agent: Agent;
  firstSeed: number;
  episode: number;
  episodeReturn: number;
  episodeSteps: number;
  observation: Float32Array;
  /** The environment's own state (`RlEnvironment.getState`), or null if it has none: the episode then restarts. */
  env: unknown;
  recent: EpisodeReport[];
  /** Runs of several environments (REINFORCE, PPO): `observation` then holds theirs end to end and `env` an array of their states. */
  vector?: VectorEnvCheckpoint;
  /** The best-validated weights so far, where the agent keeps the best. */
  best?: BestWeightsState;
  /** The next best-validated weights, still in contention for the final choice (absent once it is made). */
  runnersUp?: BestWeightsState[];
}
