/**
 * The DQN's clocks, as pure functions of the environment step: the ε-greedy exploration rate,
 * when to take gradient steps and when to copy the online network into the target network; and the
 * Agent's settings they read.
 */
import { z } from 'zod';

/**
 * The Agent node's settings, defined once: `nodes/rl/agent.ts` shows this schema in the editor, the
 * compiler fills its defaults into the plan, and the DQN reads the result.
 */
export const agentParams = z.object({
  /**
   * dqn: Q-learning from replay; reinforce: Monte Carlo policy gradient with a learned value
   * baseline; ppo: clipped-ratio policy optimisation with GAE over rollouts of `numEnvs`
   * environments. The two policy-gradient ones need a network ending in actions + 1 outputs
   * (logits, then the value).
   */
  algorithm: z.enum(['dqn', 'reinforce', 'ppo']).default('dqn'),
  gamma: z.number().min(0).max(0.9999).default(0.8),
  learningRate: z.number().positive().max(1).default(5e-4),
  /** 'linear' takes the learning rate down in a straight line to 0 at `totalSteps`, so the final policy is not a snapshot of one noisy update. */
  learningRateSchedule: z.enum(['constant', 'linear']).default('constant'),
  epsilonStart: z.number().min(0).max(1).default(1),
  epsilonEnd: z.number().min(0).max(1).default(0.05),
  epsilonDecaySteps: z.number().int().min(1).max(10_000_000).default(6000),
  replaySize: z.number().int().min(100).max(1_000_000).default(15000),
  batchSize: z.number().int().min(1).max(1024).default(32),
  targetSync: z.number().int().min(1).max(100_000).default(50),
  doubleDqn: z.boolean().default(true),
  learningStarts: z.number().int().min(0).max(1_000_000).default(200),
  trainEvery: z.number().int().min(1).max(1000).default(1),
  gradientSteps: z.number().int().min(1).max(64).default(1),
  huberDelta: z.number().positive().max(100).default(1),
  /** Steps summed into each replayed return before bootstrapping (1: one-step Q-learning). */
  nSteps: z.number().int().min(1).max(20).default(1),
  /** Replay transitions in proportion to |TD error|^priorityAlpha instead of uniformly. */
  prioritizedReplay: z.boolean().default(false),
  priorityAlpha: z.number().min(0).max(1).default(0.6),
  /** Importance-weight exponent β at the start; it grows linearly to 1 at `totalSteps`. */
  priorityBeta: z.number().min(0).max(1).default(0.4),
  totalSteps: z.number().int().min(1).max(10_000_000).default(20000),
  /** Policy gradient: environments stepped together, the network acting on all of them at once. */
  numEnvs: z.number().int().min(1).max(64).default(8),
  /** Policy gradient: steps each environment takes per rollout (one update per rollout). */
  rolloutSteps: z.number().int().min(2).max(4096).default(64),
  /** PPO: passes over each rollout, and rows per minibatch. */
  epochs: z.number().int().min(1).max(50).default(4),
  minibatchSize: z.number().int().min(1).max(8192).default(128),
  /** PPO: how far the probability ratio may move from 1 before the objective stops rewarding it. */
  clipRange: z.number().positive().max(1).default(0.2),
  /** PPO: GAE's λ (1: Monte Carlo advantages, 0: one-step TD). */
  gaeLambda: z.number().min(0).max(1).default(0.95),
  /** Policy gradient: weight of the entropy bonus and of the value loss. */
  entropyCoef: z.number().min(0).max(1).default(0.01),
  valueCoef: z.number().min(0).max(10).default(0.5),
  /** Policy gradient: gradients are scaled down to this global norm when longer. */
  maxGradNorm: z.number().positive().max(100).default(0.5),
  /**
   * Policy gradient: divide rewards by the running standard deviation of the discounted return
   * (src/rl/reward-scale.ts), so the value loss does not swamp the policy's gradient whatever the
   * reward's units. Returns and charts still show the environment's own rewards.
   */
  scaleRewards: z.boolean().default(false).describe('Divide rewards by the running spread of the discounted return, so the value loss stays near 1 whatever the reward units'),
  /**
   * Any algorithm: score the greedy policy on `validationEpisodes` validation episodes (seeds apart
   * from training's and the Evaluator's) at `validations` steps over the second half of training,
   * validate the best three again on as many new episodes at the end, and end with the weights
   * that scored best over both sets rather than the last update's.
   */
  keepBest: z
    .boolean()
    .default(false)
    .describe('End with the weights that drove best on validation episodes during the second half of training (the best three are validated again on new episodes at the end)'),
  validations: z.number().int().min(1).max(100).default(10),
  validationEpisodes: z.number().int().min(1).max(500).default(20),
  seed: z.number().int().min(0).max(2 ** 31 - 1).default(0),
});

/** Settings each algorithm reads (the rest are the others'): the inspector shows only these. */
export const ALGORITHM_PARAMS: Readonly<Record<AgentParams['algorithm'], readonly (keyof AgentParams)[]>> = {
  dqn: ['epsilonStart', 'epsilonEnd', 'epsilonDecaySteps', 'replaySize', 'batchSize', 'targetSync', 'doubleDqn', 'learningStarts', 'trainEvery', 'gradientSteps', 'huberDelta', 'nSteps', 'prioritizedReplay', 'priorityAlpha', 'priorityBeta'],
  reinforce: ['numEnvs', 'rolloutSteps', 'entropyCoef', 'valueCoef', 'maxGradNorm', 'scaleRewards'],
  ppo: ['numEnvs', 'rolloutSteps', 'epochs', 'minibatchSize', 'clipRange', 'gaeLambda', 'entropyCoef', 'valueCoef', 'maxGradNorm', 'scaleRewards'],
};

/** Whether the Agent's `key` setting matters to the algorithm `p` chose (and, for the validation settings, to keeping the best). */
export function agentParamShown(key: string, p: Pick<AgentParams, 'algorithm'> & { keepBest?: boolean }): boolean {
  if (key === 'validations' || key === 'validationEpisodes') return p.keepBest === true;
  const own = ALGORITHM_PARAMS[p.algorithm];
  const anyAlgorithm = Object.values(ALGORITHM_PARAMS).some((keys) => keys.includes(key as keyof AgentParams));
  return !anyAlgorithm || own.includes(key as keyof AgentParams);
}

/** The Agent's settings as the plan carries them (defaults filled in). */
export type AgentParams = z.infer<typeof agentParams>;

/** The schema's defaults, for code that builds settings without a graph (tests, benchmarks). */
export const DEFAULT_AGENT_PARAMS: AgentParams = Object.freeze(agentParams.parse({}));

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
