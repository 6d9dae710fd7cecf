/**
 * Baseline drivers for the ego: an IDM+MOBIL rule driver expressed through the same five
 * meta-actions the agent has, and a uniformly random one.
 */
import { Rng } from '../random';
import { Action, type HighwayEnv } from './env';
import type { IdmParams } from './config';
import { idmAcceleration } from './idm';
import { mobilChoice } from './lane-change';

/**
 * Chooses a meta-action from the current observation, with the environment at hand for rule
 * drivers; a learned policy may answer asynchronously (its Q-values come back from TF.js).
 */
export type HighwayPolicy = (observation: Float32Array, env: HighwayEnv) => number | Promise<number>;

/**
 * IDM+MOBIL mapped onto meta-actions, with the ego's IDM (the traffic's constants, the top of
 * the speed ladder as desired speed). A lane change is taken when MOBIL (the traffic's politeness,
 * safety and gain) prefers an adjacent lane. Otherwise the driver picks the fastest rung of the
 * speed ladder at which IDM, given the present gap and leader, would brake no harder than its
 * comfortable deceleration, and steps one rung toward it per decision.
 */
export function idmDriver(): HighwayPolicy {
  return (_observation, env) => {
    const world = env.world;
    const idm = world.idmOf(0);
    if (!world.isChangingLane(0)) {
      const lane = mobilChoice(world, 0, idm);
      if (lane >= 0) return lane < world.targetLane[0]! ? Action.LaneLeft : Action.LaneRight;
    }
    const ladder = env.config.physics.egoTargetSpeeds;
    let wanted = 0;
    for (let k = ladder.length - 1; k > 0; k--) {
      if (comfortableAt(env, idm, ladder[k]!)) {
        wanted = k;
        break;
      }
    }
    if (wanted > world.egoSpeedIndex) return Action.Faster;
    if (wanted < world.egoSpeedIndex) return Action.Slower;
    return Action.Idle;
  };
}

/** Whether IDM would accept driving at `speed` behind the ego's leaders in every lane it occupies. */
function comfortableAt(env: HighwayEnv, idm: IdmParams, speed: number): boolean {
  const world = env.world;
  for (let lane = 0; lane < env.config.lanes; lane++) {
    if (!world.occupies(0, lane)) continue;
    world.neighbour(0, lane, 1);
    const leader = world.foundIndex;
    const a = idmAcceleration(idm, speed, world.foundGap, leader < 0 ? 0 : world.v[leader]!);
    if (a < -idm.comfortDecel) return false;
  }
  return true;
}

/** Uniformly random meta-actions from its own seeded generator. */
export function randomDriver(seed: number): HighwayPolicy {
  const rng = new Rng(seed);
  return (_observation, env) => rng.int(env.numActions);
}
