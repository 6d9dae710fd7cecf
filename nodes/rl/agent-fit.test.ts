/** Agent schedules that cannot run their course within `totalSteps`: diagnosed, and fixed in one click. */
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/graph/compile';
import { presetDoc } from '../../presets/test-fixtures';
import { epsilonAt, gradientStepsAfter } from '../../src/rl/schedule';
import { registry } from '../registry';
import { addQLearner, GraphBuilder } from '../test-helpers';

function agentWith(params: Record<string, unknown>) {
  const g = new GraphBuilder();
  const { agent } = addQLearner(g, { agent: params });
  const analysed = () => g.validate().nodes[agent]!;
  return { g, agent, issues: () => analysed().diagnostics.filter((d) => d.code === 'schedule-incomplete'), params: () => analysed().params as never };
}

describe('Agent schedule fit', () => {
  it('refuses learning that starts after the run ends; the fix trains within it', () => {
    const a = agentWith({ totalSteps: 1000, learningStarts: 5000, epsilonDecaySteps: 500 });
    const [issue] = a.issues();
    expect(issue).toMatchObject({ severity: 'error', param: 'learningStarts', message: expect.stringMatching(/never train/) });
    expect(compile(a.g.doc, registry).ok).toBe(false);
    a.g.applyFix(a.agent, issue!.fix!);
    expect(a.issues()).toEqual([]);
    const steps = Array.from({ length: 1000 }, (_, i) => gradientStepsAfter(a.params(), i + 1)).reduce((s, n) => s + n, 0);
    expect(steps).toBe(900);
  });

  it('warns when ε would not reach its end; the fix gets there halfway', () => {
    const a = agentWith({ totalSteps: 1000, epsilonDecaySteps: 4000, epsilonStart: 1, epsilonEnd: 0.05 });
    const [issue] = a.issues();
    expect(issue).toMatchObject({ severity: 'warning', param: 'epsilonDecaySteps', message: expect.stringMatching(/ends at 0\.76\d*, not 0\.05/) });
    a.g.applyFix(a.agent, issue!.fix!);
    expect(a.issues()).toEqual([]);
    expect(epsilonAt(a.params(), 500)).toBeCloseTo(0.05);
  });

  it('leaves the DQN and PPO presets alone', () => {
    expect(compile(presetDoc('dqn-driver'), registry).diagnostics).toEqual([]);
    expect(compile(presetDoc('ppo-driver'), registry).diagnostics).toEqual([]);
  });

  it("warns when REINFORCE would take too few updates (the PPO driver switched to it: 195), and the fix gives it ~800", () => {
    const doc = presetDoc('ppo-driver');
    const agent = doc.nodes.find((n) => n.type === 'Agent')!;
    agent.params = { ...agent.params, algorithm: 'reinforce', learningRate: 3e-4 };
    const g = new GraphBuilder();
    g.doc.nodes.push(...doc.nodes);
    g.doc.edges.push(...doc.edges);
    const issues = () => g.validate().nodes[agent.id]!.diagnostics.filter((d) => d.code === 'schedule-incomplete');
    const [issue] = issues();
    expect(issue).toMatchObject({ severity: 'warning', param: 'rolloutSteps', message: expect.stringMatching(/8 environments × 64 steps in 100,000 steps is 195 updates/) });
    expect(compile(g.doc, registry).ok).toBe(true);
    g.applyFix(agent.id, issue!.fix!);
    expect(issues()).toEqual([]);
    expect(g.validate().nodes[agent.id]!.params).toMatchObject({ rolloutSteps: 15, learningRate: 1e-3 });
  });
});
