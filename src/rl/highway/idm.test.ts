import { describe, expect, it } from 'vitest';
import { DEFAULT_PHYSICS, type IdmParams } from './config';
import { idmAcceleration, mobilAdvantage } from './idm';

const idm: IdmParams = { desiredSpeed: 30, timeHeadway: 1.5, minGap: 2, maxAccel: 1, comfortDecel: 1.5, exponent: 4 };

describe('IDM', () => {
  it('accelerates on a free road as a(1 − (v/v0)^δ)', () => {
    expect(idmAcceleration(idm, 0, Infinity, 0)).toBeCloseTo(1, 9);
    expect(idmAcceleration(idm, 15, Infinity, 0)).toBeCloseTo(1 - 1 / 16, 9);
    expect(idmAcceleration(idm, 30, Infinity, 0)).toBeCloseTo(0, 9);
  });

  it('follows at the equilibrium gap with no acceleration', () => {
    // Equal speeds: s* = s0 + vT; a = 0 when (s*/s)² = 1 − (v/v0)^4.
    const v = 20;
    const sStar = idm.minGap + v * idm.timeHeadway;
    const gap = sStar / Math.sqrt(1 - (v / 30) ** 4);
    expect(idmAcceleration(idm, v, gap, v)).toBeCloseTo(0, 9);
    expect(idmAcceleration(idm, v, gap * 0.8, v)).toBeLessThan(0);
  });

  it('brakes harder the faster it closes in', () => {
    const mild = idmAcceleration(idm, 25, 40, 25);
    const closing = idmAcceleration(idm, 25, 40, 10);
    const stopped = idmAcceleration(idm, 25, 40, 0);
    expect(closing).toBeLessThan(mild);
    expect(stopped).toBeLessThan(closing);
    expect(stopped).toBeLessThan(-idm.comfortDecel);
  });
});

describe('MOBIL', () => {
  const base = {
    selfNow: -1,
    selfAfter: 0.5,
    newFollowerNow: 0.2,
    newFollowerAfter: -0.5,
    oldFollowerNow: -0.4,
    oldFollowerAfter: 0.4,
    fits: true,
  };

  it('weighs its own gain against the followers by politeness', () => {
    const p = { politeness: 0.5, safeBraking: 2, accelGain: 0.2 };
    // 1.5 own gain + 0.5 × (−0.7 + 0.8)
    expect(mobilAdvantage(p, base)).toBeCloseTo(1.55, 9);
    expect(mobilAdvantage(p, base, 0.3)).toBeCloseTo(1.85, 9);
  });

  it('refuses a change that forces the new follower to brake hard, or does not fit', () => {
    const p = DEFAULT_PHYSICS.mobil;
    expect(mobilAdvantage(p, { ...base, newFollowerAfter: -p.safeBraking - 0.01 })).toBeNull();
    expect(mobilAdvantage(p, { ...base, fits: false })).toBeNull();
  });
});
