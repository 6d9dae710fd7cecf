/**
 * The highway RL benchmark (`npm run bench:rl`): how fast the simulation steps headless, then the
 * DQN-driver preset trained for its `totalSteps` through the worker's own run loop (RlRun) on 'wasm',
 * and the trained agent, the IDM+MOBIL rule driver and a random driver scored on the Evaluator's
 * held-out seeds. Prints one JSON line last.
 *
 * Options: --steps N (training steps, default the preset's), --episodes N (evaluation episodes,
 * default the Evaluator's), --backend wasm|cpu, --observation kinematics|timeToCollision (the
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
import type { DriverKind } from '../src/protocol/rl';
import { DEFAULT_EVALUATION, RlRun, readRlSettings } from '../workers/rl/rl-run';
import { quietTfjs, startWasm } from './lib/wasm-node';

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
function presetPlan(): ReinforcementPlan {
  const preset = presetById('dqn-driver');
  if (!preset) throw new Error('presets/dqn-driver.json is missing');
  const doc = structuredClone(preset.doc);
  const paramsOf = (type: string): Record<string, unknown> => {
    const node = doc.nodes.find((n) => n.type === type);
    if (!node) throw new Error(`the DQN preset has no ${type} node`);
    return node.params as Record<string, unknown>;
  };
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
  if (!compiled.ok) throw new Error(`the DQN preset with these options does not compile: ${compiled.diagnostics.map((d) => d.message).join('; ')}`);
  if (compiled.plan.mode !== 'rl') throw new Error('the DQN preset compiled to a supervised plan');
  return compiled.plan;
}

async function main(): Promise<void> {
  quietTfjs();
  const backend = option('backend') ?? 'wasm';
  if (backend === 'wasm') await startWasm();
  else if (!(await tf.setBackend(backend))) throw new Error(`backend ${backend} is not available`);

  const plan = presetPlan();
  const settings = readRlSettings(plan);
  const evaluation = settings.evaluation ?? DEFAULT_EVALUATION;
  const episodes = Number(option('episodes') ?? evaluation.episodes);

  const envSteps = envStepsPerSecond(plan, 5);
  console.log(
    `env: ${Math.round(envSteps.wall)} policy steps/s (${Math.round(envSteps.cpu)} per CPU second); training ${settings.agent.totalSteps} steps on ${backend} (load ${loadavg()[0]!.toFixed(2)})`,
  );
  if (process.argv.includes('--env-only')) return;

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
      dqn_mean_speed: round(row('agent').meanSpeed),
      dqn_collision_rate: round(row('agent').collisionRate),
      dqn_mean_return: round(row('agent').meanReturn),
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

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
