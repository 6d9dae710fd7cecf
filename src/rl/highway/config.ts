/**
 * Settings of the highway simulation: the Environment node's params plus the physical constants
 * the node does not expose. Distances in metres, speeds in m/s, accelerations in m/s².
 */

/** The Environment node's params (nodes/rl/environment.ts), as the plan carries them. */
export interface EnvironmentParams {
  lanes: number;
  vehicles: number;
  density: number;
  episodeSeconds: number;
  policyHz: number;
  simulationHz: number;
  observation: 'kinematics' | 'occupancyGrid' | 'timeToCollision';
  observedVehicles: number;
  gridAhead: number;
  gridBehind: number;
  collisionReward: number;
  rightLaneReward: number;
  highSpeedReward: number;
  laneChangeReward: number;
  rewardSpeedLow: number;
  rewardSpeedHigh: number;
  normalizeReward: boolean;
  seed: number;
}

/** Defaults equal to the Environment node's schema defaults. */
export const DEFAULT_ENVIRONMENT_PARAMS: EnvironmentParams = {
  lanes: 4,
  vehicles: 30,
  density: 1,
  episodeSeconds: 40,
  policyHz: 1,
  simulationHz: 15,
  observation: 'kinematics',
  observedVehicles: 5,
  gridAhead: 12,
  gridBehind: 4,
  collisionReward: -1,
  rightLaneReward: 0.1,
  highSpeedReward: 0.4,
  laneChangeReward: 0,
  rewardSpeedLow: 20,
  rewardSpeedHigh: 30,
  normalizeReward: true,
  seed: 0,
};

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
