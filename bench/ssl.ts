/**
 * Self-supervised pretraining against training from scratch, on the CPU (`npm run bench:ssl --
 * --pretrain-minutes 10 --finetune-minutes 3 --labels 1000,4000`), with the app's own Trainer on
 * 'wasm' and its two presets: the autoencoder ('autoencoder-cifar', reconstruction, no labels)
 * pretrains for T₁ minutes on CIFAR-10's training images minus a held-out 5,000; then, for each
 * N, the classifier ('ssl-classifier-cifar', same encoder node ids) trains for T₂ minutes on a
 * fixed class-balanced N of them three ways: from the pretrained encoder (fine-tune), from
 * scratch, and as a linear probe (encoder frozen). Each is scored on the 5,000 held-out images,
 * which no model sees in training. Learning rates follow the presets' cosine over *time* (a time
 * box buys machine-dependent steps). One JSON line per N, N = 1,000 last.
 * The probe's learning rate is `--probe-lr` (0.01). `--mask P` turns on the autoencoder's masking (P patches of `--mask-size` pixels).
 */
import * as tf from '@tensorflow/tfjs';
import { presetById } from '../presets';
import { registry } from '../nodes/registry';
import { compile } from '../src/graph/compile';
import type { SupervisedPlan } from '../src/graph/plan';
import type { ImageSet } from '../src/data/cifar';
import { Mulberry32 } from '../src/rl/random';
import { channelStats, type ChannelStats } from '../workers/supervised/augment';
import { captureCheckpoint, type Checkpoint } from '../workers/supervised/checkpoint';
import { balancedPick, subset, toBatch, toImages } from '../workers/supervised/data';
import { Trainer } from '../workers/supervised/trainer';
import { loadCifar } from './lib/cifar-data';
import { oneMinuteLoad, round3 } from './lib/throughput';
import { quietTfjs, startWasm } from './lib/wasm-node';

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1]! : fallback;
}
const pretrainMinutes = Number(option('pretrain-minutes', '10'));
const finetuneMinutes = Number(option('finetune-minutes', '3'));
// The N = 1,000 line prints last.
const labelCounts = option('labels', '1000,4000')
  .split(',')
  .map(Number)
  .sort((a, b) => (a === 1000 ? 1 : b === 1000 ? -1 : b - a));
const holdout = Number(option('holdout', '5000'));
const batchSize = Number(option('batch', '64'));
const maskPatches = Number(option('mask', '0'));
const maskSize = Number(option('mask-size', '8'));
const seed = Number(option('seed', '1'));
/** A linear probe trains only the head, which takes a larger step than fine-tuning the whole net (the preset's 0.001). */
const probeLr = Number(option('probe-lr', '0.01'));
/**
 * Train each classifier for this many steps instead of T₂ minutes (0: minutes). On a machine
 * shared with other work the load swings within a run, and equal time then buys one arm twice
 * the steps of another; equal steps compare the starting points alone.
 */
const finetuneSteps = Number(option('finetune-steps', '0'));

/** A preset compiled with the bench's batch size and the given node params merged in. */
function presetPlan(id: 'autoencoder-cifar' | 'ssl-classifier-cifar', params: Record<string, Record<string, unknown>> = {}): SupervisedPlan {
  const doc = structuredClone(presetById(id)!.doc);
  for (const n of doc.nodes) {
    if (n.type === 'Optimizer') n.params = { ...n.params, batchSize };
    if (params[n.id]) n.params = { ...n.params, ...params[n.id] };
  }
  const r = compile(doc, registry);
  if (!r.ok || r.plan.mode !== 'supervised') throw new Error(`${id} does not compile: ${r.diagnostics.map((d) => d.message).join('; ')}`);
  return r.plan;
}

/** Trains for `minutes` of wall clock with a cosine over time from the plan's learning rate; returns steps and images seen. */
async function trainFor(t: Trainer, set: ImageSet, minutes: number, labels: boolean, rng: Mulberry32, maxSteps = 0): Promise<{ steps: number; images: number; loss: number }> {
  const peak = t.settings.optimizer.learningRate;
  const order = Int32Array.from({ length: set.count }, (_, i) => i);
  const deadline = minutes * 60_000;
  const t0 = performance.now();
  let cursor = set.count;
  let images = 0;
  let steps = 0;
  let loss = NaN;
  let lastLog = t0;
  const size = Math.min(batchSize, set.count);
  const progress = () => (maxSteps > 0 ? steps / maxSteps : (performance.now() - t0) / deadline);
  while (progress() < 1) {
    if (cursor + size > set.count) {
      rng.shuffle(order);
      cursor = 0;
    }
    const idx = order.subarray(cursor, cursor + size);
    cursor += size;
    t.setLearningRate(0.5 * peak * (1 + Math.cos(Math.PI * progress())));
    if (labels) {
      const b = toBatch(set, idx, 10);
      loss = (await t.trainStep(b.xs, b.ys)).loss;
      tf.dispose([b.xs, b.ys]);
    } else {
      const xs = toImages(set, idx);
      loss = (await t.trainStep(xs)).loss;
      xs.dispose();
    }
    images += size;
    steps++;
    if (performance.now() - lastLog > 60_000) {
      lastLog = performance.now();
      console.log(`  ${((lastLog - t0) / 1000).toFixed(0)} s: ${steps} steps, ${images} images, loss ${loss.toFixed(4)}`);
    }
  }
  return { steps, images, loss };
}

