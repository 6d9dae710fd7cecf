/**
 * Where a DQN driver's training time goes, window by window (`npx tsx bench/rl-phases.ts [steps]
 * [--window N]`): the DQN preset trained through RlTrainer on 'wasm' with each phase timed —
 * greedy action (one-row forward pass; taken only when ε-greedy does not explore), environment
 * step, replay sampling (the priority tree's walk included), the gradient step, the priority
 * update — and per window the live tensor count, the JS heap and the share of Adam's moment slots
 * holding denormal floats (slow arithmetic on most CPUs). Prints one JSON line per window. Used to
 * look for why steps/s fall over a run; single-threaded wasm (TENSORLOOM_WASM_THREADS=1) makes the
 * CPU-time columns independent of the machine's other load.
 */
import * as tf from '@tensorflow/tfjs';
import { registry } from '../nodes/registry';
import { presetById } from '../presets/index';
import { compile } from '../src/graph/compile';
import { highwayConfig } from '../src/rl/highway/config';
import { HighwayEnv } from '../src/rl/highway/env';
import { readRlSettings } from '../workers/rl/rl-run';
import { RlTrainer } from '../workers/rl/rl-trainer';
import { saveOptimizer } from '../workers/rl/dqn';
import { quietTfjs, startWasm } from './lib/wasm-node';

const total = Number(process.argv[2] ?? 20000);
const at = process.argv.indexOf('--window');
const window = at > 0 ? Number(process.argv[at + 1]) : 2000;

type Phase = 'greedy' | 'env' | 'sample' | 'train' | 'priorities';

/** Wraps `object[name]` so its calls add their wall and CPU milliseconds to `into[phase]`. */
function timed(object: Record<string, unknown>, name: string, phase: Phase, into: Record<Phase, { ms: number; cpu: number; calls: number }>): void {
  const original = (object[name] as (...a: unknown[]) => unknown).bind(object);
  object[name] = (...args: unknown[]) => {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const done = () => {
      const c = process.cpuUsage(c0);
      into[phase].ms += performance.now() - t0;
      into[phase].cpu += (c.user + c.system) / 1000;
      into[phase].calls++;
    };
    const result = original(...args);
    if (result instanceof Promise) return result.finally(done);
    done();
    return result;
  };
}

async function denormalShare(trainer: RlTrainer): Promise<number> {
  let denormal = 0;
  let count = 0;
  for (const { values } of await saveOptimizer(trainer.agent.optimizer)) {
    for (const v of values) {
      count++;
      if (v !== 0 && Math.abs(v) < 1.1754944e-38) denormal++;
    }
  }
  return denormal / Math.max(1, count);
}

async function main(): Promise<void> {
  quietTfjs();
  await startWasm({ threads: 1 });
  const compiled = compile(presetById('dqn-driver')!.doc, registry);
  if (!compiled.ok || compiled.plan.mode !== 'rl') throw new Error('the DQN preset does not compile');
  const settings = readRlSettings(compiled.plan);
  const env = new HighwayEnv(highwayConfig(settings.environment));
  const trainer = RlTrainer.create(env, compiled.plan.model, { ...settings.agent, totalSteps: total }, settings.environment.seed);
  const fresh = () => ({ greedy: { ms: 0, cpu: 0, calls: 0 }, env: { ms: 0, cpu: 0, calls: 0 }, sample: { ms: 0, cpu: 0, calls: 0 }, train: { ms: 0, cpu: 0, calls: 0 }, priorities: { ms: 0, cpu: 0, calls: 0 } });
  const phases = fresh();
  const agent = trainer.agent as unknown as Record<string, unknown>;
  const replay = trainer.agent.replay as unknown as Record<string, unknown>;
  timed(agent, 'greedy', 'greedy', phases);
  timed(env as unknown as Record<string, unknown>, 'step', 'env', phases);
  timed(replay, 'sample', 'sample', phases);
  timed(agent, 'trainBatch', 'train', phases);
  timed(replay, 'updatePriorities', 'priorities', phases);
  let wall = performance.now();
  let cpu = process.cpuUsage();
  for (let k = 1; k <= total; k++) {
    await trainer.stepOnce();
    if (k % window !== 0) continue;
    const c = process.cpuUsage(cpu);
    const row: Record<string, number> = {
      step: k,
      steps_per_s: Math.round(window / ((performance.now() - wall) / 1000)),
      steps_per_cpu_s: Math.round(window / ((c.user + c.system) / 1e6)),
      tensors: tf.memory().numTensors,
      heap_mb: Math.round(process.memoryUsage().heapUsed / 1e6),
      adam_denormal_share: Number((await denormalShare(trainer)).toFixed(4)),
    };
    for (const [name, p] of Object.entries(phases)) {
      row[`${name}_calls`] = p.calls;
      row[`${name}_cpu_ms_per_step`] = Number((p.cpu / window).toFixed(3));
    }
    console.log(JSON.stringify(row));
    // The wrappers hold the object they add to: reset it in place.
    for (const p of Object.values(phases)) Object.assign(p, { ms: 0, cpu: 0, calls: 0 });
    wall = performance.now();
    cpu = process.cpuUsage();
  }
  trainer.dispose();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
