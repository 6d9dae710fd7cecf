/**
 * HighwayEnv's reward, as a weighted sum of terms within HighwayEnv's vocabulary: collision, a
 * right-lane term growing linearly from the leftmost lane (0) to the rightmost (1), a high-speed
 * term mapping `rewardSpeedLow..High` onto 0..1, a distance term (metres covered this step over
 * what the top of the ego's speed ladder covers in one policy period, 0..1), and a per-lane-change
 * term; with `normalizeReward` the sum is mapped from its possible range onto [0, 1].
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
  /**
   * Metres travelled this step as a fraction of the most one policy period allows (top ladder
   * speed × period); 0 when not given, so callers without distances keep the other terms.
   */
  distanceFraction?: number;
}

/** The reward's terms, each already multiplied by its weight (raw, before normalisation). */
export interface RewardTerms {
  collision: number;
  speed: number;
  distance: number;
  rightLane: number;
  laneChange: number;
}

/** An episode's terms in the units of its return, plus the shift normalisation adds (0 without it). */
export type RewardBreakdown = RewardTerms & { offset: number };

/** The terms in the order the driving view lists them, with the user's names. */
export const REWARD_TERM_LABEL: Readonly<Record<keyof RewardTerms, string>> = {
  speed: 'speed',
  distance: 'distance',
  rightLane: 'right lane',
  laneChange: 'lane changes',
  collision: 'collision',
};

export const ZERO_TERMS: Readonly<RewardTerms> = Object.freeze({ collision: 0, speed: 0, distance: 0, rightLane: 0, laneChange: 0 });

/** The lowest and highest raw reward one step can give. */
export function rawRewardRange(p: EnvironmentParams): [number, number] {
  return [
    Math.min(0, p.collisionReward) + Math.min(0, p.laneChangeReward),
    Math.max(0, p.rightLaneReward) + Math.max(0, p.highSpeedReward) + Math.max(0, p.distanceReward) + Math.max(0, p.laneChangeReward),
  ];
}

/** The range rewards of one step fall in: [0, 1] when normalized, else the raw range. */
export function rewardRange(p: EnvironmentParams): [number, number] {
  return p.normalizeReward ? [0, 1] : rawRewardRange(p);
}

const clamp01 = (x: number): number => Math.min(1, Math.max(0, x));

/** Each weighted term of one step's reward. */
export function rewardTerms(p: EnvironmentParams, s: RewardInputs): RewardTerms {
  return {
    collision: s.crashed ? p.collisionReward : 0,
    speed: p.highSpeedReward * clamp01((s.speed - p.rewardSpeedLow) / (p.rewardSpeedHigh - p.rewardSpeedLow)),
    distance: p.distanceReward * clamp01(s.distanceFraction ?? 0),
    rightLane: p.rightLaneReward * (p.lanes > 1 ? s.lane / (p.lanes - 1) : 0),
    laneChange: s.laneChanged ? p.laneChangeReward : 0,
  };
}

/** Scale and offset that normalisation applies to a raw reward: normalized = raw · scale + offset. */
export function normalization(p: EnvironmentParams): { scale: number; offset: number } {
  if (!p.normalizeReward) return { scale: 1, offset: 0 };
  const [low, high] = rawRewardRange(p);
  return high > low ? { scale: 1 / (high - low), offset: -low / (high - low) } : { scale: 0, offset: 0 };
}

/** The reward of one step with its terms summed in a fixed order (the order decides the float result). */
export function rewardOfTerms(p: EnvironmentParams, t: RewardTerms): number {
  const raw = t.collision + t.rightLane + t.speed + t.laneChange + t.distance;
  if (!p.normalizeReward) return raw;
  const [low, high] = rawRewardRange(p);
  return high > low ? (raw - low) / (high - low) : 0;
}

export function highwayReward(p: EnvironmentParams, s: RewardInputs): number {
  return rewardOfTerms(p, rewardTerms(p, s));
}
