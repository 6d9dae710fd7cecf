/**
 * What the agent sees. Two encodings, matching the Environment node's `observationShape`:
 * - kinematics `[(K+1)*5]`: the ego row, then the K nearest vehicles by longitudinal distance, each
 *   `presence, x, y, vx, vy` (HighwayEnv's Kinematics observation). Other vehicles are relative to
 *   the ego; rows of absent vehicles are zeros.
 * - occupancy grid `[lanes, gridBehind + gridAhead, 2]` (as in MIT DeepTraffic): per lane and road
 *   cell, presence and relative speed.
 */
import type { HighwayConfig } from './config';
import type { TrafficWorld } from './world';

export const KINEMATIC_FEATURES = 5;
/** Relative speeds are divided by this, then clipped to [-1, 1]. */
export const RELATIVE_SPEED_SCALE = 20;
/** The ego's own speed is divided by this (HighwayEnv's vehicle top speed). */
export const EGO_SPEED_SCALE = 40;

/** The observation's per-sample shape for a config; the Environment node infers its output with it. */
export function observationShape(config: HighwayConfig): number[] {
  if (config.observation === 'kinematics') return [(config.observedVehicles + 1) * KINEMATIC_FEATURES];
  if (config.observation === 'timeToCollision') return [TTC_EGO_FEATURES + 9 * TTC_BINS];
  return [config.lanes, config.gridAhead + config.gridBehind, 2];
}

export function observationSize(config: HighwayConfig): number {
  return observationShape(config).reduce((a, b) => a * b, 1);
}

function clip1(value: number): number {
  return value < -1 ? -1 : value > 1 ? 1 : value;
}

/** Writes the kinematics observation of the ego (vehicle 0) into `out`. */
export function kinematics(world: TrafficWorld, out: Float32Array): Float32Array {
  const { config } = world;
  const k = config.observedVehicles;
  const p = config.physics;
  const roadWidth = config.lanes * p.laneWidth;
  out.fill(0);
  out[0] = 1;
  out[2] = world.y[0]! / roadWidth;
  out[3] = world.v[0]! / EGO_SPEED_SCALE;
  out[4] = clip1(world.vy[0]! / RELATIVE_SPEED_SCALE);
  // Keep the k nearest by insertion into a short sorted list: k is small and this runs every step.
  const nearest: number[] = [];
  const distance: number[] = [];
  for (let j = 1; j < world.count; j++) {
    const d = Math.abs(world.relative(0, j));
    if (d > p.perception) continue;
    if (nearest.length === k && d >= distance[k - 1]!) continue;
    let at = nearest.length < k ? nearest.length : k - 1;
    while (at > 0 && distance[at - 1]! > d) {
      nearest[at] = nearest[at - 1]!;
      distance[at] = distance[at - 1]!;
      at--;
    }
    nearest[at] = j;
    distance[at] = d;
  }
  nearest.forEach((j, row) => {
    const o = (row + 1) * KINEMATIC_FEATURES;
    out[o] = 1;
    out[o + 1] = clip1(world.relative(0, j) / p.perception);
    out[o + 2] = clip1((world.y[j]! - world.y[0]!) / roadWidth);
    out[o + 3] = clip1((world.v[j]! - world.v[0]!) / RELATIVE_SPEED_SCALE);
    out[o + 4] = clip1((world.vy[j]! - world.vy[0]!) / RELATIVE_SPEED_SCALE);
  });
  return out;
}

/**
 * Writes the occupancy grid into `out` (row-major lanes × cells × 2). The ego's own cell holds
 * presence -1 and its speed, so the network can tell which lane it is in; other vehicles mark
 * presence 1 and their speed relative to the ego, in their lane and, while changing, their target.
 */
