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

/** Fewer REINFORCE updates than this in a run is too few to learn from (measured on the PPO driver's graph, below). */
export const REINFORCE_MIN_UPDATES = 500;

/**
 * REINFORCE takes one gradient step per rollout (PPO takes several epochs of minibatches), so
 * rollouts long for their run leave it a few hundred small steps: the PPO driver's graph switched to
 * REINFORCE (8 environments × 64 steps in 100,000 steps: 195 updates at 3e-4) kept a near-uniform
 * policy and its greedy driver only slowed down, on every seed. 16-step rollouts at 1e-3 (781
 * updates) beat IDM + MOBIL on 6 of 10 seeds. The fix shortens the rollouts to ~800 updates and
 * raises the rate to at least 1e-3.
 */
export function reinforceUpdateIssues(p: Pick<AgentParams, 'algorithm' | 'totalSteps' | 'numEnvs' | 'rolloutSteps' | 'learningRate'>): NodeIssue[] {
  if (p.algorithm !== 'reinforce') return [];
  const updates = Math.floor(p.totalSteps / (p.numEnvs * p.rolloutSteps));
  if (updates >= REINFORCE_MIN_UPDATES) return [];
  const rolloutSteps = Math.max(2, Math.floor(p.totalSteps / (p.numEnvs * 800)));
  const shorter = rolloutSteps < p.rolloutSteps;
  return [
    {
      severity: 'warning',
      code: 'schedule-incomplete',
      param: 'rolloutSteps',
      message:
        `REINFORCE updates once per rollout: ${p.numEnvs} environments × ${p.rolloutSteps} steps in ${count.format(p.totalSteps)} steps is ` +
        `${count.format(updates)} updates, too few to learn from (fewer than ${REINFORCE_MIN_UPDATES}); ` +
        (shorter ? 'shorter rollouts give more' : 'the run needs more steps'),
      fix: shorter
        ? { kind: 'set-params', label: `Use ${rolloutSteps}-step rollouts at rate ${Math.max(p.learningRate, 1e-3)}`, params: { rolloutSteps, learningRate: Math.max(p.learningRate, 1e-3) } }
        : { kind: 'set-params', label: `Train for ${count.format(REINFORCE_MIN_UPDATES * p.numEnvs * p.rolloutSteps)} steps`, params: { totalSteps: REINFORCE_MIN_UPDATES * p.numEnvs * p.rolloutSteps } },
    },
  ];
}

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
