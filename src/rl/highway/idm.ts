/**
 * The Intelligent Driver Model and the MOBIL lane-change criterion as pure functions of speeds
 * and gaps, shared by the traffic, the ego's rule driver and the tests.
 */
import type { IdmParams, MobilParams } from './config';

/**
 * IDM acceleration of a vehicle at `speed` behind a leader `gap` metres ahead (bumper to bumper)
 * driving at `leaderSpeed`; no leader when `gap` is Infinity. Not clipped: callers apply their
 * vehicle's braking limit.
 */
export function idmAcceleration(p: IdmParams, speed: number, gap: number, leaderSpeed: number): number {
  const r = Math.max(speed, 0) / p.desiredSpeed;
  const free = 1 - (p.exponent === 4 ? r * r * r * r : Math.pow(r, p.exponent));
  if (!Number.isFinite(gap)) return p.maxAccel * free;
  const approach = (speed * (speed - leaderSpeed)) / (2 * Math.sqrt(p.maxAccel * p.comfortDecel));
  const desiredGap = p.minGap + Math.max(0, speed * p.timeHeadway + approach);
  // A vanishing or negative gap means contact: ask for the hardest braking there is.
  const ratio = desiredGap / Math.max(gap, 0.01);
  return p.maxAccel * (free - ratio * ratio);
}

/** Accelerations before and after a candidate lane change, for one driver and its two followers. */
export interface LaneChangeSituation {
  /** The driver's own acceleration now, and after the change behind its new leader. */
  selfNow: number;
  selfAfter: number;
  /** The new follower (in the target lane) now, and after the driver cuts in; 0 and 0 if none. */
  newFollowerNow: number;
  newFollowerAfter: number;
  /** The old follower (in the current lane) now, and after the driver leaves; 0 and 0 if none. */
  oldFollowerNow: number;
  oldFollowerAfter: number;
  /** Whether the gaps to the new leader and new follower are positive (no overlap). */
  fits: boolean;
}

/**
 * MOBIL's verdict: the acceleration advantage of the change, or null when it is unsafe (it would
 * not fit, or it would force the new follower to brake harder than `safeBraking`). `bias` is
 * added to the advantage, e.g. to favour the right lane.
 */
export function mobilAdvantage(p: MobilParams, s: LaneChangeSituation, bias = 0): number | null {
  if (!s.fits || s.newFollowerAfter < -p.safeBraking) return null;
  const followers = s.newFollowerAfter - s.newFollowerNow + (s.oldFollowerAfter - s.oldFollowerNow);
  return s.selfAfter - s.selfNow + p.politeness * followers + bias;
}
