/**
 * Whether an Agent's schedules fit its run of `totalSteps` environment steps: one that starts
 * learning after the run ends never trains, and an ε decay longer than the run leaves the agent
 * exploring more than asked until the end. Each comes with the edit that makes it fit.
 */
import type { NodeIssue } from '../../src/graph/diagnostics';
import type { AgentParams } from '../../src/rl/schedule';

/** The Agent settings its schedules depend on. */
export type AgentFitParams = Pick<AgentParams, 'totalSteps' | 'learningStarts' | 'epsilonStart' | 'epsilonEnd' | 'epsilonDecaySteps'>;

const count = new Intl.NumberFormat('en-US');

export function agentScheduleIssues(p: AgentFitParams): NodeIssue[] {
  const issues: NodeIssue[] = [];
  if (p.learningStarts >= p.totalSteps) {
    const starts = Math.floor(p.totalSteps / 10);
    issues.push({
      severity: 'error',
      code: 'schedule-incomplete',
      param: 'learningStarts',
      message: `learning starts after ${count.format(p.learningStarts)} steps but the run has ${count.format(p.totalSteps)}: the agent would never train`,
      fix: { kind: 'set-params', label: `Start learning at step ${count.format(starts)}`, params: { learningStarts: starts } },
    });
  }
  if (p.epsilonDecaySteps > p.totalSteps && p.epsilonStart !== p.epsilonEnd) {
    const reached = p.epsilonStart + (p.epsilonEnd - p.epsilonStart) * (p.totalSteps / p.epsilonDecaySteps);
    const decay = Math.max(1, Math.round(p.totalSteps / 2));
    issues.push({
      // The agent still learns; it only explores more than asked, which a user may mean.
      severity: 'warning',
      code: 'schedule-incomplete',
      param: 'epsilonDecaySteps',
      message: `ε decays over ${count.format(p.epsilonDecaySteps)} steps but the run has ${count.format(p.totalSteps)}: it ends at ${Number(reached.toFixed(3))}, not ${p.epsilonEnd}`,
      fix: { kind: 'set-params', label: `Decay ε over ${count.format(decay)} steps`, params: { epsilonDecaySteps: decay } },
    });
  }
  return issues;
}
