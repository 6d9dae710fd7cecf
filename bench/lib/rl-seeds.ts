/**
 * bench:rl's multi-seed part: train one driver preset K times, run k with agent seed k and
 * environment (training-episode) seed k, score each trained agent on the Evaluator's held-out
 * seeds, and summarise against IDM + MOBIL on those same seeds. "Beating" IDM + MOBIL means a
 * higher mean speed at a collision rate no higher than its own.
 */
import type { ReinforcementPlan } from '../../src/graph/plan';
import type { EvaluationSettings } from '../../src/protocol/rl';
import { HIGHWAY_ACTIONS } from '../../nodes/rl/environment';
import { RlRun } from '../../workers/rl/rl-run';

export interface SeedRow {
  seed: number;
  meanSpeed: number;
  collisionRate: number;
  meanReturn: number;
  trainSeconds: number;
  /**
   * Training steps per CPU second of this process over the last tenth of the run, over the same in
   * its second tenth: what the run itself costs, which the machine's other load does not change
   * (REINFORCE's tenths last ~3 s, so wall-clock rates swung with whatever else ran).
   */
  endOverStart: number;
  /** The same per wall-clock second of training. */
  endOverStartWall: number;
  /** The two tenths `endOverStart` compares, in steps and CPU seconds, for pooling over seeds. */
  cpuTenths: { start: Stretch; end: Stretch };
  /**
   * Share of each meta-action among the trained agent's held-out decisions: a policy that barely
   * learned drives by one action everywhere (REINFORCE once took SLOWER at every step).
   */
  actionShares: number[];
}

export interface SeedSummary {
  algorithm: string;
  seeds: number;
  beat_idm_seeds: number;
  mean_speed: number;
  mean_collision_rate: number;
  worst_collision_rate: number;
  idm_mean_speed: number;
  idm_collision_rate: number;
  train_seconds_max: number;
  /** The worst seed's ratio. */
  steps_per_s_end_over_start: number;
  /** All seeds' tenths pooled (`pooledEndOverStart`). */
  steps_per_s_end_over_start_pooled: number;
  steps_per_wall_s_end_over_start: number;
}

const round = (x: number, digits = 3): number => Number(x.toFixed(digits));

/** The plan with agent and environment seeds set to `seed`. */
export function seeded(plan: ReinforcementPlan, seed: number): ReinforcementPlan {
  const copy = structuredClone(plan) as ReinforcementPlan & { agent: { params: Record<string, unknown> }; environment: { params: Record<string, unknown> } };
  copy.agent.params.seed = seed;
  copy.environment.params.seed = seed;
  return copy;
}

/**
 * Steps per active second over the second tenth of the run and over the last tenth, from the
 * progress events' (step, elapsedMs) pairs; the first tenth is left out because DQN does not
 * learn before `learningStarts` and would look fast there.
 */
export function endOverStart(points: readonly { step: number; ms: number }[], total: number): number {
  return ratio(tenths(points, total));
}

/** End rate over start rate. */
const ratio = ({ start, end }: { start: Stretch; end: Stretch }): number => rate(end) / rate(start);

/** Steps taken and seconds spent in a stretch of a run. */
export interface Stretch {
  steps: number;
  seconds: number;
}

const rate = (s: Stretch): number => s.steps / Math.max(1e-9, s.seconds);

/** The second tenth of the run and the last, as {@link endOverStart} times them. */
export function tenths(points: readonly { step: number; ms: number }[], total: number): { start: Stretch; end: Stretch } {
  if (points.length === 0) throw new Error('no progress points to time');
  const at = (fraction: number): { step: number; ms: number } => points.find((p) => p.step >= fraction * total) ?? points.at(-1)!;
  const stretch = (a: { step: number; ms: number }, b: { step: number; ms: number }): Stretch => ({ steps: b.step - a.step, seconds: (b.ms - a.ms) / 1000 });
  return { start: stretch(at(0.1), at(0.2)), end: stretch(at(0.9), at(1)) };
}

/**
 * The end-over-start ratio of all seeds' tenths pooled (their steps over their CPU seconds): a
 * tenth of a PPO run is 2–3 CPU seconds, where one garbage-collection pause moves a single seed's
 * ratio by tens of percent, while a slowdown over the run (DQN's 270 → 160 steps/s once) shows in
 * every seed and so in the pool.
 */
export function pooledEndOverStart(rows: readonly Pick<SeedRow, 'cpuTenths'>[]): number {
  const sum = (which: 'start' | 'end'): Stretch => ({
    steps: rows.reduce((s, r) => s + r.cpuTenths[which].steps, 0),
    seconds: rows.reduce((s, r) => s + r.cpuTenths[which].seconds, 0),
  });
  return ratio({ start: sum('start'), end: sum('end') });
}

