/**
 * The two driver presets: both load through `admitDocument`, compile into RL plans on the same
 * road, and train through the worker's run loop (shortened here to a few hundred steps).
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { registry } from '../nodes/registry';
import { compile } from '../src/graph/compile';
import type { ReinforcementPlan } from '../src/graph/plan';
import type { RlEvent } from '../src/protocol/rl';
import { RlRun } from '../workers/rl/rl-run';
import { presets } from '.';
import { presetDoc } from './test-fixtures';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function planOf(id: 'dqn-driver' | 'ppo-driver', agent: Record<string, unknown> = {}): ReinforcementPlan {
  const doc = presetDoc(id);
  for (const n of doc.nodes) if (n.type === 'Agent') n.params = { ...n.params, ...agent };
  const r = compile(doc, registry);
  if (!r.ok || r.plan.mode !== 'rl') throw new Error(`${id} does not compile: ${r.ok ? 'not an RL plan' : r.diagnostics.map((d) => d.message).join('; ')}`);
  return r.plan;
}

describe('driver presets', () => {
  it('are listed side by side and compile on the same road, DQN to Q-values and PPO to logits and a value', () => {
    const ids = presets.map((p) => p.id);
    expect(ids.indexOf('ppo-driver')).toBe(ids.indexOf('dqn-driver') + 1);
    const dqn = planOf('dqn-driver');
    const ppo = planOf('ppo-driver');
    expect(ppo.environment.params).toEqual(dqn.environment.params);
    expect(dqn.model.outputShape).toEqual([5]);
    expect(ppo.model.outputShape).toEqual([6]);
    expect(ppo.agent.params).toMatchObject({ algorithm: 'ppo', numEnvs: 8 });
    expect(ppo.evaluator?.params).toEqual(dqn.evaluator?.params);
  });

  it('the PPO driver trains a few hundred steps, reporting its losses', async () => {
    const events: RlEvent[] = [];
    const plan = planOf('ppo-driver', { totalSteps: 256, rolloutSteps: 16 });
    const run = new RlRun(plan, { backend: 'cpu', emit: (e) => events.push(e) });
    run.settings.evaluation = null;
    expect(await run.run()).toBe('completed');
    const last = events.flatMap((e) => (e.type === 'progress' ? [e] : [])).at(-1)!;
    expect(last.step).toBe(256);
    expect(Number.isFinite(last.policyLoss) && Number.isFinite(last.valueLoss)).toBe(true);
    run.dispose();
  });
});