async function classify(
  name: string,
  labelled: ImageSet,
  heldOut: ImageSet,
  stats: ChannelStats,
  init?: { checkpoint: Checkpoint; mode: 'fine-tune' | 'freeze' },
): Promise<{ accuracy: number; steps: number }> {
  const lr = init?.mode === 'freeze' ? { learningRate: probeLr } : {};
  const plan = presetPlan('ssl-classifier-cifar', init ? { optimizer: { initFromRun: 'pretrain', initMode: init.mode, ...lr } } : {});
  const t = new Trainer(plan, { stats, seed, ...(init ? { init: { from: plan.initFrom!, checkpoint: init.checkpoint } } : {}) });
  const r = await trainFor(t, labelled, finetuneMinutes, true, new Mulberry32(seed + 7), finetuneSteps);
  const report = await t.evaluate(heldOut, { batchSize: 250, samples: 0 });
  console.log(`  ${name}: ${r.steps} steps (${(r.images / labelled.count).toFixed(1)} epochs), held-out accuracy ${report.accuracy.toFixed(4)}${t.transfer ? `; ${t.transfer.matched.join(', ')} from the pretrained run` : ''}`);
  t.dispose();
  return { accuracy: report.accuracy, steps: r.steps };
}

async function main(): Promise<void> {
  quietTfjs();
  const wasm = await startWasm();
  const { set, source } = loadCifar(5, 6000, seed);
  console.log(`data: ${source}, ${set.count} images; wasm ${wasm.binary}, ${wasm.threads} threads; load ${oneMinuteLoad()}`);
  const order = new Mulberry32(seed).permutation(set.count);
  const heldOut = subset(set, order.subarray(0, holdout));
  const pool = order.subarray(holdout);
  const unlabelled = subset(set, pool);
  const stats = channelStats(unlabelled.images, 3);

  const aePlan = presetPlan('autoencoder-cifar', maskPatches > 0 ? { augment: { maskPatches, maskSize } } : {});
  const ae = new Trainer(aePlan, { stats, seed });
  console.log(`pretraining the autoencoder (${aePlan.model.totalParams} parameters${maskPatches > 0 ? `, ${maskPatches} masked ${maskSize}px patches` : ''}) on ${unlabelled.count} unlabelled images for ${pretrainMinutes} min`);
  const pre = await trainFor(ae, unlabelled, pretrainMinutes, false, new Mulberry32(seed + 3));
  const recon = await ae.evaluateReconstruction(subset(heldOut, Int32Array.from({ length: Math.min(1000, holdout) }, (_, i) => i)), { batchSize: 250 });
  console.log(`  ${pre.steps} steps (${(pre.images / unlabelled.count).toFixed(2)} epochs), held-out PSNR ${recon.psnr.toFixed(2)} dB`);
  const checkpoint = await captureCheckpoint(ae.model, { epoch: 0, step: ae.step });
  ae.dispose();

  for (const n of labelCounts) {
    const labelled = subset(set, balancedPick(set.labels, pool, Math.round(n / 10)));
    console.log(`N = ${labelled.count} labelled images, ${finetuneMinutes} min each`);
    const pretrained = await classify('fine-tuned from the autoencoder', labelled, heldOut, stats, { checkpoint, mode: 'fine-tune' });
    const scratch = await classify('from scratch', labelled, heldOut, stats);
    const probe = await classify('linear probe (encoder frozen)', labelled, heldOut, stats, { checkpoint, mode: 'freeze' });
    console.log(
      JSON.stringify({
        n_labels: labelled.count,
        pretrained_accuracy: round3(pretrained.accuracy),
        scratch_accuracy: round3(scratch.accuracy),
        linear_probe_accuracy: round3(probe.accuracy),
        gain_points: round3(100 * (pretrained.accuracy - scratch.accuracy)),
        reconstruction_psnr: round3(recon.psnr),
        pretrain_minutes: pretrainMinutes,
        pretrain_epochs: round3(pre.images / unlabelled.count),
        finetune_minutes: finetuneSteps > 0 ? null : finetuneMinutes,
        finetune_steps: { pretrained: pretrained.steps, scratch: scratch.steps, probe: probe.steps },
        mask_patches: maskPatches,
        heldout_images: heldOut.count,
        data: source === 'cifar10' ? 'cifar10' : 'random',
        load_1m: oneMinuteLoad(),
      }),
    );
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
