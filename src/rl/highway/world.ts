/**
 * The traffic world: a straight multi-lane road whose ends are joined (a periodic boundary), so
 * density stays constant however long an episode runs. Traffic drives by IDM and changes lanes by
 * MOBIL; vehicle 0 may be the ego, driven by a target speed and a target lane set from outside.
 * State lives in flat arrays (cheap to step, trivial to serialize); everything is deterministic.
 */
import { DEFAULT_PHYSICS, roadLength, type HighwayConfig, type IdmParams } from './config';
import { idmAcceleration } from './idm';
import { mobilChoice } from './lane-change';
import type { TrafficView } from './traffic-view';
import { Rng } from '../random';

/** The mutable state of a world, as plain JSON-safe data. */
export interface WorldState {
  time: number;
  hasEgo: boolean;
  egoSpeedIndex: number;
  x: number[];
  y: number[];
  v: number[];
  vy: number[];
  targetLane: number[];
  crashed: boolean[];
  desiredSpeed: number[];
  timeHeadway: number[];
  laneTimer: number[];
}

/** The headway the ego is credited with when others (and its rule driver) reason about it by IDM. */
export const EGO_TIME_HEADWAY = 1.5;

export class TrafficWorld implements TrafficView {
  readonly length: number;
  readonly count: number;
  time = 0;
  /** Index into the ego's speed ladder. */
  egoSpeedIndex = 1;
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly v: Float64Array;
  readonly vy: Float64Array;
  readonly accel: Float64Array;
  readonly targetLane: Int32Array;
  readonly crashed: Uint8Array;
  readonly desiredSpeed: Float64Array;
  readonly timeHeadway: Float64Array;
  readonly laneTimer: Float64Array;
  /** Results of the last `leader`/`follower` query, kept in fields to avoid allocating per call. */
  foundIndex = -1;
  foundGap = Infinity;
  private idm: IdmParams[] = [];
  private readonly laneMembers: Int32Array[];
  private readonly laneSize: Int32Array;
  /** `slot[lane * count + i]`: vehicle i's index in that lane's sorted list, or -1. */
  private readonly slot: Int32Array;
  private lanesDirty = true;

  constructor(
    readonly config: HighwayConfig,
    readonly hasEgo: boolean,
  ) {
    this.length = roadLength(config);
    this.count = config.vehicles + (hasEgo ? 1 : 0);
    const n = this.count;
    this.x = new Float64Array(n);
    this.y = new Float64Array(n);
    this.v = new Float64Array(n);
    this.vy = new Float64Array(n);
    this.accel = new Float64Array(n);
    this.targetLane = new Int32Array(n);
    this.crashed = new Uint8Array(n);
    this.desiredSpeed = new Float64Array(n);
    this.timeHeadway = new Float64Array(n);
    this.laneTimer = new Float64Array(n);
    this.laneMembers = Array.from({ length: config.lanes }, () => new Int32Array(n));
    this.laneSize = new Int32Array(config.lanes);
    this.slot = new Int32Array(config.lanes * n);
  }

  get physics(): HighwayConfig['physics'] {
    return this.config.physics;
  }

  /** Signed distance from vehicle `i` to `j` along the road, wrapped into [-length/2, length/2). */
  relative(i: number, j: number): number {
    return this.wrap(this.x[j]! - this.x[i]!);
  }

  wrap(d: number): number {
    const L = this.length;
    return d - L * Math.floor(d / L + 0.5);
  }

  /** The lane whose centre is nearest to vehicle `i`. */
  laneOf(i: number): number {
    const lane = Math.round(this.y[i]! / this.physics.laneWidth);
    return Math.min(this.config.lanes - 1, Math.max(0, lane));
  }

  /** Whether vehicle `j` counts as in `lane`: near its centre, or heading for it. */
  occupies(j: number, lane: number): boolean {
    const p = this.physics;
    return this.targetLane[j] === lane || Math.abs(this.y[j]! - lane * p.laneWidth) <= p.laneWidth / 2 + p.laneMargin;
  }

  isChangingLane(i: number): boolean {
    return Math.abs(this.y[i]! - this.targetLane[i]! * this.physics.laneWidth) > 0.1;
  }

  /** Sets vehicle `i`'s target lane (the ego's steering, a MOBIL decision). */
  setTargetLane(i: number, lane: number): void {
    this.targetLane[i] = lane;
    this.lanesDirty = true;
  }

  /**
   * Lists, per lane, the vehicles occupying it sorted along the road, and each vehicle's slot in
   * those lists; rebuilt only after something moved or steered. A member's leader is then simply
   * the next entry (cyclically, since the road is periodic).
   */
  private ensureLanes(): void {
    if (!this.lanesDirty) return;
    const x = this.x;
    this.slot.fill(-1);
    for (let lane = 0; lane < this.config.lanes; lane++) {
      const members = this.laneMembers[lane]!;
      let size = 0;
      for (let j = 0; j < this.count; j++) {
        if (!this.occupies(j, lane)) continue;
        // Insertion sort: a lane holds a handful of vehicles.
        let at = size++;
        while (at > 0 && x[members[at - 1]!]! > x[j]!) {
          members[at] = members[at - 1]!;
          at--;
        }
        members[at] = j;
      }
      this.laneSize[lane] = size;
      const base = lane * this.count;
      for (let k = 0; k < size; k++) this.slot[base + members[k]!] = k;
    }
    this.lanesDirty = false;
  }