export function occupancyGrid(world: TrafficWorld, out: Float32Array): Float32Array {
  const { config } = world;
  const cells = config.gridAhead + config.gridBehind;
  const cell = config.physics.gridCellLength;
  out.fill(0);
  const mark = (lane: number, column: number, presence: number, speed: number): void => {
    const o = (lane * cells + column) * 2;
    out[o] = presence;
    out[o + 1] = speed;
  };
  for (let j = 1; j < world.count; j++) {
    const column = Math.floor(world.relative(0, j) / cell) + config.gridBehind;
    if (column < 0 || column >= cells) continue;
    const speed = clip1((world.v[j]! - world.v[0]!) / RELATIVE_SPEED_SCALE);
    mark(world.laneOf(j), column, 1, speed);
    if (world.targetLane[j] !== world.laneOf(j)) mark(world.targetLane[j]!, column, 1, speed);
  }
  if (config.gridBehind < cells) mark(world.laneOf(0), config.gridBehind, -1, world.v[0]! / EGO_SPEED_SCALE);
  return out;
}

export const TTC_EGO_FEATURES = 7;
/** One-second bins of the time-to-collision grid. */
export const TTC_BINS = 10;

/**
 * Time to collision: ego features (speed, speed rung, lane, offset from its target lane's centre,
 * changing lane, whether a lane exists to the left and to the right), then for each of the lanes
 * left of, at and right of the ego's target lane and each of the rungs below, at and above its
 * target speed, TTC_BINS one-second cells about the time t at which the ego, driving at that rung's
 * speed while everyone else keeps theirs, would first touch a vehicle (ahead or behind) in that
 * lane: cell b is 0 while b + 1 <= t, 1 from b >= t on, and b + 1 - t in the second where contact
 * falls, so the row sums to TTC_BINS - t and resolves fractions of a second. A lane off the road
 * stays all zeros: steering toward it does nothing, unlike steering into a car beside.
 */
export function timeToCollision(world: TrafficWorld, out: Float32Array): Float32Array {
  const { config } = world;
  const p = config.physics;
  const ladder = p.egoTargetSpeeds;
  const rung = world.egoSpeedIndex;
  const lane0 = world.targetLane[0]!;
  out.fill(0);
  out[0] = world.v[0]! / EGO_SPEED_SCALE;
  out[1] = ladder.length > 1 ? rung / (ladder.length - 1) : 0;
  out[2] = config.lanes > 1 ? lane0 / (config.lanes - 1) : 0;
  out[3] = clip1((world.y[0]! - lane0 * p.laneWidth) / p.laneWidth);
  out[4] = world.isChangingLane(0) ? 1 : 0;
  out[5] = lane0 > 0 ? 1 : 0;
  out[6] = lane0 < config.lanes - 1 ? 1 : 0;
  // Per rung (slower, same, faster): its speed, and the earliest contact found so far in a lane.
  const speeds = [-1, 0, 1].map((d) => ladder[Math.min(ladder.length - 1, Math.max(0, rung + d))]!);
  const first = [Infinity, Infinity, Infinity];
  for (let l = 0; l < 3; l++) {
    const lane = lane0 + l - 1;
    if (lane < 0 || lane >= config.lanes) continue;
    first.fill(Infinity);
    for (let j = 1; j < world.count; j++) {
      if (!world.occupies(j, lane)) continue;
      const dx = world.relative(0, j);
      const gap = Math.abs(dx) - p.vehicleLength;
      for (let s = 0; s < 3; s++) {
        const closing = dx > 0 ? speeds[s]! - world.v[j]! : world.v[j]! - speeds[s]!;
        const t = gap <= 0 ? 0 : closing > 0 ? gap / closing : Infinity;
        if (t < first[s]!) first[s] = t;
      }
    }
    for (let s = 0; s < 3; s++) {
      const o = TTC_EGO_FEATURES + (l * 3 + s) * TTC_BINS;
      // A ramp, not a step: cell b holds how much of second b + 1 passes after contact, so the
      // row's sum is the horizon minus the time to collision, exact to the fraction of a second.
      for (let b = Math.floor(first[s]!); b < TTC_BINS; b++) out[o + b] = Math.min(1, b + 1 - first[s]!);
    }
  }
  return out;
}

/** The observation the config asks for, in a fresh array. */
export function observe(world: TrafficWorld): Float32Array {
  const out = new Float32Array(observationSize(world.config));
  if (world.config.observation === 'kinematics') return kinematics(world, out);
  if (world.config.observation === 'timeToCollision') return timeToCollision(world, out);
  return occupancyGrid(world, out);
}
