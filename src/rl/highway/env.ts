/**
 * The highway as an RL environment: the ego takes one of five meta-actions per policy step, the
 * world then runs `simulationHz / policyHz` substeps, and the step ends with an observation and a
 * reward. An episode ends on the ego's collision (terminated) or at `episodeSeconds` (truncated).
 */
import type { EnvStep, RlEnvironment } from '../environment';
import { highwayConfig, stepCounts, type EnvironmentParams, type HighwayConfig } from './config';
import { observationShape, observationSize, observe } from './observation';
import { normalization, rewardOfTerms, rewardTerms, ZERO_TERMS, type RewardBreakdown, type RewardTerms } from './reward';
import { createWorld, type TrafficWorld, type WorldState } from './world';

/** Meta-actions, in the Environment node's order (`HIGHWAY_ACTIONS`). */
export const Action = { LaneLeft: 0, Idle: 1, LaneRight: 2, Faster: 3, Slower: 4 } as const;
export const ACTION_COUNT = 5;

export interface HighwayStep extends EnvStep {
  /** Ego speed at the end of the step, m/s. */
  speed: number;
  crashed: boolean;
  lane: number;
}

/** One vehicle as the driving view draws it. */
export interface VehicleView {
  id: number;
  /** Position along the (periodic) road, and the same relative to the ego, wrapped to ±length/2. */
  x: number;
  dx: number;
  /** Lateral position, metres from the centre of lane 0 (the leftmost). */
  y: number;
  speed: number;
  lane: number;
  targetLane: number;
  crashed: boolean;
  ego: boolean;
}

/** Plain-data picture of the world for rendering, cheap to post from a worker. */
export interface WorldSnapshot {
  time: number;
  step: number;
  seed: number;
  roadLength: number;
  lanes: number;
  laneWidth: number;
  vehicleLength: number;
  vehicleWidth: number;
  egoId: number;
  egoTargetSpeed: number;
  lastAction: number | null;
  lastReward: number | null;
  episodeReturn: number;
  /** The episode's reward so far split by term, weighted and normalised as the reward is. */
  rewardTerms: RewardBreakdown;
  vehicles: VehicleView[];
}

/** An environment mid-episode, as plain data. */
export interface HighwayEnvState {
  seed: number;
  step: number;
  episodeReturn: number;
  speedSum: number;
  speedSamples: number;
  lastAction: number | null;
  lastReward: number | null;
  /** Raw weighted terms summed over the episode; absent in states saved before reward terms. */
  episodeTerms?: RewardTerms;
  world: WorldState;
}

export class HighwayEnv implements RlEnvironment {
  readonly config: HighwayConfig;
  readonly observationShape: readonly number[];
  readonly observationSize: number;
  readonly numActions = ACTION_COUNT;
  readonly policySteps: number;
  readonly substeps: number;
  /** Seconds per simulation substep. */
  readonly dt: number;
  private current: TrafficWorld | null = null;
  seed = 0;
  /** Policy steps taken this episode. */
  stepCount = 0;
  episodeReturn = 0;
  private speedSum = 0;
  private speedSamples = 0;
  lastAction: number | null = null;
  lastReward: number | null = null;
  /** Raw weighted reward terms summed over the episode so far. */
  private episodeTerms: RewardTerms = { ...ZERO_TERMS };
  /** Called after every simulation substep, e.g. to draw frames smoother than the policy rate. */
  onSubstep: ((env: HighwayEnv) => void) | null = null;

  constructor(config: HighwayConfig | Partial<EnvironmentParams> = {}) {
    this.config = 'physics' in config ? (config as HighwayConfig) : highwayConfig(config);
    this.observationShape = observationShape(this.config);
    this.observationSize = observationSize(this.config);
    const counts = stepCounts(this.config);
    this.policySteps = counts.policySteps;
    this.substeps = counts.substeps;
    this.dt = counts.dt;
  }

  /** Metres one policy period covers at the top of the ego's speed ladder: the distance term's 1. */
  get stepMetresAtTopSpeed(): number {
    const ladder = this.config.physics.egoTargetSpeeds;
    return ladder[ladder.length - 1]! / this.config.policyHz;
  }

  /**
   * The episode's terms in the units of its return: with normalisation each term is scaled like
   * the reward, and the shift normalisation adds per step is its own entry, so the entries sum to
   * `episodeReturn` (up to rounding).
   */
  normalizedTerms(): RewardBreakdown {
    const { scale, offset } = normalization(this.config);
    const t = this.episodeTerms;
    return {
      collision: t.collision * scale,
      speed: t.speed * scale,
      distance: t.distance * scale,
      rightLane: t.rightLane * scale,
      laneChange: t.laneChange * scale,
      offset: offset * this.stepCount,
    };
  }

  get world(): TrafficWorld {
    if (!this.current) throw new Error('call reset(seed) before stepping the highway');
    return this.current;
  }

