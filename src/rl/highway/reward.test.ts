import { describe, expect, it } from 'vitest';
import { DEFAULT_ENVIRONMENT_PARAMS, type EnvironmentParams } from './config';
import { Action, HighwayEnv } from './env';
import { highwayReward, normalization, rawRewardRange, rewardTerms } from './reward';

const P: EnvironmentParams = {
  ...DEFAULT_ENVIRONMENT_PARAMS,
  lanes: 3,
  collisionReward: -2,
  rightLaneReward: 0.2,
  highSpeedReward: 0.5,
  distanceReward: 0.8,
  laneChangeReward: -0.1,
  rewardSpeedLow: 20,
  rewardSpeedHigh: 30,
  normalizeReward: false,
};

describe('reward terms', () => {
  it('weights each term as computed by hand', () => {
    // Middle of 3 lanes (1/2), 24 m/s (0.4 of 20..30), 27 m of 30 (0.9), a lane change, no crash.
    const t = rewardTerms(P, { crashed: false, lane: 1, speed: 24, laneChanged: true, distanceFraction: 0.9 });
    expect(t.collision).toBe(0);
    expect(t.rightLane).toBeCloseTo(0.1, 12);
    expect(t.speed).toBeCloseTo(0.2, 12);
    expect(t.distance).toBeCloseTo(0.72, 12);
    expect(t.laneChange).toBeCloseTo(-0.1, 12);
    expect(highwayReward(P, { crashed: false, lane: 1, speed: 24, laneChanged: true, distanceFraction: 0.9 })).toBeCloseTo(0.92, 12);
    // A crash in the left lane below the speed range, having covered 10 m of 30.
    expect(highwayReward(P, { crashed: true, lane: 0, speed: 15, laneChanged: false, distanceFraction: 1 / 3 })).toBeCloseTo(-2 + 0.8 / 3, 12);
  });

  it('clamps the speed and distance fractions to 0..1', () => {
    const t = rewardTerms(P, { crashed: false, lane: 2, speed: 40, laneChanged: false, distanceFraction: 1.4 });
    expect(t.speed).toBeCloseTo(0.5, 12);
    expect(t.distance).toBeCloseTo(0.8, 12);
    expect(rewardTerms(P, { crashed: false, lane: 2, speed: 10, laneChanged: false, distanceFraction: -1 }).distance).toBe(0);
  });

  it('normalises over the range including the distance term', () => {
    // Lowest: crash + lane change = −2.1; highest: 0.2 + 0.5 + 0.8 = 1.5.
    expect(rawRewardRange(P)).toEqual([-2.1, 1.5]);
    const normalized = { ...P, normalizeReward: true };
    const { scale, offset } = normalization(normalized);
    expect(scale).toBeCloseTo(1 / 3.6, 12);
    expect(offset).toBeCloseTo(2.1 / 3.6, 12);
    expect(highwayReward(normalized, { crashed: false, lane: 1, speed: 24, laneChanged: true, distanceFraction: 0.9 })).toBeCloseTo((0.92 + 2.1) / 3.6, 12);
  });

  it('leaves the reward as before when the distance weight is 0', () => {
    const old = { ...P, distanceReward: 0 };
    const s = { crashed: false, lane: 2, speed: 27, laneChanged: true };
    expect(highwayReward(old, { ...s, distanceFraction: 0.7 })).toBe(0 + 0.2 + 0.5 * 0.7 + -0.1);
  });
});

describe('HighwayEnv reward breakdown', () => {
  it('pays the distance term for metres covered: an empty road at the top speed gives close to the full weight', () => {
    const env = new HighwayEnv({ ...P, vehicles: 0, highSpeedReward: 0, rightLaneReward: 0, laneChangeReward: 0, distanceReward: 1 });
    env.reset(0);
    env.step(Action.Faster);
    let last = 0;
    for (let k = 0; k < 6; k++) last = env.step(Action.Idle).reward;
    // The ego settles at the 30 m/s top of its ladder: 30 m per 1 s policy step.
    expect(last).toBeCloseTo(1, 2);
    expect(env.stepMetresAtTopSpeed).toBe(30);
  });

  it.each([false, true])('splits the episode return into its terms (normalized: %s)', (normalizeReward) => {
    const env = new HighwayEnv({ ...P, normalizeReward, vehicles: 20, density: 2 });
    env.reset(4);
    const actions = [Action.Faster, Action.LaneRight, Action.Idle, Action.LaneLeft, Action.Faster, Action.Slower, Action.LaneRight];
    for (let k = 0; k < 20; k++) {
      const r = env.step(actions[k % actions.length]!);
      if (r.terminated || r.truncated) break;
    }
    const b = env.snapshot().rewardTerms;
    const sum = b.collision + b.speed + b.distance + b.rightLane + b.laneChange + b.offset;
    expect(sum).toBeCloseTo(env.episodeReturn, 9);
    expect(b.distance).toBeGreaterThan(0);
    expect(b.laneChange).toBeLessThan(0);
    expect(b.offset === 0).toBe(!normalizeReward);
  });

  it('keeps the breakdown across getState / setState', () => {
    const env = new HighwayEnv({ ...P, vehicles: 10 });
    env.reset(2);
    for (let k = 0; k < 5; k++) env.step(k % 2 ? Action.LaneRight : Action.Faster);
    const copy = new HighwayEnv({ ...P, vehicles: 10 });
    copy.setState(structuredClone(env.getState()));
    expect(copy.snapshot().rewardTerms).toEqual(env.snapshot().rewardTerms);
  });
});
