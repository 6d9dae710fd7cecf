import { defineNode } from '../../src/graph/node-definition';
import { environmentParams, highwayConfig } from '../../src/rl/highway/config';
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
    'A multi-lane highway: traffic driven by IDM and MOBIL, an ego car taking five meta-actions, rewards for speed, distance travelled and the right lane (each term weighted), an episode ending on collision or time-out.',
  params: environmentParams,
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