  /** Time-averaged ego speed over the episode so far. */
  get meanSpeed(): number {
    return this.speedSamples > 0 ? this.speedSum / this.speedSamples : 0;
  }

  /** The current observation, e.g. after `setState`. */
  observation(): Float32Array {
    return observe(this.world);
  }

  reset(seed: number): Float32Array {
    this.current = createWorld(this.config, seed, true);
    this.seed = seed;
    this.stepCount = 0;
    this.episodeReturn = 0;
    this.speedSum = 0;
    this.speedSamples = 0;
    this.lastAction = null;
    this.lastReward = null;
    this.episodeTerms = { ...ZERO_TERMS };
    return observe(this.current);
  }

  step(action: number): HighwayStep {
    const world = this.world;
    const laneChanged = this.applyAction(world, action);
    let metres = 0;
    for (let s = 0; s < this.substeps && !world.crashed[0]; s++) {
      world.substep(this.dt);
      metres += world.v[0]! * this.dt;
      this.speedSum += world.v[0]!;
      this.speedSamples++;
      this.onSubstep?.(this);
    }
    this.stepCount++;
    const crashed = world.crashed[0] === 1;
    const speed = world.v[0]!;
    const lane = world.laneOf(0);
    const terms = rewardTerms(this.config, { crashed, lane, speed, laneChanged, distanceFraction: metres / this.stepMetresAtTopSpeed });
    const reward = rewardOfTerms(this.config, terms);
    for (const key of Object.keys(terms) as (keyof RewardTerms)[]) this.episodeTerms[key] += terms[key];
    this.episodeReturn += reward;
    this.lastAction = action;
    this.lastReward = reward;
    return {
      observation: observe(world),
      reward,
      terminated: crashed,
      truncated: !crashed && this.stepCount >= this.policySteps,
      speed,
      crashed,
      lane,
    };
  }

  /** Sets the ego's targets; returns whether a lane change was started. */
  private applyAction(world: TrafficWorld, action: number): boolean {
    const ladder = this.config.physics.egoTargetSpeeds;
    switch (action) {
      case Action.LaneLeft:
      case Action.LaneRight: {
        const lane = world.targetLane[0]! + (action === Action.LaneLeft ? -1 : 1);
        // As in HighwayEnv, a change is taken only toward an existing lane within reach.
        const reachable = Math.abs(world.y[0]! - lane * this.config.physics.laneWidth) <= 2 * this.config.physics.laneWidth;
        if (lane < 0 || lane >= this.config.lanes || !reachable) return false;
        world.setTargetLane(0, lane);
        return true;
      }
      case Action.Faster:
        world.egoSpeedIndex = Math.min(ladder.length - 1, world.egoSpeedIndex + 1);
        return false;
      case Action.Slower:
        world.egoSpeedIndex = Math.max(0, world.egoSpeedIndex - 1);
        return false;
      case Action.Idle:
        return false;
      default:
        throw new Error(`unknown highway action ${action}`);
    }
  }

  /** The world as plain data for the driving view. */
  snapshot(): WorldSnapshot {
    const w = this.world;
    const p = this.config.physics;
    const vehicles: VehicleView[] = [];
    for (let i = 0; i < w.count; i++) {
      vehicles.push({
        id: i,
        x: w.x[i]!,
        dx: w.relative(0, i),
        y: w.y[i]!,
        speed: w.v[i]!,
        lane: w.laneOf(i),
        targetLane: w.targetLane[i]!,
        crashed: w.crashed[i] === 1,
        ego: i === 0,
      });
    }
    return {
      time: w.time,
      step: this.stepCount,
      seed: this.seed,
      roadLength: w.length,
      lanes: this.config.lanes,
      laneWidth: p.laneWidth,
      vehicleLength: p.vehicleLength,
      vehicleWidth: p.vehicleWidth,
      egoId: 0,
      egoTargetSpeed: p.egoTargetSpeeds[w.egoSpeedIndex]!,
      lastAction: this.lastAction,
      lastReward: this.lastReward,
      episodeReturn: this.episodeReturn,
      rewardTerms: this.normalizedTerms(),
      vehicles,
    };
  }

  getState(): HighwayEnvState {
    return {
      seed: this.seed,
      step: this.stepCount,
      episodeReturn: this.episodeReturn,
      speedSum: this.speedSum,
      speedSamples: this.speedSamples,
      lastAction: this.lastAction,
      lastReward: this.lastReward,
      episodeTerms: { ...this.episodeTerms },
      world: this.world.getState(),
    };
  }

  setState(s: HighwayEnvState): void {
    this.current = createWorld(this.config, s.seed, true);
    this.current.setState(s.world);
    this.seed = s.seed;
    this.stepCount = s.step;
    this.episodeReturn = s.episodeReturn;
    this.speedSum = s.speedSum;
    this.speedSamples = s.speedSamples;
    this.lastAction = s.lastAction;
    this.lastReward = s.lastReward;
    this.episodeTerms = { ...ZERO_TERMS, ...s.episodeTerms };
  }
}
