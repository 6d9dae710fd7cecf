import { describe, expect, it } from 'vitest';
import { registry } from '../../../nodes/registry';
import { presetDoc } from '../../../presets/test-fixtures';
import { compile } from '../../graph/compile';
import type { TrainingPlan } from '../../graph/plan';
import type { RunRecord } from '../runs-db-record';
import type { RunListEntry } from '../runs-db';
import type { DrivingEvaluation } from '../client-types';
import { earlierAgents } from './earlier-agents';

function plan(id: 'dqn-driver' | 'ppo-driver', environment: Record<string, unknown> = {}): TrainingPlan {
  const doc = presetDoc(id);
  for (const n of doc.nodes) if (n.type === 'Environment') n.params = { ...n.params, ...environment };
  const r = compile(doc, registry);
  if (!r.ok) throw new Error('preset does not compile');
  return r.plan;
}

const evaluation = (label: string, speed: number, heldOutSeed = 1_000_000, episodes = 50): DrivingEvaluation => ({
  kind: 'driving',
  heldOutSeed,
  rows: [
    { policy: 'agent', label, episodes, meanReturn: 10, meanSpeed: speed, collisionRate: 0 },
    { policy: 'idm', label: 'IDM + MOBIL', episodes, meanReturn: 9, meanSpeed: 24, collisionRate: 0 },
  ],
});

function entry(id: string, p: TrainingPlan, e: DrivingEvaluation | undefined, createdAt: number): RunListEntry {
  return { ok: true, run: { id, name: p.name, plan: p, createdAt, evaluation: e } as unknown as RunRecord };
}

describe('earlierAgents', () => {
  const current = evaluation('PPO agent', 25);
  const ppo = plan('ppo-driver');

  it("offers earlier runs' agents played on the same held-out seeds of the same road, newest first", () => {
    const entries = [
      entry('dqn-1', plan('dqn-driver'), evaluation('DQN agent', 26), 1),
      entry('ppo-0', ppo, evaluation('PPO agent', 23), 2),
      entry('now', ppo, current, 3),
    ];
    const rows = earlierAgents(entries, current, ppo, 'now');
    expect(rows.map((r) => [r.runId, r.label, r.meanSpeed])).toEqual([
      ['ppo-0', 'PPO agent', 23],
      ['dqn-1', 'DQN agent', 26],
    ]);
    expect(rows[1]!.runName).toBe('DQN driver');
  });

  it('leaves out other seeds, other episode counts, another road, runs without an evaluation and damaged records', () => {
    const entries: RunListEntry[] = [
      entry('seed', ppo, evaluation('PPO agent', 23, 5), 1),
      entry('count', ppo, evaluation('PPO agent', 23, 1_000_000, 10), 2),
      entry('road', plan('dqn-driver', { vehicles: 10 }), evaluation('DQN agent', 26), 3),
      entry('none', ppo, undefined, 4),
      { ok: false, id: 'bad', problem: 'unreadable' },
    ];
    expect(earlierAgents(entries, current, ppo, 'now')).toEqual([]);
  });
});
