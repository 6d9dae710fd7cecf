import { describe, expect, it } from 'vitest';
import { fitViewport, toScreen } from './draw-highway';

describe('the driving view’s geometry', () => {
  const world = { lanes: 4, laneWidth: 4 };

  it('fits all lanes in the canvas height and keeps metres square', () => {
    const vp = fitViewport(world, 900, 200);
    expect(vp.roadHeight).toBeLessThanOrEqual(200);
    expect(vp.roadHeight).toBeCloseTo(16 * vp.ppm, 9);
    expect(vp.behind + vp.ahead).toBeCloseTo(900 / vp.ppm, 9);
    // More road ahead than behind: the car looks where it is going.
    expect(vp.ahead).toBeGreaterThan(vp.behind);
  });

  it('puts the ego at its anchor and lanes top (leftmost) to bottom', () => {
    const vp = fitViewport(world, 800, 180);
    const ego = toScreen({ dx: 0, y: 0 }, world, vp);
    expect(ego.x).toBe(vp.egoX);
    expect(ego.y).toBeCloseTo(vp.roadTop + 2 * vp.ppm, 9); // centre of lane 0
    const ahead = toScreen({ dx: 10, y: 3 * 4 }, world, vp); // 10 m ahead, in lane 3
    expect(ahead.x - ego.x).toBeCloseTo(10 * vp.ppm, 9);
    expect(ahead.y).toBeCloseTo(vp.roadTop + vp.roadHeight - 2 * vp.ppm, 9);
  });
});
