/**
 * Held-out evaluation: a policy drives whole episodes on seeds never used in training; the summary
 * is what the Evaluator shows side by side for the agent and the baselines.
 */
import type { HighwayEnv } from './env';
import type { HighwayPolicy } from './policies';

/**
 * A policy that acts on many observations at once (`rows` of them laid end to end), one action per
 * row: a network's forward pass costs nearly the same for one row as for fifty.
 */
export type BatchPolicy = (observations: Float32Array, rows: number) => Promise<ArrayLike<number>>;

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

/**
 * The same episodes as {@link evaluatePolicy}, driven side by side: up to `width` environments step
 * in lockstep and `policy` chooses every live one's action in one call. Each episode is its seed's,
 * whatever runs beside it, so the results are those of one-by-one play; they come back in seed
 * order. `onEpisode` hears each result as its episode ends (not in seed order); `onStep` is awaited
 * after every lockstep (a worker yields there: all episodes may end together, at the very end).
 */
export async function evaluateBatched(
  makeEnv: () => HighwayEnv,
  policy: BatchPolicy,
  options: {
    episodes: number;
    firstSeed: number;
    width?: number;
    onEpisode?: (result: EpisodeResult) => void | Promise<void>;
    onStep?: () => void | Promise<void>;
  },
): Promise<EvaluationSummary> {
  const width = Math.max(1, Math.min(options.episodes, options.width ?? 64));
  const envs = Array.from({ length: width }, () => makeEnv());
  const results: EpisodeResult[] = [];
  // Lane k plays seed seeds[k]; its latest observation is observations[k]. undefined: the lane is done.
  const seeds: (number | undefined)[] = [];
  const observations: Float32Array[] = [];
  let next = 0;
  const begin = (k: number): void => {
    if (next >= options.episodes) {
      seeds[k] = undefined;
      return;
    }
    seeds[k] = options.firstSeed + next++;
    observations[k] = envs[k]!.reset(seeds[k]!);
  };
  for (let k = 0; k < width; k++) begin(k);
  const size = observations[0]?.length ?? 0;
  const batch = new Float32Array(width * size);
  const live: number[] = [];
  for (;;) {
    live.length = 0;
    for (let k = 0; k < width; k++) if (seeds[k] !== undefined) live.push(k);
    if (live.length === 0) break;
    live.forEach((k, row) => batch.set(observations[k]!, row * size));
    const actions = await policy(batch.subarray(0, live.length * size), live.length);
    for (let row = 0; row < live.length; row++) {
      const k = live[row]!;
      const env = envs[k]!;
      const step = env.step(actions[row]!);
      observations[k] = step.observation;
      if (!(step.terminated || step.truncated)) continue;
      const result = { seed: seeds[k]!, return: env.episodeReturn, meanSpeed: env.meanSpeed, crashed: step.crashed, steps: env.stepCount };
      results.push(result);
      await options.onEpisode?.(result);
      begin(k);
    }
    await options.onStep?.();
  }
  return summarize(results.sort((a, b) => a.seed - b.seed));
}
