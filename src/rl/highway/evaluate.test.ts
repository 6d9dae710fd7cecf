import { describe, expect, it } from 'vitest';
import { HighwayEnv } from './env';
import { evaluateBatched, evaluatePolicy, type EpisodeResult } from './evaluate';

/** A deterministic action of the observation itself, so a row mixed up with another changes the play. */
function hashAction(observation: ArrayLike<number>): number {
  let h = 0;
  for (let k = 0; k < observation.length; k++) h = (h * 31 + Math.round(observation[k]! * 1000)) | 0;
  return Math.abs(h) % 5;
}

describe('evaluateBatched', () => {
  it('plays each seed exactly as one-by-one play does, with lanes reused as episodes end at different times', async () => {
    const episodes = 9;
    const firstSeed = 1_000_000;
    const alone = await evaluatePolicy(new HighwayEnv(), (o) => hashAction(o), { episodes, firstSeed });
    // Some episodes end in a crash, early, and some run to the time limit: lanes free up unevenly.
    const lengths = new Set(alone.results.map((r) => r.steps));
    expect(lengths.size).toBeGreaterThan(1);

    for (const width of [1, 4, 64]) {
      const calls: number[] = [];
      const heard: EpisodeResult[] = [];
      let steps = 0;
      const batched = await evaluateBatched(
        () => new HighwayEnv(),
        async (observations, rows) => {
          calls.push(rows);
          const size = observations.length / rows;
          return Array.from({ length: rows }, (_, r) => hashAction(observations.subarray(r * size, (r + 1) * size)));
        },
        { episodes, firstSeed, width, onEpisode: (r) => void heard.push(r), onStep: () => void steps++ },
      );
      expect(batched).toEqual(alone);
      expect(heard).toHaveLength(episodes);
      expect(Math.max(...calls)).toBe(Math.min(width, episodes));
      expect(steps).toBe(calls.length);
      // Side by side, a step serves every live episode: far fewer calls than decisions.
      const decisions = alone.results.reduce((s, r) => s + r.steps, 0);
      expect(calls.reduce((s, n) => s + n, 0)).toBe(decisions);
      if (width > 1) expect(calls.length).toBeLessThan(decisions / 2);
    }
  });
});
