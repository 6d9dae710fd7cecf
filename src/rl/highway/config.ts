/**
 * Settings of the highway simulation: the Environment node's params plus the physical constants
 * the node does not expose. Distances in metres, speeds in m/s, accelerations in m/s².
 */
import { z } from 'zod';

/**
 * The Environment node's settings, defined once: `nodes/rl/environment.ts` shows this schema in the
 * editor, the compiler fills its defaults into the plan, and the simulation reads the result.
 */
export const environmentParams = z.object({
  lanes: z.number().int().min(2).max(6).default(4),
  /** Other vehicles on the road. */
  vehicles: z.number().int().min(0).max(100).default(30),
  /** Traffic density: spacing factor, higher packs vehicles closer. */
  density: z.number().min(0.25).max(3).default(1),
  episodeSeconds: z.number().int().min(5).max(600).default(40),
  policyHz: z.number().int().min(1).max(10).default(1),
  simulationHz: z.number().int().min(5).max(60).default(15),
  /**
   * kinematics: the ego and its nearest vehicles; occupancyGrid: lanes × road cells; timeToCollision:
   * per nearby lane and speed rung, how soon the ego would touch someone (HighwayEnv's TTC idea).
   */
  observation: z.enum(['kinematics', 'occupancyGrid', 'timeToCollision']).default('kinematics'),
  /** Kinematics: how many nearest vehicles are observed besides the ego. */
  observedVehicles: z.number().int().min(1).max(15).default(5),
  /** Occupancy grid: cells ahead of and behind the ego, per lane. */
  gridAhead: z.number().int().min(2).max(40).default(12),
  gridBehind: z.number().int().min(0).max(20).default(4),
  collisionReward: z.number().min(-100).max(0).default(-1),
  rightLaneReward: z.number().min(0).max(10).default(0.1),
  highSpeedReward: z.number().min(0).max(10).default(0.4),
  /** Weight of the distance term: metres covered per step over the most the ego's top speed covers. */
  distanceReward: z.number().min(0).max(10).default(0),
  laneChangeReward: z.number().min(-10).max(10).default(0),
  /** Speeds (m/s) mapped linearly onto the high-speed reward's 0..1. */
  rewardSpeedLow: z.number().min(0).max(60).default(20),
  rewardSpeedHigh: z.number().min(1).max(80).default(30),
  normalizeReward: z.boolean().default(true),
  seed: z.number().int().min(0).max(2 ** 31 - 1).default(0),
});

/** The Environment's settings as the plan carries them (defaults filled in). */
export type EnvironmentParams = z.infer<typeof environmentParams>;

/** The schema's defaults: what `highwayConfig` fills in for settings left out. */
export const DEFAULT_ENVIRONMENT_PARAMS: EnvironmentParams = Object.freeze(environmentParams.parse({}));

/** Intelligent Driver Model parameters of one vehicle (Treiber, Hennecke & Helbing 2000). */
export interface IdmParams {
  desiredSpeed: number;
  /** Desired time gap to the leader, seconds. */
  timeHeadway: number;
  /** Bumper-to-bumper gap kept at standstill. */
  minGap: number;
  maxAccel: number;
  comfortDecel: number;
  /** Acceleration exponent δ. */
  exponent: number;
}

/** MOBIL lane-change parameters (Kesting, Treiber & Helbing 2007). */
export interface MobilParams {
  /** Weight of the followers' acceleration changes against one's own; 0 is selfish. */
  politeness: number;
  /** A change is refused if it would make the new follower brake harder than this. */
  safeBraking: number;
  /** The total acceleration advantage a change must bring. */
  accelGain: number;
}

export interface HighwayPhysics {
  laneWidth: number;
  vehicleLength: number;
  vehicleWidth: number;
  /** Hardest braking any vehicle can do. */
  maxBrake: number;
  /** A vehicle counts as being in a lane when its centre is within laneWidth / 2 + this margin. */
  laneMargin: number;
  /** Lateral motion: time constant of the approach to the target lane centre, and its speed cap. */
  lateralTau: number;
  lateralMaxSpeed: number;
  /** Vehicles beyond this distance are not observed. */
  perception: number;
  /** Occupancy-grid cell length along the road. */
  gridCellLength: number;
  /** Seconds between two lane-change considerations of one traffic vehicle. */
  laneChangeInterval: number;
  /** Mean distance between consecutive vehicles of one lane at density 1. */
  laneSpacing: number;
  /** The ego's speed ladder: FASTER and SLOWER step between these target speeds. */
  egoTargetSpeeds: readonly number[];
  /** Gain of the ego's speed controller, 1/s, and its acceleration limits. */
  egoSpeedGain: number;
  egoMaxAccel: number;
  egoMaxBrake: number;
  /** Range of traffic desired speeds, sampled per vehicle. */
  trafficSpeedRange: readonly [number, number];
  /** Range of traffic time headways, sampled per vehicle. */
  trafficHeadwayRange: readonly [number, number];
  idm: Omit<IdmParams, 'desiredSpeed' | 'timeHeadway'>;
  mobil: MobilParams;
}

/**
 * Physical constants. Vehicle size, lane width and the ego's [20, 25, 30] m/s speed ladder follow
 * HighwayEnv's highway-v0; IDM values sit between Treiber's textbook highway set and HighwayEnv's
 * more aggressive one; MOBIL's 2 m/s² safe braking and 0.2 m/s² gain are HighwayEnv's.
 */
export const DEFAULT_PHYSICS: HighwayPhysics = {
  laneWidth: 4,
  vehicleLength: 5,
  vehicleWidth: 2,
  maxBrake: 9,
  laneMargin: 1,
  lateralTau: 0.5,
  lateralMaxSpeed: 3,
  perception: 100,
  gridCellLength: 8,
  laneChangeInterval: 1,
  laneSpacing: 90,
  egoTargetSpeeds: [20, 25, 30],
  egoSpeedGain: 1 / 0.6,
  egoMaxAccel: 6,
  egoMaxBrake: 9,
  trafficSpeedRange: [23, 25],
  trafficHeadwayRange: [1.2, 1.8],
  idm: { minGap: 3, maxAccel: 2, comfortDecel: 3, exponent: 4 },
  mobil: { politeness: 0, safeBraking: 2, accelGain: 0.2 },
};

/** Everything a highway episode needs. */
export interface HighwayConfig extends EnvironmentParams {
  physics: HighwayPhysics;
}

/** Fills a (possibly partial) Environment params object with defaults. */
export function highwayConfig(params: Partial<EnvironmentParams> = {}, physics: Partial<HighwayPhysics> = {}): HighwayConfig {
  return { ...DEFAULT_ENVIRONMENT_PARAMS, ...params, physics: { ...DEFAULT_PHYSICS, ...physics } };
}

/** Policy steps per episode, and simulation substeps per policy step. */
export function stepCounts(config: EnvironmentParams): { policySteps: number; substeps: number; dt: number } {
  const substeps = Math.max(1, Math.round(config.simulationHz / config.policyHz));
  // dt is chosen so one policy period is exactly 1 / policyHz even when the rates do not divide.
  return { policySteps: config.episodeSeconds * config.policyHz, substeps, dt: 1 / (config.policyHz * substeps) };
}

/** Length of the (periodic) road: enough room for `vehicles` at the lane spacing over density. */
export function roadLength(config: HighwayConfig): number {
  const perLane = (config.vehicles + 1) / config.lanes;
  return Math.max(400, (perLane * config.physics.laneSpacing) / config.density);
}
