import { z } from 'zod';
import { defineNode } from '../../src/graph/node-definition';
import { highwayConfig } from '../../src/rl/highway/config';
import { observationShape } from '../../src/rl/highway/observation';

/** Meta-actions: lane left, idle, lane right, faster, slower. */
export const HIGHWAY_ACTIONS = ['lane left', 'idle', 'lane right', 'faster', 'slower'] as const;

const OBSERVATION_LABEL = { kinematics: 'kinematics', occupancyGrid: 'occupancy grid', timeToCollision: 'time to collision' } as const;

export const Environment = defineNode({
  type: 'Environment',
  title: 'Highway environment',
  category: 'rl',
  role: 'environment',
  description:
    'A multi-lane highway: traffic driven by IDM and MOBIL, an ego car taking five meta-actions, rewards for speed and the right lane, an episode ending on collision or time-out.',
  params: z.object({
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
    laneChangeReward: z.number().min(-10).max(10).default(0),
    /** Speeds (m/s) mapped linearly onto the high-speed reward's 0..1. */
    rewardSpeedLow: z.number().min(0).max(60).default(20),
    rewardSpeedHigh: z.number().min(1).max(80).default(30),
    normalizeReward: z.boolean().default(true),
    seed: z.number().int().min(0).max(2 ** 31 - 1).default(0),
  }),
  inputs: [],
  outputs: [{ name: 'env', label: 'environment', kind: 'environment' }],
  summary: (p) => `${p.lanes} lanes, ${p.vehicles} cars, ${p.episodeSeconds}s, ${OBSERVATION_LABEL[p.observation]}`,
  infer(p) {
    if (p.rewardSpeedHigh <= p.rewardSpeedLow) {
      return {
        outputs: {},
        issues: [{ severity: 'error', code: 'invalid-params', param: 'rewardSpeedHigh', message: 'rewardSpeedHigh must be above rewardSpeedLow' }],
      };
    }
    const shape = observationShape(highwayConfig(p));
    return { outputs: { env: { kind: 'environment', name: 'highway', observationShape: shape, numActions: HIGHWAY_ACTIONS.length } } };
  },
});
