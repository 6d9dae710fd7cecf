import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RlEvent } from '../../src/protocol/rl';
import { evaluatePolicy } from '../../src/rl/highway/evaluate';
import { RlRun } from './rl-run';
import { highwayPlan } from './rl-test-plans';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A clock that advances 10 ms per reading, so progress throttling is exercised without real time. */
function fakeClock(): () => number {
  let t = 0;
  return () => (t += 10);
}

const agent = { totalSteps: 240, learningStarts: 40, replaySize: 500, batchSize: 8, targetSync: 30, epsilonDecaySteps: 200 };

describe('RlRun', () => {
  it('trains, streams progress with world snapshots, checkpoints, evaluates and finishes', async () => {
    const events: RlEvent[] = [];
    const plan = highwayPlan({
      environment: { vehicles: 10 },
      agent,
      hidden: [16],
      evaluator: { episodes: 2, heldOutSeed: 1_000_000, baselines: ['idm', 'random'] },
    });
    const run = new RlRun(plan, { backend: 'cpu', emit: (e: RlEvent) => events.push(e), now: fakeClock(), progressIntervalMs: 50 });
    expect(await run.run()).toBe('completed');
    const types = events.map((e) => e.type);
    expect(types[0]).toBe('status');
    expect(types.at(-1)).toBe('done');
    expect(types.indexOf('checkpoint')).toBeLessThan(types.indexOf('evaluation'));

    const progress = events.filter((e) => e.type === 'progress');
    // Each step reads the clock at least once (10 ms), so 240 steps give well over 240×10/50 / 2 events.
    expect(progress.length).toBeGreaterThan(20);
    const steps = progress.map((p) => p.step);
    expect([...steps].sort((a, b) => a - b)).toEqual(steps);
    expect(steps.at(-1)).toBe(240);
    const last = progress.at(-1)!;
    expect(last.frame?.vehicles).toHaveLength(11);
    expect(last.epsilon).toBeCloseTo(0.05, 9);
    expect(last.tdLoss).toBeDefined();
    expect(last.meanReturn).toBeDefined();
    expect(last.stepsPerSecond).toBeGreaterThan(0);
    expect(events.filter((e) => e.type === 'episode').length).toBe(last.episode);
    const episodes = events.flatMap((e) => (e.type === 'episode' ? [e] : []));
    expect(episodes.map((e) => e.index)).toEqual(episodes.map((_, i) => i));
    expect(episodes.every((e) => Number.isFinite(e.episodeReturn) && e.step > 0 && e.step <= 240)).toBe(true);

    const evaluation = events.find((e) => e.type === 'evaluation');
    expect(evaluation?.type === 'evaluation' && evaluation.evaluation.kind === 'driving' && evaluation.evaluation.rows.map((r) => [r.policy, r.episodes])).toEqual([
      ['agent', 2],
      ['idm', 2],
      ['random', 2],
    ]);
    const done = events.at(-1);
    expect(done?.type === 'done' && done.reason).toBe('completed');
    run.dispose();
  });

  it('evaluates the agent through agentPolicy, side by side, as one-by-one play scores it', async () => {
    const plan = highwayPlan({ environment: { vehicles: 10, episodeSeconds: 8 }, agent: { ...agent, totalSteps: 120 }, hidden: [16] });
    const run = new RlRun(plan, { backend: 'cpu', emit: () => {} });
    run.settings.evaluation = null;
    expect(await run.run()).toBe('completed');
    let decisions = 0;
    let calls = 0;
    const agentPolicy = run.agentPolicy.bind(run);
    run.agentPolicy = () => {
      const policy = agentPolicy();
      return (observations, rows) => {
        calls++;
        decisions += rows;
        return policy(observations, rows);
      };
    };
    const report = await run.evaluate({ episodes: 4, heldOutSeed: 1_000_000, baselines: [] });
    const alone = await evaluatePolicy(run.makeEnv(), run.policyFor('agent', 1_000_000), { episodes: 4, firstSeed: 1_000_000 });
    const row = report.rows.find((r) => r.policy === 'agent')!;
    expect(row.returns).toEqual(alone.results.map((r) => r.return));
    expect(row.collisionRate).toBe(alone.collisionRate);
    // Every decision of every episode went through agentPolicy (bench:rl counts the agent's actions there), four at a time.
    expect(decisions).toBe(alone.results.reduce((sum, r) => sum + r.steps, 0));
    expect(calls).toBe(Math.max(...alone.results.map((r) => r.steps)));
    run.dispose();
  });

  it('pauses, resumes and stops at step boundaries, then resumes from its checkpoint', async () => {
    const events: RlEvent[] = [];
    const plan = highwayPlan({ environment: { vehicles: 10 }, agent, hidden: [16] });
    let run: RlRun;
    let stepWhenPaused = -1;
    const emit = (e: RlEvent): void => {
      events.push(e);
      if (e.type === 'progress' && e.step >= 60 && stepWhenPaused < 0) {
        stepWhenPaused = e.step;
        run.pause();
        // Nothing may happen while paused; resume a little later, then stop soon after.
        setTimeout(() => {
          expect(events.at(-1)?.type).toBe('paused');
          run.resume();
        }, 30);
      }
      if (e.type === 'progress' && e.step >= 120) run.stop();
    };
    run = new RlRun(plan, { backend: 'cpu', emit, now: fakeClock(), progressIntervalMs: 50, yieldIntervalMs: 20 });
    expect(await run.run()).toBe('stopped');
    const types = events.map((e) => e.type);
    expect(types).toContain('paused');
    expect(types).toContain('resumed');
    const paused = events.find((e) => e.type === 'paused');
    expect(paused?.type === 'paused' && paused.step).toBe(stepWhenPaused);
    const done = events.at(-1);
    expect(done?.type === 'done' && done.reason).toBe('stopped');
    const stoppedAt = done?.type === 'done' ? done.step : -1;
    expect(stoppedAt).toBeLessThan(240);
    const saved = events.find((e) => e.type === 'checkpoint');
    expect(saved?.type === 'checkpoint' && [saved.step, saved.epoch]).toEqual([stoppedAt, stoppedAt]);
    expect(saved?.type === 'checkpoint' && saved.bytes).toBeGreaterThan(0);
    run.dispose();

    const more: RlEvent[] = [];
    const resumed = new RlRun(plan, {
      backend: 'cpu',
      emit: (e: RlEvent) => more.push(e),
      now: fakeClock(),
      resumeFrom: saved?.type === 'checkpoint' ? saved.payload : undefined,
    });
    expect(await resumed.run()).toBe('completed');
    const firstProgress = more.find((e) => e.type === 'progress');
    expect(firstProgress?.type === 'progress' && firstProgress.step).toBeGreaterThan(stoppedAt);
    const end = more.at(-1);
    expect(end?.type === 'done' && end.step).toBe(240);
    resumed.dispose();
  });

  it('plays an episode frame by frame for the driving view', async () => {
    const plan = highwayPlan({ environment: { vehicles: 10, episodeSeconds: 5 }, agent, hidden: [16] });
    const run = new RlRun(plan, { backend: 'cpu', emit: () => {} });
    const frames: number[] = [];
    const result = await run.watch('idm', 3, (f) => frames.push(f.time), false);
    // 5 s at 15 Hz after the initial frame, unless the IDM driver crashed (it should not).
    expect(result.crashed).toBe(false);
    expect(frames).toHaveLength(1 + 5 * 15);
    expect(frames.at(-1)).toBeCloseTo(5, 9);
    run.dispose();
  });
});
