/**
 * The plan's memory estimate against what TF.js really holds while training
 * (`npx tsx bench/memory.ts [--backend cpu|wasm] [--batch N]`): the ResNet-20 preset built as a
 * run builds it, one warm-up step (the optimizer makes its slots on the first), then the peak of
 * `tf.memory().numBytes` over one profiled step. Prints one JSON line.
 */
import * as tf from '@tensorflow/tfjs';
import { registry } from '../nodes/registry';
import { presetById } from '../presets/index';
import { compile } from '../src/graph/compile';
import { formatBytes } from '../src/graph/memory';
import { registerFastCpuKernels } from '../workers/backend/backend-cpu-kernels';
import { Trainer } from '../workers/supervised/trainer';
import { quietTfjs, startWasm } from './lib/wasm-node';

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1]! : fallback;
}
const backend = option('backend', 'cpu');
const batchOverride = Number(option('batch', '0'));

quietTfjs();
if (backend === 'wasm') await startWasm();
else {
  await tf.setBackend('cpu');
  registerFastCpuKernels();
}

const doc = structuredClone(presetById('resnet-cifar')!.doc);
if (batchOverride > 0) {
  const opt = doc.nodes.find((n) => n.type === 'Optimizer')!;
  opt.params = { ...opt.params, batchSize: batchOverride };
}
const compiled = compile(doc, registry);
if (!compiled.ok || compiled.plan.mode !== 'supervised') throw new Error('the ResNet-20 preset does not compile');
const { plan } = compiled;
const batch = plan.memory.batchSize;
const trainer = new Trainer(plan);
const xs = tf.randomUniform([batch, 32, 32, 3], 0, 255) as tf.Tensor4D;
const ys = tf.oneHot(tf.randomUniform([batch], 0, 10, 'int32') as tf.Tensor1D, 10) as tf.Tensor2D;
await trainer.trainStep(xs, ys);
const before = tf.memory().numBytes;
const profile = await tf.profile(async () => {
  await trainer.trainStep(xs, ys);
  return [];
});
const measured = profile.peakBytes;
console.log(
  JSON.stringify({
    backend,
    batch,
    estimateBytes: plan.memory.totalBytes,
    estimate: formatBytes(plan.memory.totalBytes),
    measuredPeakBytes: measured,
    measuredPeak: formatBytes(measured),
    heldBetweenStepsBytes: before,
    estimateOverMeasured: Number((plan.memory.totalBytes / measured).toFixed(3)),
    parts: {
      weights: plan.memory.weightsBytes,
      gradients: plan.memory.gradientsBytes,
      optimizer: plan.memory.optimizerBytes,
      activations: plan.memory.activationsBytes,
      inputBatch: plan.memory.inputBatchBytes,
    },
  }),
);
trainer.dispose();
