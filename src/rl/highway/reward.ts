/**
 * HighwayEnv's reward: a collision term, a right-lane term growing linearly from the leftmost lane
 * (0) to the rightmost (1), a high-speed term mapping `rewardSpeedLow..High` onto 0..1, and an
 * optional per-lane-change term; with `normalizeReward` the sum is mapped from its possible range
 * onto [0, 1].
 */
import type { EnvironmentParams } from './config';

export interface RewardInputs {
  crashed: boolean;
  /** Lane index, 0 leftmost. */
  lane: number;
  /** Forward speed, m/s. */
  speed: number;
  /** Whether this step's action started a lane change. */
  laneChanged: boolean;
}

/** The lowest and highest raw reward one step can give. */
export function rawRewardRange(p: EnvironmentParams): [number, number] {
  return [
    Math.min(0, p.collisionReward) + Math.min(0, p.laneChangeReward),
    Math.max(0, p.rightLaneReward) + Math.max(0, p.highSpeedReward) + Math.max(0, p.laneChangeReward),
  ];
}

/** The range rewards of one step fall in: [0, 1] when normalized, else the raw range. */
export function rewardRange(p: EnvironmentParams): [number, number] {
  return p.normalizeReward ? [0, 1] : rawRewardRange(p);
}

export function highwayReward(p: EnvironmentParams, s: RewardInputs): number {
  const speedFraction = (s.speed - p.rewardSpeedLow) / (p.rewardSpeedHigh - p.rewardSpeedLow);
  const raw =
    (s.crashed ? p.collisionReward : 0) +
    p.rightLaneReward * (p.lanes > 1 ? s.lane / (p.lanes - 1) : 0) +
    p.highSpeedReward * Math.min(1, Math.max(0, speedFraction)) +
    (s.laneChanged ? p.laneChangeReward : 0);
  if (!p.normalizeReward) return raw;
  const [low, high] = rawRewardRange(p);
  return high > low ? (raw - low) / (high - low) : 0;
}