/** Trains and scores one seed; `log` gets a progress line every ~`every` steps. */
export async function trainSeed(
  plan: ReinforcementPlan,
  seed: number,
  backend: 'wasm' | 'cpu',
  evaluation: EvaluationSettings,
  log: (line: string) => void,
  every = 5000,
): Promise<{ row: SeedRow; idm: { meanSpeed: number; collisionRate: number } | null; run: RlRun }> {
  const points: { step: number; ms: number }[] = [];
  const cpuPoints: { step: number; ms: number }[] = [];
  const cpuStart = process.cpuUsage();
  let validationCpuMs = 0;
  let validationStart: NodeJS.CpuUsage | undefined;
  let lastPrint = 0;
  const run = new RlRun(seeded(plan, seed), {
    backend,
    emit: (e) => {
      if (e.type === 'progress') {
        points.push({ step: e.step, ms: e.elapsedMs });
        const cpu = process.cpuUsage(cpuStart);
        cpuPoints.push({ step: e.step, ms: (cpu.user + cpu.system) / 1000 - validationCpuMs });
        if (e.step - lastPrint >= every || e.step >= e.totalSteps) {
          lastPrint = e.step;
          const eps = e.epsilon === undefined ? '' : ` ε ${e.epsilon.toFixed(2)}`;
          log(`  seed ${seed} step ${e.step}${eps} ${Math.round(e.stepsPerSecond)} steps/s; recent: return ${e.meanReturn?.toFixed(2)}, speed ${e.meanSpeed?.toFixed(2)}, collisions ${e.collisionRate?.toFixed(2)}`);
        }
      }
      // Validation episodes (an Agent that keeps the best) are not training: their CPU time, from
      // the 'validating' status to the 'validated' one, is left out of the rates.
      if (e.type === 'status' && e.text.startsWith('validating')) validationStart = process.cpuUsage();
      if (e.type === 'status' && e.text.startsWith('validated') && validationStart) {
        const used = process.cpuUsage(validationStart);
        validationCpuMs += (used.user + used.system) / 1000;
        validationStart = undefined;
      }
      if (e.type === 'status' && /^(validated|kept)/.test(e.text)) log(`  seed ${seed} ${e.text}`);
      if (e.type === 'failed') log(`failed: ${e.message}`);
    },
  });
  run.settings.evaluation = null;
  const start = performance.now();
  const outcome = await run.run();
  const trainSeconds = (performance.now() - start) / 1000;
  const cpuTenths = tenths(cpuPoints, plan.agent.params.totalSteps as number);
  if (outcome !== 'completed') throw new Error(`training seed ${seed} ended ${outcome}`);
  const counts = new Array<number>(HIGHWAY_ACTIONS.length).fill(0);
  const agentPolicy = run.agentPolicy.bind(run);
  run.agentPolicy = () => {
    const policy = agentPolicy();
    return async (observations, rows) => {
      const actions = await policy(observations, rows);
      for (let r = 0; r < rows; r++) counts[actions[r]!]!++;
      return actions;
    };
  };
  const report = await run.evaluate(evaluation);
  const agent = report.rows.find((r) => r.policy === 'agent')!;
  const idm = report.rows.find((r) => r.policy === 'idm');
  return {
    row: {
      seed,
      meanSpeed: agent.meanSpeed,
      collisionRate: agent.collisionRate,
      meanReturn: agent.meanReturn,
      trainSeconds,
      endOverStart: ratio(cpuTenths),
      cpuTenths,
      endOverStartWall: endOverStart(points, plan.agent.params.totalSteps as number),
      actionShares: shares(counts),
    },
    idm: idm ? { meanSpeed: idm.meanSpeed, collisionRate: idm.collisionRate } : null,
    run,
  };
}

/** Counts as fractions of their sum (all 0 when there are none). */
export function shares(counts: readonly number[]): number[] {
  const total = counts.reduce((a, b) => a + b, 0);
  return counts.map((c) => (total > 0 ? c / total : 0));
}

/** "lane left 3%, idle 41%, …": how the agent drove on the held-out seeds. */
export function describeShares(actionShares: readonly number[]): string {
  return actionShares.map((f, k) => `${HIGHWAY_ACTIONS[k] ?? `action ${k}`} ${Math.round(100 * f)}%`).join(', ');
}

export function beats(row: SeedRow, idm: { meanSpeed: number; collisionRate: number }): boolean {
  return row.meanSpeed > idm.meanSpeed && row.collisionRate <= idm.collisionRate;
}

/** The summary line's fields, in the issue's order; the steps/s ratio is the worst seed's. */
export function summarize(algorithm: string, rows: SeedRow[], idm: { meanSpeed: number; collisionRate: number }): SeedSummary {
  const mean = (f: (r: SeedRow) => number) => rows.reduce((s, r) => s + f(r), 0) / rows.length;
  return {
    algorithm,
    seeds: rows.length,
    beat_idm_seeds: rows.filter((r) => beats(r, idm)).length,
    mean_speed: round(mean((r) => r.meanSpeed)),
    mean_collision_rate: round(mean((r) => r.collisionRate)),
    worst_collision_rate: round(Math.max(...rows.map((r) => r.collisionRate))),
    idm_mean_speed: round(idm.meanSpeed),
    idm_collision_rate: round(idm.collisionRate),
    train_seconds_max: round(Math.max(...rows.map((r) => r.trainSeconds)), 1),
    steps_per_s_end_over_start: round(Math.min(...rows.map((r) => r.endOverStart))),
    steps_per_s_end_over_start_pooled: round(pooledEndOverStart(rows)),
    steps_per_wall_s_end_over_start: round(Math.min(...rows.map((r) => r.endOverStartWall))),
  };
}
