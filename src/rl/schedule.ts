/**
 * The DQN's clocks, as pure functions of the environment step: the ε-greedy exploration rate,
 * when to take gradient steps and when to copy the online network into the target network.
 */

/** The Agent node's params (nodes/rl/agent.ts), as the plan carries them. */
export interface AgentParams {
  gamma: number;
  learningRate: number;
  /** 'linear' takes the learning rate down in a straight line to 0 at `totalSteps`. */
  learningRateSchedule: 'constant' | 'linear';
  epsilonStart: number;
  epsilonEnd: number;
  epsilonDecaySteps: number;
  replaySize: number;
  batchSize: number;
  targetSync: number;
  doubleDqn: boolean;
  learningStarts: number;
  trainEvery: number;
  gradientSteps: number;
  huberDelta: number;
  /** Steps summed into each replayed return before bootstrapping (1: one-step Q-learning). */
  nSteps: number;
  /** Replay transitions in proportion to |TD error|^priorityAlpha instead of uniformly. */
  prioritizedReplay: boolean;
  priorityAlpha: number;
  /** Importance-weight exponent β at the start; it grows linearly to 1 at `totalSteps`. */
  priorityBeta: number;
  totalSteps: number;
  seed: number;
}

/** Defaults equal to the Agent node's schema defaults. */
export const DEFAULT_AGENT_PARAMS: AgentParams = {
  gamma: 0.8,
  learningRate: 5e-4,
  learningRateSchedule: 'constant',
  epsilonStart: 1,
  epsilonEnd: 0.05,
  epsilonDecaySteps: 6000,
  replaySize: 15000,
  batchSize: 32,
  targetSync: 50,
  doubleDqn: true,
  learningStarts: 200,
  trainEvery: 1,
  gradientSteps: 1,
  huberDelta: 1,
  nSteps: 1,
  prioritizedReplay: false,
  priorityAlpha: 0.6,
  priorityBeta: 0.4,
  totalSteps: 20000,
  seed: 0,
};

/** ε at environment step `step`: linear from start to end over `epsilonDecaySteps`, then flat. */
export function epsilonAt(p: Pick<AgentParams, 'epsilonStart' | 'epsilonEnd' | 'epsilonDecaySteps'>, step: number): number {
  const t = Math.min(1, Math.max(0, step / p.epsilonDecaySteps));
  return p.epsilonStart + (p.epsilonEnd - p.epsilonStart) * t;
}

/**
 * Gradient steps to take after environment step `step` (1-based count of steps taken so far):
 * `gradientSteps` every `trainEvery` steps once `learningStarts` steps have been collected.
 */
export function gradientStepsAfter(p: Pick<AgentParams, 'learningStarts' | 'trainEvery' | 'gradientSteps'>, step: number): number {
  return step > p.learningStarts && step % p.trainEvery === 0 ? p.gradientSteps : 0;
}

/** Adam's learning rate for the gradient steps after environment step `step`. */
export function learningRateAt(p: Pick<AgentParams, 'learningRate' | 'learningRateSchedule' | 'totalSteps'>, step: number): number {
  if (p.learningRateSchedule !== 'linear') return p.learningRate;
  return p.learningRate * Math.max(0, 1 - step / p.totalSteps);
}

/** Prioritized replay's β at environment step `step`: from `priorityBeta` up to 1 at `totalSteps`. */
export function priorityBetaAt(p: Pick<AgentParams, 'priorityBeta' | 'totalSteps'>, step: number): number {
  const t = Math.min(1, Math.max(0, step / p.totalSteps));
  return p.priorityBeta + (1 - p.priorityBeta) * t;
}

/** Whether to copy online weights into the target network after environment step `step` (counted like SB3, in env steps). */
export function syncTargetAfter(p: Pick<AgentParams, 'targetSync'>, step: number): boolean {
  return step % p.targetSync === 0;
}
