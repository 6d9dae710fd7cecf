import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RlEvent } from '../../src/protocol/rl';
import type { PolicyCheckpoint, TrainerCheckpoint } from '../../src/protocol/rl-checkpoint';
import { RlRun } from './rl-run';
import { highwayPlan } from './rl-test-plans';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function fakeClock(): () => number {
  let t = 0;
  return () => (t += 10);
}

const ppo = { algorithm: 'ppo' as const, totalSteps: 192, numEnvs: 4, rolloutSteps: 16, minibatchSize: 32, epochs: 2 };

describe('RlRun with a policy-gradient agent', () => {
  it.each(['ppo', 'reinforce'] as const)('%s: trains several environments, streams its losses and the first one’s road, evaluates', async (algorithm) => {
    const events: RlEvent[] = [];
    const plan = highwayPlan({ environment: { vehicles: 10 }, agent: { ...ppo, algorithm }, hidden: [16], evaluator: { episodes: 2, heldOutSeed: 1_000_000, baselines: ['idm'] } });
    const run = new RlRun(plan, { backend: 'cpu', emit: (e: RlEvent) => events.push(e), now: fakeClock(), progressIntervalMs: 50 });
    expect(await run.run()).toBe('completed');
    const progress = events.flatMap((e) => (e.type === 'progress' ? [e] : []));
    const last = progress.at(-1)!;
    expect(last.step).toBe(192);
    expect(last.epsilon).toBeUndefined();
    expect(last.policyLoss).toBeDefined();
    expect(last.valueLoss).toBeGreaterThanOrEqual(0);
    // Five actions: the entropy of a policy lies between 0 and ln 5.
    expect(last.entropy).toBeGreaterThan(0);
    expect(last.entropy).toBeLessThanOrEqual(Math.log(5) + 1e-6);
    expect(last.frame?.vehicles).toHaveLength(11);
    const evaluation = events.find((e) => e.type === 'evaluation');
    expect(evaluation?.type === 'evaluation' && evaluation.evaluation.kind === 'driving' && evaluation.evaluation.rows.map((r) => r.policy)).toEqual(['agent', 'idm']);
    run.dispose();
  });

  it('resumes a stopped PPO run from its checkpoint where it stopped', async () => {
    const plan = highwayPlan({ environment: { vehicles: 10 }, agent: ppo, hidden: [16] });
    const events: RlEvent[] = [];
    const first = new RlRun(plan, {
      backend: 'cpu',
      emit: (e: RlEvent) => {
        events.push(e);
        if (e.type === 'progress' && e.step >= 40) first.stop();
      },
      now: fakeClock(),
      progressIntervalMs: 10,
    });
    expect(await first.run()).toBe('stopped');
    const saved = events.flatMap((e) => (e.type === 'checkpoint' ? [e.payload as TrainerCheckpoint<PolicyCheckpoint>] : [])).at(-1)!;
    expect(saved.agent.format).toBe('tensorloom-policy-gradient');
    const stoppedAt = saved.agent.step;
    expect(stoppedAt).toBeLessThan(192);
    const later: RlEvent[] = [];
    const second = new RlRun(plan, { backend: 'cpu', emit: (e: RlEvent) => later.push(e), now: fakeClock(), resumeFrom: saved });
    expect(await second.run()).toBe('completed');
    const steps = later.flatMap((e) => (e.type === 'progress' ? [e.step] : []));
    expect(steps[0]).toBeGreaterThan(stoppedAt);
    expect(steps.at(-1)).toBe(192);
    first.dispose();
    second.dispose();
  });
});
