/**
 * The highway RL benchmark (`npm run bench:rl`): how fast the simulation steps headless, then the
 * DQN-driver preset trained for its `totalSteps` through the worker's own run loop (RlRun) on 'wasm',
 * and the trained agent, the IDM+MOBIL rule driver and a random driver scored on the Evaluator's
 * held-out seeds. Prints one JSON line last.
 *
 * Options: --algorithm dqn|ppo|reinforce (the DQN driver preset, the PPO driver preset, or the PPO
 * driver's graph with REINFORCE chosen in its Agent), --seeds K (train K times, agent and
 * environment seed k for run k, each scored on the held-out seeds: one row per seed, then the
 * summary JSON line last, see lib/rl-seeds.ts), --seed-list 0,3,7 (just those seeds), --steps N (training steps, default the preset's),
 * --episodes N (evaluation episodes, default the Evaluator's), --backend wasm|cpu, --observation kinematics|timeToCollision (the
 * preset's Input follows it; its Dense layers take vectors only), --env-only (just the simulation
 * speed).
 */
import * as tf from '@tensorflow/tfjs';
import { loadavg } from 'node:os';
import { registry } from '../nodes/registry';
import { presetById } from '../presets/index';
import { compile } from '../src/graph/compile';
import type { ReinforcementPlan } from '../src/graph/plan';
import { highwayConfig } from '../src/rl/highway/config';
import { HighwayEnv } from '../src/rl/highway/env';
import { Rng } from '../src/rl/random';
import type { DriverKind, EvaluationSettings } from '../src/protocol/rl';
import { DEFAULT_EVALUATION, RlRun, readRlSettings } from '../workers/rl/rl-run';
import { quietTfjs, startWasm } from './lib/wasm-node';
import { beats, describeShares, summarize, trainSeed, type SeedRow } from './lib/rl-seeds';

const ALGORITHMS = ['dqn', 'ppo', 'reinforce'] as const;

/**
 * What `--algorithm reinforce` changes in the PPO driver's Agent. REINFORCE takes one gradient step
 * per rollout where PPO takes epochs × rows / minibatch (16) of them, so with PPO's 64-step
 * rollouts and learning rate it made ~195 small steps in 100k environment steps: its policy stayed
 * near uniform (entropy 1.54 of ln 5 = 1.61) and the greedy driver took the one action a hair more
 * likely than the others, SLOWER, everywhere, the same 20.07 m/s for every seed. Rollouts of 16
 * steps (4× the updates) and a learning rate of 1e-3 let it learn a driver (--seeds 10: 6 of 10
 * beat IDM + MOBIL, ~30 s each; 9 of 10 at 41–48 s once the PPO driver, whose other settings it
 * shares, scaled rewards, kept the best weights and charged lane changes; 10 of 10 at 48–58 s once
 * the best three weights were validated again on new episodes).
 */
const REINFORCE_SETTINGS = { learningRate: 0.001, rolloutSteps: 16 };
type Algorithm = (typeof ALGORITHMS)[number];

