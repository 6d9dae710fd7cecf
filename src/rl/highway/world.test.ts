import { describe, expect, it } from 'vitest';
import { highwayConfig } from './config';
import { createWorld, type TrafficWorld } from './world';

/** Smallest bumper-to-bumper gap between two vehicles laterally overlapping, checked pair by pair. */
function smallestGap(w: TrafficWorld): number {
  let gap = Infinity;
  for (let i = 0; i < w.count; i++) {
    for (let j = 0; j < w.count; j++) {
      if (i === j || Math.abs(w.y[i]! - w.y[j]!) >= w.physics.vehicleWidth) continue;
      const d = w.relative(i, j);
      if (d >= 0) gap = Math.min(gap, d - w.physics.vehicleLength);
    }
  }
  return gap;
}

describe('traffic of IDM and MOBIL drivers alone', () => {
  // The last cases spread desired speeds wide, so MOBIL is busy and the safety check is exercised.
  const cases = [
    { lanes: 4, vehicles: 30, density: 1, seed: 0, minLaneChanges: 1 },
    { lanes: 4, vehicles: 50, density: 1, seed: 1, minLaneChanges: 1 },
    { lanes: 3, vehicles: 40, density: 2, seed: 2, minLaneChanges: 0 },
    { lanes: 2, vehicles: 20, density: 3, seed: 3, minLaneChanges: 0 },
    { lanes: 4, vehicles: 40, density: 1.5, seed: 4, minLaneChanges: 50, speeds: [15, 32] as const },
    { lanes: 3, vehicles: 30, density: 1, seed: 5, minLaneChanges: 50, speeds: [12, 35] as const },
  ];

  it.each(cases)('never collides and keeps a safe gap over 10,000 steps: %o', ({ seed, minLaneChanges, speeds, ...params }) => {
    const config = highwayConfig(params, speeds ? { trafficSpeedRange: speeds } : {});
    const world = createWorld(config, seed, false);
    const dt = 1 / config.simulationHz;
    let minGap = Infinity;
    let laneChanges = 0;
    let lanes = [...world.targetLane];
    for (let step = 0; step < 10_000; step++) {
      world.substep(dt);
      minGap = Math.min(minGap, smallestGap(world));
      laneChanges += world.targetLane.reduce((n, lane, i) => n + (lane !== lanes[i] ? 1 : 0), 0);
      lanes = [...world.targetLane];
    }
    expect(world.crashed.every((c) => c === 0)).toBe(true);
    // MOBIL only lets a car in where its new follower brakes gently, so even in busy traffic no gap
    // closes to twice the standstill gap (with an unbounded safe-braking limit it does, 5.6 m here).
    expect(minGap).toBeGreaterThanOrEqual(2 * config.physics.idm.minGap);
    for (const v of world.v) {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(config.physics.trafficSpeedRange[1]);
    }
    expect(laneChanges).toBeGreaterThanOrEqual(minLaneChanges);
  });

  it('detects a collision when two vehicles overlap', () => {
    const world = createWorld(highwayConfig({ vehicles: 4 }), 0, false);
    world.x[1] = world.x[0]! + 3;
    world.y[1] = world.y[0]!;
    world.targetLane[1] = world.targetLane[0]!;
    world.substep(1 / 15);
    expect(world.crashed[0]).toBe(1);
    expect(world.crashed[1]).toBe(1);
  });

  it('restores a saved state and continues identically', () => {
    const config = highwayConfig();
    const a = createWorld(config, 5, true);
    for (let k = 0; k < 100; k++) a.substep(1 / 15);
    const b = createWorld(config, 99, true);
    b.setState(structuredClone(a.getState()));
    for (let k = 0; k < 200; k++) {
      a.substep(1 / 15);
      b.substep(1 / 15);
    }
    expect(b.getState()).toEqual(a.getState());
  });
});