  /**
   * Nearest vehicle ahead of `i` in `lane` (or behind, for `direction` -1), measured around the
   * periodic road: sets `foundIndex` (-1 if none) and `foundGap` (bumper to bumper; Infinity if none).
   */
  neighbour(i: number, lane: number, direction: 1 | -1): void {
    this.ensureLanes();
    const members = this.laneMembers[lane]!;
    const size = this.laneSize[lane]!;
    const L = this.length;
    const xi = this.x[i]!;
    const k = this.slot[lane * this.count + i]!;
    let best = -1;
    let bestDistance = Infinity;
    if (k >= 0) {
      if (size > 1) {
        best = members[(k + direction + size) % size]!;
        bestDistance = (this.x[best]! - xi) * direction;
        if (bestDistance < 0) bestDistance += L;
      }
    } else {
      for (let m = 0; m < size; m++) {
        const j = members[m]!;
        let d = (this.x[j]! - xi) * direction;
        if (d < 0) d += L;
        if (d < bestDistance) {
          best = j;
          bestDistance = d;
        }
      }
    }
    this.foundIndex = best;
    this.foundGap = best < 0 ? Infinity : bestDistance - this.physics.vehicleLength;
  }

  /** IDM parameters of vehicle `i`. */
  idmOf(i: number): IdmParams {
    return this.idm[i]!;
  }

  /** Rebuilds the per-vehicle IDM objects once, since the step loop reads them thousands of times. */
  private refreshIdm(): void {
    this.idm = Array.from({ length: this.count }, (_, i) => ({
      ...this.physics.idm,
      desiredSpeed: this.desiredSpeed[i]!,
      timeHeadway: this.timeHeadway[i]!,
    }));
  }

  /** IDM acceleration of `i` behind its leader in `lane`. */
  idmInLane(i: number, p: IdmParams, lane: number): number {
    this.neighbour(i, lane, 1);
    const leader = this.foundIndex;
    return idmAcceleration(p, this.v[i]!, this.foundGap, leader < 0 ? 0 : this.v[leader]!);
  }

  /** IDM acceleration of `i` given every lane it occupies: the most cautious of them. */
  idmAccel(i: number, p: IdmParams): number {
    this.ensureLanes();
    let a = Infinity;
    for (let lane = 0; lane < this.config.lanes; lane++) {
      if (this.slot[lane * this.count + i]! >= 0) a = Math.min(a, this.idmInLane(i, p, lane));
    }
    return Number.isFinite(a) ? a : idmAcceleration(p, this.v[i]!, Infinity, 0);
  }

  /** Advances the world by `dt` seconds. The ego follows its target speed and target lane. */
  substep(dt: number): void {
    const p = this.physics;
    for (let i = 0; i < this.count; i++) {
      if (this.crashed[i]) this.accel[i] = -p.maxBrake;
      else if (this.hasEgo && i === 0) {
        const target = p.egoTargetSpeeds[this.egoSpeedIndex]!;
        this.accel[i] = clamp(p.egoSpeedGain * (target - this.v[i]!), -p.egoMaxBrake, p.egoMaxAccel);
      } else this.accel[i] = clamp(this.idmAccel(i, this.idmOf(i)), -p.maxBrake, p.idm.maxAccel);
    }
    // Lane decisions are taken one vehicle at a time, so a later driver already sees an earlier
    // one's new target lane and two cars never merge into the same gap from both sides.
    for (let i = this.hasEgo ? 1 : 0; i < this.count; i++) {
      this.laneTimer[i] = this.laneTimer[i]! - dt;
      if (this.laneTimer[i]! > 0) continue;
      this.laneTimer[i] = this.laneTimer[i]! + p.laneChangeInterval;
      if (this.crashed[i] || this.isChangingLane(i)) continue;
      const lane = mobilChoice(this, i, this.idmOf(i));
      if (lane >= 0) this.setTargetLane(i, lane);
    }
    for (let i = 0; i < this.count; i++) {
      const v0 = this.v[i]!;
      const v1 = Math.max(0, v0 + this.accel[i]! * dt);
      this.x[i] = this.wrapPosition(this.x[i]! + 0.5 * (v0 + v1) * dt);
      this.v[i] = v1;
      const error = this.targetLane[i]! * p.laneWidth - this.y[i]!;
      this.vy[i] = this.crashed[i] ? 0 : clamp(error / p.lateralTau, -p.lateralMaxSpeed, p.lateralMaxSpeed);
      this.y[i] = this.y[i]! + this.vy[i]! * dt;
    }
    this.lanesDirty = true;
    this.detectCollisions();
    this.time += dt;
  }

  private wrapPosition(x: number): number {
    return x - this.length * Math.floor(x / this.length);
  }