function option(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

const round = (x: number, digits = 3): number => Number(x.toFixed(digits));

/**
 * Policy steps per second of the bare simulation under random actions, resets included: per
 * wall-clock second, and per second of this process's CPU time (what the machine's other load
 * does not change).
 */
function envStepsPerSecond(plan: ReinforcementPlan, seconds: number): { wall: number; cpu: number } {
  const env = new HighwayEnv(highwayConfig(readRlSettings(plan).environment));
  const rng = new Rng(1);
  let episode = 0;
  env.reset(episode);
  let steps = 0;
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  while (performance.now() - start < seconds * 1000) {
    for (let k = 0; k < 200; k++) {
      const r = env.step(rng.int(env.numActions));
      steps++;
      if (r.terminated || r.truncated) env.reset(++episode);
    }
  }
  const cpu = process.cpuUsage(cpuStart);
  return { wall: steps / ((performance.now() - start) / 1000), cpu: steps / ((cpu.user + cpu.system) / 1e6) };
}

/**
 * The preset compiled into its plan, with the bench's overrides applied to its nodes first, so the
 * compiler checks them against the nodes' bounds and the Input follows a changed observation.
 */
function presetPlan(algorithm: Algorithm): ReinforcementPlan {
  const id = algorithm === 'dqn' ? 'dqn-driver' : 'ppo-driver';
  const preset = presetById(id);
  if (!preset) throw new Error(`presets/${id}.json is missing`);
  const doc = structuredClone(preset.doc);
  const paramsOf = (type: string): Record<string, unknown> => {
    const node = doc.nodes.find((n) => n.type === type);
    if (!node) throw new Error(`the ${preset.title} preset has no ${type} node`);
    return node.params as Record<string, unknown>;
  };
  paramsOf('Agent').algorithm = algorithm;
  if (algorithm === 'reinforce') Object.assign(paramsOf('Agent'), REINFORCE_SETTINGS);
  const steps = option('steps');
  if (steps) paramsOf('Agent').totalSteps = Number(steps);
  const observation = option('observation');
  if (observation) paramsOf('Environment').observation = observation;
  // For experiments: --agent gamma=0.8,epsilonDecaySteps=14000 and --environment seed=3 override
  // numeric or boolean params of the Agent and Environment nodes.
  for (const [flag, type] of [['agent', 'Agent'], ['environment', 'Environment']] as const) {
    const params = paramsOf(type);
    const schema = registry[type].params.parse({}) as Record<string, unknown>;
    for (const pair of (option(flag) ?? '').split(',').filter(Boolean)) {
      const [key, value] = pair.split('=');
      if (!key || value === undefined || !(key in schema)) {
        throw new Error(`--${flag}: '${pair}' is not key=value of a param (${Object.keys(schema).join(', ')})`);
      }
      const parsed = typeof schema[key] === 'boolean' ? value === 'true' : Number(value);
      if (typeof parsed === 'number' && !Number.isFinite(parsed)) throw new Error(`--${flag}: '${pair}' needs a number`);
      params[key] = parsed;
    }
  }
  const compiled = compile(doc, registry);
  if (!compiled.ok) throw new Error(`the ${preset.title} preset with these options does not compile: ${compiled.diagnostics.map((d) => d.message).join('; ')}`);
  if (compiled.plan.mode !== 'rl') throw new Error(`the ${preset.title} preset compiled to a supervised plan`);
  return compiled.plan;
}

async function main(): Promise<void> {
  quietTfjs();
  const backend = option('backend') ?? 'wasm';
  // One thread, as the app's RL worker runs (rlBackendTries): its MLP's products are too small to
  // split, and on two threads each one-row greedy forward paid the hand-off, so steps/s fell as ε decayed.
  if (backend === 'wasm') await startWasm({ threads: 1 });
  else if (!(await tf.setBackend(backend))) throw new Error(`backend ${backend} is not available`);

  const algorithm = (option('algorithm') ?? 'dqn') as Algorithm;
  if (!ALGORITHMS.includes(algorithm)) throw new Error(`--algorithm must be one of ${ALGORITHMS.join(', ')}, not '${algorithm}'`);
  const plan = presetPlan(algorithm);
  const settings = readRlSettings(plan);
  const evaluation = settings.evaluation ?? DEFAULT_EVALUATION;
  const episodes = Number(option('episodes') ?? evaluation.episodes);

  const envSteps = envStepsPerSecond(plan, 5);
  console.log(
    `env: ${Math.round(envSteps.wall)} policy steps/s (${Math.round(envSteps.cpu)} per CPU second); training ${settings.agent.totalSteps} steps on ${backend} (load ${loadavg()[0]!.toFixed(2)})`,
  );
  if (process.argv.includes('--env-only')) return;
  if (option('seeds') !== undefined || option('seed-list') !== undefined) {
    const k = Number(option('seeds') ?? 1);
    if (!Number.isInteger(k) || k < 1) throw new Error(`--seeds needs a whole number of runs ≥ 1, not '${option('seeds')}'`);
    // --seed-list 0,3,7 trains just those seeds (to look again at the ones that failed).
    const list = option('seed-list')?.split(',').map(Number) ?? Array.from({ length: k }, (_, s) => s);
    if (list.some((s) => !Number.isInteger(s) || s < 0)) throw new Error(`--seed-list needs seeds ≥ 0 separated by commas, not '${option('seed-list')}'`);
    await manySeeds(plan, algorithm, list, backend as 'wasm' | 'cpu', { ...evaluation, episodes, baselines: ['idm'] });
    return;
  }

  let lastPrint = 0;
  const session = new RlRun(plan, {
    backend: backend as 'wasm' | 'cpu',
    emit: (e) => {
      if (e.type === 'progress' && (e.step - lastPrint >= 2000 || e.step === e.totalSteps)) {
        lastPrint = e.step;
        console.log(
          `step ${e.step}${e.epsilon === undefined ? "" : ` ε ${e.epsilon.toFixed(2)}`} ${Math.round(e.stepsPerSecond)} steps/s; recent episodes: return ${e.meanReturn?.toFixed(2)}, speed ${e.meanSpeed?.toFixed(2)}, collisions ${e.collisionRate?.toFixed(2)}`,
        );
      }
      if (e.type === 'failed') console.log(`failed: ${e.message}`);
    },
  });
  // Training only: the evaluation below runs separately so it is timed apart and can change size.
  session.settings.evaluation = null;
  const start = performance.now();
  const outcome = await session.run();
  const trainSeconds = (performance.now() - start) / 1000;
  if (outcome !== 'completed') throw new Error(`training ended ${outcome}`);

  const report = await session.evaluate({ ...evaluation, episodes, baselines: ['idm', 'random'] });
  const row = (p: DriverKind) => report.rows.find((r) => r.policy === p)!;
  for (const r of report.rows) {
    console.log(`${r.label}: return ${r.meanReturn.toFixed(2)}, speed ${r.meanSpeed.toFixed(2)} m/s, collisions ${(100 * r.collisionRate).toFixed(0)}%`);
  }
  session.dispose();
  console.log(
    JSON.stringify({
      env_steps_per_s: Math.round(envSteps.wall),
      [`${algorithm}_mean_speed`]: round(row('agent').meanSpeed),
      [`${algorithm}_collision_rate`]: round(row('agent').collisionRate),
      [`${algorithm}_mean_return`]: round(row('agent').meanReturn),
      idm_mean_speed: round(row('idm').meanSpeed),
      idm_collision_rate: round(row('idm').collisionRate),
      idm_mean_return: round(row('idm').meanReturn),
      random_mean_speed: round(row('random').meanSpeed),
      random_collision_rate: round(row('random').collisionRate),
      train_seconds: round(trainSeconds, 1),
      env_steps_per_cpu_s: Math.round(envSteps.cpu),
      train_steps: settings.agent.totalSteps,
      eval_episodes: episodes,
      observation: settings.environment.observation,
      backend,
      load_1m: round(loadavg()[0]!, 2),
    }),
  );
}

/** A training run of `plan` per seed, a row per seed, the summary JSON line last. */
async function manySeeds(plan: ReinforcementPlan, algorithm: Algorithm, seeds: number[], backend: 'wasm' | 'cpu', evaluation: EvaluationSettings): Promise<void> {
  const rows: SeedRow[] = [];
  let idm: { meanSpeed: number; collisionRate: number } | null = null;
  for (const seed of seeds) {
    const result = await trainSeed(plan, seed, backend, { ...evaluation, baselines: idm ? [] : ['idm'] }, (line) => console.log(line));
    result.run.dispose();
    idm ??= result.idm;
    const r = result.row;
    rows.push(r);
    console.log(
      `seed ${seed}: speed ${r.meanSpeed.toFixed(2)} m/s, collisions ${(100 * r.collisionRate).toFixed(0)}%, return ${r.meanReturn.toFixed(2)}, trained in ${r.trainSeconds.toFixed(1)} s, steps per CPU s end/start ${r.endOverStart.toFixed(2)} (per wall s ${r.endOverStartWall.toFixed(2)}, load ${loadavg()[0]!.toFixed(1)}), beats IDM + MOBIL: ${beats(r, idm!) ? 'yes' : 'no'}; held-out actions: ${describeShares(r.actionShares)}`,
    );
  }
  console.log(`IDM + MOBIL on the same ${evaluation.episodes} held-out seeds: speed ${idm!.meanSpeed.toFixed(2)} m/s, collisions ${(100 * idm!.collisionRate).toFixed(0)}%`);
  console.log(JSON.stringify(summarize(algorithm, rows, idm!)));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
