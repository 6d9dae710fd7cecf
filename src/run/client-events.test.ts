import { describe, expect, it } from 'vitest';
import { RlEventAdapter, payloadBytes } from './client-rl-events';
import { SupervisedEventAdapter } from './client-supervised-events';

describe('SupervisedEventAdapter', () => {
  it('reports skipped backends with their reasons and the one that runs', () => {
    const a = new SupervisedEventAdapter();
    expect(
      a.adapt({
        type: 'backend',
        backend: 'wasm',
        attempts: [
          { backend: 'webgpu', ok: false, reason: 'WebGPU found no GPU adapter', ms: 3 },
          { backend: 'webgl', ok: false, reason: 'no WebGL 2', ms: 1 },
          { backend: 'wasm', ok: true, ms: 40 },
        ],
      }),
    ).toEqual([
      {
        type: 'backend',
        report: {
          used: 'wasm',
          skipped: [
            { backend: 'webgpu', reason: 'WebGPU found no GPU adapter' },
            { backend: 'webgl', reason: 'no WebGL 2' },
          ],
        },
      },
    ]);
  });

  it('turns steps into epoch progress and places epoch results at the latest step', () => {
    const a = new SupervisedEventAdapter();
    const [step] = a.adapt({ type: 'step', step: 45, totalSteps: 300, epoch: 1, epochStep: 15, stepsPerEpoch: 30, loss: 1.2, acc: 0.5, lr: 0.05, imagesPerSec: 210, elapsedMs: 1 });
    expect(step).toEqual({
      type: 'step',
      metrics: { step: 45, epoch: 1, epochProgress: 0.5, totalSteps: 300, loss: 1.2, accuracy: 0.5, learningRate: 0.05, imagesPerSecond: 210 },
    });
    const [epoch] = a.adapt({ type: 'epoch', epoch: 1, trainLoss: 1.1, trainAcc: 0.55, valLoss: 1.3, valAcc: 0.5, elapsedMs: 2 });
    expect(epoch).toEqual({ type: 'epoch', metrics: { epoch: 2, step: 45, loss: 1.1, accuracy: 0.55, valLoss: 1.3, valAccuracy: 0.5 } });
  });

  it('offers another backend only for backend and unknown failures', () => {
    const a = new SupervisedEventAdapter();
    const kinds = ['backend', 'unknown', 'diverged', 'plan', 'data'] as const;
    const retryable = kinds.map((kind) => {
      const [e] = a.adapt({ type: 'failed', kind, reason: 'x', backend: 'webgpu' });
      return e?.type === 'failed' && e.retryable;
    });
    expect(retryable).toEqual([true, true, false, false, false]);
  });
});

describe('RlEventAdapter', () => {
  const recent = { episodes: 3, meanReturn: 12.5, meanSpeed: 24, collisionRate: 1 / 3 };

  it('splits progress into metrics and a world frame, and episodes into return points', () => {
    const a = new RlEventAdapter();
    const frame = { time: 1, step: 2, seed: 0, roadLength: 400, lanes: 4, laneWidth: 4, vehicleLength: 5, vehicleWidth: 2, egoId: 0, egoTargetSpeed: 25, lastAction: 1, lastReward: 0.5, episodeReturn: 1, vehicles: [] };
    const out = a.adapt({ type: 'progress', step: 300, totalSteps: 20000, episode: 4, epsilon: 0.9, loss: null, stepsPerSecond: 80, elapsedMs: 1, recent, frame });
    expect(out).toEqual([
      { type: 'rl', metrics: { step: 300, totalSteps: 20000, episode: 4, epsilon: 0.9, stepsPerSecond: 80, meanReturn: 12.5, collisionRate: 1 / 3, meanSpeed: 24 } },
      { type: 'world', snapshot: frame, caption: 'training · episode 5' },
    ]);
    const [ep] = a.adapt({ type: 'episode', report: { index: 4, seed: 4, return: 9.5, steps: 40, meanSpeed: 23, crashed: false } });
    expect(ep).toEqual({ type: 'rl', metrics: { step: 300, episode: 4, episodeReturn: 9.5 } });
    const [none] = a.adapt({ type: 'progress', step: 10, totalSteps: 20000, episode: 0, epsilon: 1, loss: 0.2, stepsPerSecond: 50, elapsedMs: 1, recent: { episodes: 0, meanReturn: 0, meanSpeed: null, collisionRate: 0 }, frame: null });
    // No finished episode yet: no averages (a 0 would be a made-up point on the charts).
    expect(none).toEqual({ type: 'rl', metrics: { step: 10, totalSteps: 20000, episode: 0, epsilon: 1, stepsPerSecond: 50, loss: 0.2 } });
  });

  it('maps the evaluation to the baselines table and sizes checkpoints by their arrays', () => {
    const a = new RlEventAdapter();
    const [ev] = a.adapt({
      type: 'evaluation',
      report: { heldOutSeed: 1000, episodes: 2, rows: [{ policy: 'idm', label: 'IDM + MOBIL', episodes: 2, meanReturn: 20, meanSpeed: 22, collisionRate: 0, returns: [19, 21] }] },
    });
    expect(ev).toEqual({ type: 'evaluation', evaluation: { kind: 'driving', heldOutSeed: 1000, rows: [{ policy: 'idm', label: 'IDM + MOBIL', episodes: 2, meanReturn: 20, meanSpeed: 22, collisionRate: 0 }] } });
    expect(payloadBytes({ a: new Float32Array(10), b: [{ c: new Int32Array(3) }], d: 'text' })).toBe(52);
  });
});