  /**
   * Two vehicles less than a width apart laterally always share a lane list, and in a sorted list
   * only the run of followers within a vehicle length can touch: so pairs are sought there.
   */
  private detectCollisions(): void {
    this.ensureLanes();
    const { vehicleLength, vehicleWidth } = this.physics;
    const L = this.length;
    for (let lane = 0; lane < this.config.lanes; lane++) {
      const members = this.laneMembers[lane]!;
      const size = this.laneSize[lane]!;
      for (let a = 0; a < size; a++) {
        const i = members[a]!;
        for (let step = 1; step < size; step++) {
          const j = members[(a + step) % size]!;
          let d = this.x[j]! - this.x[i]!;
          if (d < 0) d += L;
          if (d >= vehicleLength) break;
          if (Math.abs(this.y[j]! - this.y[i]!) >= vehicleWidth) continue;
          this.crashed[i] = 1;
          this.crashed[j] = 1;
        }
      }
    }
  }

  /** Places vehicles lane by lane at roughly even spacing, each at a speed its gap allows. */
  populate(rng: Rng, egoSpeed: number): void {
    const { lanes } = this.config;
    const p = this.physics;
    const lanesOf = rng.shuffle(Array.from({ length: this.count }, (_, k) => k % lanes));
    const slots: number[][] = Array.from({ length: lanes }, () => []);
    lanesOf.forEach((lane, i) => slots[lane]!.push(i));
    for (let lane = 0; lane < lanes; lane++) {
      const members = slots[lane]!;
      const spacing = this.length / Math.max(1, members.length);
      const jitter = 0.3 * Math.max(0, spacing - p.vehicleLength - 2 * p.idm.minGap);
      const offset = rng.uniform(0, spacing);
      members.forEach((i, k) => {
        this.x[i] = this.wrapPosition(offset + k * spacing + rng.uniform(-jitter, jitter));
        this.y[i] = lane * p.laneWidth;
        this.targetLane[i] = lane;
      });
      this.lanesDirty = true;
    }
    for (let i = 0; i < this.count; i++) {
      this.desiredSpeed[i] = rng.uniform(p.trafficSpeedRange[0], p.trafficSpeedRange[1]);
      this.timeHeadway[i] = rng.uniform(p.trafficHeadwayRange[0], p.trafficHeadwayRange[1]);
      this.laneTimer[i] = rng.uniform(0, p.laneChangeInterval);
    }
    if (this.hasEgo) {
      // Others judge the ego by IDM too (MOBIL's safety check); it wants the top of its ladder.
      // Its traffic-range sample would make it look like it is braking already whenever it is fast,
      // and MOBIL would then never let anyone into its lane.
      this.desiredSpeed[0] = p.egoTargetSpeeds[p.egoTargetSpeeds.length - 1]!;
      this.timeHeadway[0] = EGO_TIME_HEADWAY;
    }
    this.refreshIdm();
    for (let i = 0; i < this.count; i++) {
      this.neighbour(i, this.targetLane[i]!, 1);
      const safe = Math.max(0, (this.foundGap - p.idm.minGap) / this.timeHeadway[i]!);
      this.v[i] = this.hasEgo && i === 0 ? egoSpeed : Math.min(this.desiredSpeed[i]!, safe);
    }
  }

  getState(): WorldState {
    return {
      time: this.time,
      hasEgo: this.hasEgo,
      egoSpeedIndex: this.egoSpeedIndex,
      x: [...this.x],
      y: [...this.y],
      v: [...this.v],
      vy: [...this.vy],
      targetLane: [...this.targetLane],
      crashed: [...this.crashed].map((c) => c === 1),
      desiredSpeed: [...this.desiredSpeed],
      timeHeadway: [...this.timeHeadway],
      laneTimer: [...this.laneTimer],
    };
  }

  setState(s: WorldState): void {
    if (s.x.length !== this.count || s.hasEgo !== this.hasEgo) throw new Error('world state does not match this configuration');
    this.time = s.time;
    this.egoSpeedIndex = s.egoSpeedIndex;
    this.x.set(s.x);
    this.y.set(s.y);
    this.v.set(s.v);
    this.vy.set(s.vy);
    this.targetLane.set(s.targetLane);
    this.crashed.set(s.crashed.map((c) => (c ? 1 : 0)));
    this.desiredSpeed.set(s.desiredSpeed);
    this.timeHeadway.set(s.timeHeadway);
    this.laneTimer.set(s.laneTimer);
    this.refreshIdm();
    this.lanesDirty = true;
  }
}

/** A freshly populated world for `seed`; with an ego (vehicle 0) at the middle of its speed ladder. */
export function createWorld(config: HighwayConfig, seed: number, withEgo = true): TrafficWorld {
  const world = new TrafficWorld(config, withEgo);
  const ladder = config.physics.egoTargetSpeeds ?? DEFAULT_PHYSICS.egoTargetSpeeds;
  world.egoSpeedIndex = Math.floor((ladder.length - 1) / 2);
  world.populate(new Rng(seed), ladder[world.egoSpeedIndex]!);
  return world;
}

function clamp(value: number, low: number, high: number): number {
  return value < low ? low : value > high ? high : value;
}
