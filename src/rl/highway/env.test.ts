import { describe, expect, it } from 'vitest';
import { Environment } from '../../../nodes/rl/environment';
import { Rng } from '../random';
import { DEFAULT_ENVIRONMENT_PARAMS, environmentParams, highwayConfig, type EnvironmentParams } from './config';
import { Action, HighwayEnv } from './env';
import { KINEMATIC_FEATURES, TTC_BINS, TTC_EGO_FEATURES } from './observation';
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
    { observation: 'timeToCollision' as const },
    { observation: 'timeToCollision' as const, lanes: 2 },
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

  it('is configured by the Environment node\'s own settings schema (defined once)', () => {
    expect(Environment.params).toBe(environmentParams);
    expect(DEFAULT_ENVIRONMENT_PARAMS).toEqual(environmentParams.parse({}));
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

  describe('time-to-collision observation', () => {
    /** A 3-lane road with the ego at x 100 in `lane` at 25 m/s and two others placed by hand. */
    function placed(lane: number, others: { x: number; lane: number; v: number }[]): Float32Array {
      const env = new HighwayEnv({ observation: 'timeToCollision', lanes: 3, vehicles: others.length });
      env.reset(0);
      const state = env.world.getState();
      const all = [{ x: 100, lane, v: 25 }, ...others];
      state.x = all.map((c) => c.x);
      state.y = all.map((c) => c.lane * 4);
      state.v = all.map((c) => c.v);
      state.vy = all.map(() => 0);
      state.targetLane = all.map((c) => c.lane);
      state.egoSpeedIndex = 1;
      env.world.setState(state);
      return env.observation();
    }
    /** The bins for lane offset `l` (-1 left, 0 own, 1 right) and rung offset `s` (-1 slower … 1 faster). */
    const bins = (obs: Float32Array, l: number, s: number): number[] => {
      const o = TTC_EGO_FEATURES + ((l + 1) * 3 + (s + 1)) * TTC_BINS;
      return [...obs.subarray(o, o + TTC_BINS)];
    };
    /** 1 from bin `first` on: a collision within `first + 1` seconds and every later horizon. */
    const from = (first: number): number[] => Array.from({ length: TTC_BINS }, (_, b) => (b >= first ? 1 : 0));

    it('times the leader ahead at each speed rung, marks the lane beside as blocked, and leaves the road edge empty', () => {
      // Leader 20 m ahead (bumper to bumper) at 20 m/s; a car level with the ego in the lane to its right.
      const obs = placed(0, [
        { x: 125, lane: 0, v: 20 },
        { x: 102, lane: 1, v: 25 },
      ]);
      // Speed, rung, lane, offset, changing lane, a lane to the left, a lane to the right.
      expect([...obs.subarray(0, TTC_EGO_FEATURES)]).toEqual([25 / 40, 0.5, 0, 0, 0, 0, 1]);
      for (const s of [-1, 0, 1]) expect(bins(obs, -1, s)).toEqual(from(TTC_BINS));
      expect(bins(obs, 0, -1)).toEqual(from(TTC_BINS)); // at 20 m/s it never closes in
      expect(bins(obs, 0, 0)).toEqual(from(4)); // 20 m at 5 m/s: 4 s
      expect(bins(obs, 0, 1)).toEqual(from(2)); // 20 m at 10 m/s: 2 s
      for (const s of [-1, 0, 1]) expect(bins(obs, 1, s)).toEqual(from(0));
    });

    it('resolves fractions of a second in the cell where contact falls', () => {
      // Leader 15 m ahead at 20 m/s: 3 s at 25 m/s, 1.5 s at 30 m/s.
      const obs = placed(1, [{ x: 120, lane: 1, v: 20 }]);
      expect(bins(obs, 0, 0)).toEqual(from(3));
      expect(bins(obs, 0, 1)).toEqual([0, 0.5, 1, 1, 1, 1, 1, 1, 1, 1]);
    });

    it('times a faster car coming up from behind in the next lane', () => {
      // 10 m behind (bumper to bumper) at 30 m/s in the lane to the left of an ego in the middle lane.
      const obs = placed(1, [{ x: 85, lane: 0, v: 30 }]);
      // Lane 1 of 0..2, with lanes on both sides.
      expect([obs[2], obs[5], obs[6]]).toEqual([0.5, 1, 1]);
      expect(bins(obs, -1, -1)).toEqual(from(1)); // ego at 20: closing 10 m/s, 1 s
      expect(bins(obs, -1, 0)).toEqual(from(2)); // ego at 25: closing 5 m/s, 2 s
      expect(bins(obs, -1, 1)).toEqual(from(TTC_BINS)); // ego at 30: never
      for (const l of [0, 1]) for (const s of [-1, 0, 1]) expect(bins(obs, l, s)).toEqual(from(TTC_BINS));
    });
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
