/**
 * MOBIL lane-change decisions in the traffic world: gathering the accelerations the criterion
 * weighs (the driver's own, its new and old followers'), and picking the better adjacent lane.
 * Used by traffic vehicles and by the ego's IDM+MOBIL rule driver alike.
 */
import type { IdmParams } from './config';
import { idmAcceleration, mobilAdvantage, type LaneChangeSituation } from './idm';
import type { TrafficView } from './traffic-view';

/** IDM acceleration of follower `f` if its leader were `leader` (or none when -1). */
function idmBehind(world: TrafficView, f: number, leader: number): number {
  if (leader < 0) return idmAcceleration(world.idmOf(f), world.v[f]!, Infinity, 0);
  // Forward distance around the periodic road, as `neighbour` measures it.
  let ahead = world.x[leader]! - world.x[f]!;
  if (ahead < 0) ahead += world.length;
  return idmAcceleration(world.idmOf(f), world.v[f]!, ahead - world.physics.vehicleLength, world.v[leader]!);
}

/** What MOBIL needs to judge vehicle `i` (driving by `p`) moving from its lane to `lane`. */
export function laneChangeSituation(world: TrafficView, i: number, p: IdmParams, lane: number): LaneChangeSituation {
  const from = world.targetLane[i]!;
  world.neighbour(i, lane, 1);
  const newLeader = world.foundIndex;
  const newLeaderGap = world.foundGap;
  world.neighbour(i, lane, -1);
  const newFollower = world.foundIndex;
  const newFollowerGap = world.foundGap;
  world.neighbour(i, from, 1);
  const oldLeader = world.foundIndex;
  world.neighbour(i, from, -1);
  const oldFollower = world.foundIndex;
  return {
    selfNow: world.idmInLane(i, p, from),
    selfAfter: idmAcceleration(p, world.v[i]!, newLeaderGap, newLeader < 0 ? 0 : world.v[newLeader]!),
    newFollowerNow: newFollower < 0 ? 0 : idmBehind(world, newFollower, newLeader),
    newFollowerAfter: newFollower < 0 ? 0 : idmBehind(world, newFollower, i),
    oldFollowerNow: oldFollower < 0 ? 0 : idmBehind(world, oldFollower, i),
    oldFollowerAfter: oldFollower < 0 ? 0 : idmBehind(world, oldFollower, oldLeader),
    fits: newLeaderGap > 0 && newFollowerGap > 0,
  };
}

/** The adjacent lane MOBIL prefers for vehicle `i`, or -1 to stay. */
export function mobilChoice(world: TrafficView, i: number, p: IdmParams): number {
  const from = world.targetLane[i]!;
  const mobil = world.physics.mobil;
  let best = -1;
  let bestAdvantage = mobil.accelGain;
  for (let lane = from - 1; lane <= from + 1; lane += 2) {
    if (lane < 0 || lane >= world.config.lanes) continue;
    const advantage = mobilAdvantage(mobil, laneChangeSituation(world, i, p, lane));
    if (advantage !== null && advantage > bestAdvantage) {
      best = lane;
      bestAdvantage = advantage;
    }
  }
  return best;
}
