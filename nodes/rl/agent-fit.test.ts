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

  it('leaves the DQN preset alone', () => {
    expect(compile(presetDoc('dqn-driver'), registry).diagnostics).toEqual([]);
  });
});
