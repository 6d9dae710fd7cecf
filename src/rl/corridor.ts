/**
 * A tiny deterministic task for checking that a DQN learns at all: a corridor of `length` cells,
 * starting in cell 0. Moving left from cell 0 leaves at once with a small reward; reaching the
 * far end pays 1. The best policy walks right, so learning it needs values to propagate back
 * through `length - 2` bootstrapped steps past the tempting early exit.
 */
import type { EnvStep, RlEnvironment } from './environment';

export const CORRIDOR_EXIT_REWARD = 0.1;
export const CORRIDOR_GOAL_REWARD = 1;

export class CorridorEnv implements RlEnvironment {
  readonly observationShape: readonly number[];
  readonly observationSize: number;
  readonly numActions = 2;
  private position = 0;
  private steps = 0;

  constructor(
    readonly length = 5,
    readonly maxSteps = 2 * length,
  ) {
    this.observationShape = [length];
    this.observationSize = length;
  }

  private observe(): Float32Array {
    const obs = new Float32Array(this.length);
    obs[this.position] = 1;
    return obs;
  }

  reset(_seed: number): Float32Array {
    this.position = 0;
    this.steps = 0;
    return this.observe();
  }

  /** Action 0 walks left, 1 walks right. */
  step(action: number): EnvStep {
    this.steps++;
    if (action === 0 && this.position === 0) {
      return { observation: this.observe(), reward: CORRIDOR_EXIT_REWARD, terminated: true, truncated: false };
    }
    this.position += action === 1 ? 1 : -1;
    const atGoal = this.position === this.length - 1;
    return {
      observation: this.observe(),
      reward: atGoal ? CORRIDOR_GOAL_REWARD : 0,
      terminated: atGoal,
      truncated: !atGoal && this.steps >= this.maxSteps,
    };
  }

  getState(): { position: number; steps: number } {
    return { position: this.position, steps: this.steps };
  }

  setState(s: { position: number; steps: number }): void {
    this.position = s.position;
    this.steps = s.steps;
  }
}
