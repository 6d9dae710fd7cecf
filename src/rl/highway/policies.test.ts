import { describe, expect, it } from 'vitest';
import { highwayConfig } from './config';
import { Action, HighwayEnv } from './env';
import { evaluatePolicy, summarize } from './evaluate';
import { mobilChoice } from './lane-change';
import { idmDriver, randomDriver } from './policies';
import { createWorld } from './world';

describe('baseline drivers', () => {
  it('IDM+MOBIL drives the held-out seeds without collisions, random crashes often', async () => {
    const env = new HighwayEnv();
    const idm = await evaluatePolicy(env, idmDriver(), { episodes: 12, firstSeed: 1_000_000 });
    const random = await evaluatePolicy(env, randomDriver(1), { episodes: 12, firstSeed: 1_000_000 });
    expect(idm.collisionRate).toBe(0);
    expect(idm.meanSpeed).toBeGreaterThan(21);
    expect(random.collisionRate).toBeGreaterThan(0.3);
    expect(idm.meanReturn).toBeGreaterThan(random.meanReturn);
    expect(idm.results.map((r) => r.seed)).toEqual(Array.from({ length: 12 }, (_, k) => 1_000_000 + k));
  });

  it('IDM+MOBIL slows behind a slow car it cannot pass and speeds up on an empty road', () => {
    const env = new HighwayEnv({ vehicles: 1, lanes: 2 });
    env.reset(0);
    const w = env.world;
    // A car 15 m ahead in the ego's lane at 15 m/s, the other lane blocked by nothing: MOBIL passes.
    w.x[1] = w.x[0]! + 20;
    w.y[1] = w.y[0]!;
    w.setTargetLane(1, w.targetLane[0]!);
    w.v[1] = 15;
    const driver = idmDriver();
    const first = driver(env.observation(), env);
    expect([Action.LaneLeft, Action.LaneRight, Action.Slower]).toContain(first);
    const empty = new HighwayEnv({ vehicles: 0 });
    empty.reset(0);
    expect(driver(empty.observation(), empty)).toBe(Action.Faster);
  });

  it('MOBIL moves out from behind a slow leader into a free lane, not into an occupied one', () => {
    const world = createWorld(highwayConfig({ vehicles: 3, lanes: 2 }), 0, false);
    const place = (i: number, x: number, lane: number, v: number): void => {
      world.x[i] = x;
      world.y[i] = lane * 4;
      world.v[i] = v;
      world.setTargetLane(i, lane);
    };
    place(0, 100, 0, 24);
    place(1, 125, 0, 12);
    place(2, 400, 1, 24);
    expect(mobilChoice(world, 0, world.idmOf(0))).toBe(1);
    place(2, 101, 1, 24);
    expect(mobilChoice(world, 0, world.idmOf(0))).toBe(-1);
  });

  it('summarizes episodes', () => {
    const s = summarize([
      { seed: 1, return: 10, meanSpeed: 20, crashed: true, steps: 10 },
      { seed: 2, return: 30, meanSpeed: 30, crashed: false, steps: 40 },
    ]);
    expect([s.meanReturn, s.meanSpeed, s.collisionRate, s.episodes]).toEqual([20, 25, 0.5, 2]);
  });
});
