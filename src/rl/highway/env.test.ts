import { describe, expect, it } from 'vitest';
import { Environment } from '../../../nodes/rl/environment';
import { Rng } from '../random';
import { DEFAULT_ENVIRONMENT_PARAMS, highwayConfig, type EnvironmentParams } from './config';
import { Action, HighwayEnv } from './env';
import { KINEMATIC_FEATURES } from './observation';
import { highwayReward, rewardRange } from './reward';

/** Plays `steps` steps with seeded random actions, resetting on episode end; returns everything seen. */
function rollout(env: HighwayEnv, seed: number, steps: number): { observations: number[][]; rewards: number[]; ends: number } {
  const rng = new Rng(seed);
  const observations = [[...env.reset(seed)]];
  const rewards: number[] = [];
  let ends = 0;
  for (let k = 0; k < steps; k++) {
    const r = env.step(rng.int(env.numActions));
    observations.push([...r.observation]);
    rewards.push(r.reward);
    if (r.terminated || r.truncated) {
      ends++;
      observations.push([...env.reset(seed + 1000 + ends)]);
    }
  }
  return { observations, rewards, ends };
}

describe('HighwayEnv', () => {
  it('replays the same trajectory for the same seed', () => {
    const a = rollout(new HighwayEnv(), 11, 150);
    const b = rollout(new HighwayEnv(), 11, 150);
    expect(b).toEqual(a);
    expect(rollout(new HighwayEnv(), 12, 150).observations).not.toEqual(a.observations);
  });

  it.each([
    {},
    { observedVehicles: 9, lanes: 3 },
    { observation: 'occupancyGrid' as const },
    { observation: 'occupancyGrid' as const, lanes: 5, gridAhead: 20, gridBehind: 0 },
  ])('observes in the shape the Environment node infers: %o', (params) => {
    const parsed = Environment.params.parse(params);
    const inferred = Environment.infer(parsed, {}).outputs.env;
    const env = new HighwayEnv(parsed);
    expect(inferred?.kind).toBe('environment');
    const shape = inferred?.kind === 'environment' ? inferred.observationShape : [];
    expect(env.observationShape).toEqual(shape);
    expect(env.reset(0)).toHaveLength(shape.reduce((a, b) => a * b, 1));
    expect(env.step(Action.Idle).observation).toHaveLength(env.observationSize);
    expect(env.numActions).toBe(inferred?.kind === 'environment' ? inferred.numActions : -1);
  });

  it('uses the Environment node defaults', () => {
    expect(Environment.params.parse({})).toEqual(DEFAULT_ENVIRONMENT_PARAMS);
  });

  it.each<Partial<EnvironmentParams>>([
    {},
    { normalizeReward: false },
    { normalizeReward: false, laneChangeReward: -0.2, collisionReward: -5, highSpeedReward: 2 },
    { laneChangeReward: 0.3, rightLaneReward: 0 },
  ])('keeps every reward within its range: %o', (params) => {
    const env = new HighwayEnv(highwayConfig(params));
    const [low, high] = rewardRange(env.config);
    const { rewards, ends } = rollout(env, 3, 400);
    expect(ends).toBeGreaterThan(3);
    for (const r of rewards) {
      expect(r).toBeGreaterThanOrEqual(low - 1e-12);
      expect(r).toBeLessThanOrEqual(high + 1e-12);
    }
  });

  it('computes the reward terms by hand', () => {
    const p = DEFAULT_ENVIRONMENT_PARAMS;
    // Best case: rightmost lane at top speed; worst: a crash in the left lane at low speed.
    expect(highwayReward(p, { crashed: false, lane: 3, speed: 30, laneChanged: false })).toBeCloseTo(1, 12);
    expect(highwayReward(p, { crashed: true, lane: 0, speed: 20, laneChanged: false })).toBeCloseTo(0, 12);
    // Raw 0.4 × 0.5 + 0.1 × 1/3 over the range [−1, 0.5].
    const mid = (0.2 + 0.1 / 3 + 1) / 1.5;
    expect(highwayReward(p, { crashed: false, lane: 1, speed: 25, laneChanged: true })).toBeCloseTo(mid, 12);
    const raw = { ...p, normalizeReward: false };
    expect(highwayReward(raw, { crashed: true, lane: 1, speed: 25, laneChanged: false })).toBeCloseTo(-1 + 0.1 / 3 + 0.2, 12);
  });

  it('ends an episode by time-out at episodeSeconds × policyHz steps', () => {
    const env = new HighwayEnv({ vehicles: 0, episodeSeconds: 12, policyHz: 2 });
    env.reset(0);
    let steps = 0;
    for (;;) {
      const r = env.step(Action.Idle);
      steps++;
      expect(r.terminated).toBe(false);
      if (r.truncated) break;
    }
    expect(steps).toBe(24);
    expect(env.world.time).toBeCloseTo(12, 9);
  });

  it('ends an episode on collision, and the ego can collide', () => {
    const env = new HighwayEnv({ vehicles: 60, density: 3 });
    env.reset(4);
    let crashed = false;
    for (let k = 0; k < 40 && !crashed; k++) {
      const r = env.step(Action.Faster);
      crashed = r.crashed;
      if (crashed) expect(r.terminated).toBe(true);
    }
    expect(crashed).toBe(true);
  });

  it('moves between lanes and along the speed ladder on meta-actions', () => {
    const env = new HighwayEnv({ vehicles: 0 });
    env.reset(0);
    const lane = env.world.laneOf(0);
    const action = lane > 0 ? Action.LaneLeft : Action.LaneRight;
    const target = lane > 0 ? lane - 1 : lane + 1;
    env.step(action);
    env.step(Action.Idle);
    expect(env.world.laneOf(0)).toBe(target);
    expect(Math.abs(env.world.y[0]! - target * env.config.physics.laneWidth)).toBeLessThan(0.2);
    env.step(Action.Faster);
    env.step(Action.Idle);
    expect(env.world.v[0]).toBeGreaterThan(29.5);
    env.step(Action.Slower);
    env.step(Action.Slower);
    env.step(Action.Slower);
    expect(env.world.v[0]).toBeLessThan(20.5);
  });

  it('lists the ego and its nearest vehicles, nearest first, relative to the ego', () => {
    const env = new HighwayEnv();
    const obs = env.reset(2);
    expect(obs[0]).toBe(1);
    expect(obs[3]).toBeCloseTo(25 / 40, 6);
    const distances: number[] = [];
    for (let row = 1; row <= env.config.observedVehicles; row++) {
      const o = row * KINEMATIC_FEATURES;
      if (obs[o] === 1) distances.push(Math.abs(obs[o + 1]!));
      for (let f = 1; f < KINEMATIC_FEATURES; f++) expect(Math.abs(obs[o + f]!)).toBeLessThanOrEqual(1);
    }
    expect(distances.length).toBeGreaterThan(0);
    expect([...distances].sort((a, b) => a - b)).toEqual(distances);
  });

  it('marks the ego cell in the occupancy grid', () => {
    const env = new HighwayEnv({ observation: 'occupancyGrid' });
    const obs = env.reset(1);
    const cells = env.config.gridAhead + env.config.gridBehind;
    const lane = env.world.laneOf(0);
    expect(obs[(lane * cells + env.config.gridBehind) * 2]).toBe(-1);
    expect([...obs].filter((v, i) => i % 2 === 0 && v === 1).length).toBeGreaterThan(0);
  });

  it('resumes mid-episode from its saved state', () => {
    const a = new HighwayEnv();
    a.reset(8);
    for (let k = 0; k < 10; k++) a.step(k % 5);
    const b = new HighwayEnv();
    b.setState(structuredClone(a.getState()));
    expect(b.observation()).toEqual(a.observation());
    for (let k = 0; k < 10; k++) expect(b.step(k % 3)).toEqual(a.step(k % 3));
  });

  it('describes the world as plain data for the driving view', () => {
    const env = new HighwayEnv();
    env.reset(0);
    env.step(Action.Faster);
    const snap = env.snapshot();
    expect(JSON.parse(JSON.stringify(snap))).toEqual(snap);
    expect(snap.vehicles).toHaveLength(env.config.vehicles + 1);
    expect(snap.vehicles.filter((v) => v.ego)).toEqual([expect.objectContaining({ id: snap.egoId, dx: 0 })]);
    expect(snap.lastAction).toBe(Action.Faster);
    expect(snap.egoTargetSpeed).toBe(30);
  });
});
