/**
 * Held-out evaluation: a policy drives whole episodes on seeds never used in training; the summary
 * is what the Evaluator shows side by side for the agent and the baselines.
 */
import type { HighwayEnv } from './env';
import type { HighwayPolicy } from './policies';

export interface EpisodeResult {
  seed: number;
  return: number;
  /** Time-averaged ego speed, m/s. */
  meanSpeed: number;
  crashed: boolean;
  steps: number;
}

export interface EvaluationSummary {
  episodes: number;
  meanReturn: number;
  meanSpeed: number;
  /** Fraction of episodes that ended in a collision. */
  collisionRate: number;
  results: EpisodeResult[];
}

/** Plays one episode of `seed` to its end. */
export async function runEpisode(env: HighwayEnv, policy: HighwayPolicy, seed: number): Promise<EpisodeResult> {
  let observation = env.reset(seed);
  for (;;) {
    const step = env.step(await policy(observation, env));
    observation = step.observation;
    if (step.terminated || step.truncated) {
      return { seed, return: env.episodeReturn, meanSpeed: env.meanSpeed, crashed: step.crashed, steps: env.stepCount };
    }
  }
}

export function summarize(results: EpisodeResult[]): EvaluationSummary {
  const n = Math.max(1, results.length);
  const sum = (f: (r: EpisodeResult) => number): number => results.reduce((s, r) => s + f(r), 0);
  return {
    episodes: results.length,
    meanReturn: sum((r) => r.return) / n,
    meanSpeed: sum((r) => r.meanSpeed) / n,
    collisionRate: sum((r) => (r.crashed ? 1 : 0)) / n,
    results,
  };
}

/** Runs `episodes` episodes on seeds `firstSeed`, `firstSeed + 1`, …; `onEpisode` hears each result. */
export async function evaluatePolicy(
  env: HighwayEnv,
  policy: HighwayPolicy,
  options: { episodes: number; firstSeed: number; onEpisode?: (result: EpisodeResult) => void | Promise<void> },
): Promise<EvaluationSummary> {
  const results: EpisodeResult[] = [];
  for (let k = 0; k < options.episodes; k++) {
    const result = await runEpisode(env, policy, options.firstSeed + k);
    results.push(result);
    await options.onEpisode?.(result);
  }
  return summarize(results);
}
