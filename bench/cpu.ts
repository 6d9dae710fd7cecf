/**
 * CPU training throughput without a GPU (`npm run bench:cpu [-- --seconds 20 --profile]`): the
 * ConvNetJS CIFAR-10 demo net trained by ConvNetJS 0.3 itself, by TF.js on 'wasm' (with
 * Tensorloom's training kernels) and by TF.js on 'cpu', on the same CIFAR-10 batches of 32, then
 * ResNet-20 from the app's preset on 'wasm'. ConvNetJS and wasm alternate in rounds so that load
 * from other processes affects both alike. Prints one JSON line last.
 */
import * as tf from '@tensorflow/tfjs';
import { channelNorm, fillBatch, loadCifar } from './lib/cifar-data';
import { convnetjsDemoLayers, convnetjsDemoNet, resnet20 } from './lib/models';
import {
  emptyThroughput,
  imagesPerCpuSecond,
  imagesPerSecond,
  kernelProfile,
  measure,
  oneMinuteLoad,
  round3,
  trainStep,
  type Throughput,
} from './lib/throughput';
import { quietTfjs, startWasm } from './lib/wasm-node';

const BATCH = 32;

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}
const seconds = option('seconds', 15);
const rounds = 3;
const profile = process.argv.includes('--profile');

quietTfjs();
const { set, source } = loadCifar(1, 2048);
const norm = channelNorm(set);
const batches = Math.floor(set.count / BATCH);
console.log(`data: ${source}, ${set.count} images, ${batches} batches of ${BATCH}`);

/** The b-th batch as floats: every contender sees the same images in the same order. */
function batchArrays(b: number) {
  const indices = Array.from({ length: BATCH }, (_, i) => (b % batches) * BATCH + i);
  const x = new Float32Array(BATCH * 3072);
  const y = new Float32Array(BATCH * 10);
  fillBatch(set, indices, x, y, { norm });
  return { indices, x, y };
}

/** ConvNetJS learns one image at a time; its demo scales pixels to [-0.5, 0.5]. */
function convnetjsRunner() {
  const { convnetjs, trainer } = convnetjsDemoNet(BATCH);
  const vol = new convnetjs.Vol(32, 32, 3, 0);
  let b = 0;
  return () => {
    const indices = Array.from({ length: BATCH }, (_, i) => (b % batches) * BATCH + i);
    b++;
    for (const img of indices) {
      const px = set.images.subarray(img * 3072, img * 3072 + 3072);
      for (let i = 0; i < 3072; i++) vol.w[i] = px[i]! / 255 - 0.5;
      trainer.train(vol, set.labels[img]!);
    }
  };
}

function tfRunner(model: tf.LayersModel, optimizer: tf.Optimizer) {
  let b = 0;
  return () => {
    const { x, y } = batchArrays(b++);
    const xs = tf.tensor4d(x, [BATCH, 32, 32, 3]);
    const ys = tf.tensor2d(y, [BATCH, 10]);
    trainStep(model, optimizer, xs, ys);
    xs.dispose();
    ys.dispose();
  };
}

const report = (t: Throughput) => ({ img_s: round3(imagesPerSecond(t)), img_per_cpu_s: round3(imagesPerCpuSecond(t)), images: t.images });

async function main(): Promise<void> {
  const wasmInfo = await startWasm();
  console.log(`wasm: ${wasmInfo.binary}, threads ${wasmInfo.threads}, simd ${wasmInfo.simd}`);

  const convnetjs = convnetjsRunner();
  const wasmNet = convnetjsDemoLayers();
  const wasmStep = tfRunner(wasmNet, tf.train.momentum(0.01, 0.9));
  convnetjs();
  wasmStep(); // warm-up: JIT, XNNPACK operator creation, heap growth
  const cj = emptyThroughput();
  const wa = emptyThroughput();
  for (let r = 0; r < rounds; r++) {
    measure(seconds / rounds, BATCH, convnetjs, 1, cj);
    measure(seconds / rounds, BATCH, wasmStep, 1, wa);
  }
  console.log('convnetjs', JSON.stringify(report(cj)));
  console.log('tfjs wasm', JSON.stringify(report(wa)));
  if (profile) console.log('wasm CPU ms per batch:', JSON.stringify(kernelProfile('wasm', wasmStep)));

  await tf.setBackend('cpu');
  const cpuNet = convnetjsDemoLayers();
  const cpuStep = tfRunner(cpuNet, tf.train.momentum(0.01, 0.9));
  cpuStep();
  const cpu = measure(seconds, BATCH, cpuStep, 1);
  console.log('tfjs cpu', JSON.stringify(report(cpu)));

  await tf.setBackend('wasm');
  const resnet = resnet20();
  const resnetStep = tfRunner(resnet.model, tf.train.momentum(0.05, 0.9, true));
  // The same net with the first convolution's input gradient computed (the stock Conv2D layer), in
  // alternating rounds, so the ratio says what skipping it is worth under the same load.
  const stockFirst = resnet20({ skipDataGradient: false });
  const stockStep = tfRunner(stockFirst.model, tf.train.momentum(0.05, 0.9, true));
  resnetStep();
  stockStep();
  const rn = emptyThroughput();
  const rs = emptyThroughput();
  for (let r = 0; r < rounds; r++) {
    measure(seconds / rounds, BATCH, resnetStep, 1, rn);
    measure(seconds / rounds, BATCH, stockStep, 1, rs);
  }
  console.log(`resnet20 (${resnet.origin})`, JSON.stringify(report(rn)));
  console.log('resnet20, first conv with its input gradient', JSON.stringify(report(rs)));
  if (profile) console.log('resnet20 wasm CPU ms per batch:', JSON.stringify(kernelProfile('wasm', resnetStep)));

  console.log(
    JSON.stringify({
      convnetjs_img_s: round3(imagesPerSecond(cj)),
      wasm_img_s: round3(imagesPerSecond(wa)),
      tfjs_cpu_img_s: round3(imagesPerSecond(cpu)),
      ratio_vs_convnetjs: round3(imagesPerSecond(wa) / imagesPerSecond(cj)),
      resnet20_wasm_img_s: round3(imagesPerSecond(rn)),
      ratio_per_cpu_second: round3(imagesPerCpuSecond(wa) / imagesPerCpuSecond(cj)),
      resnet20_wasm_img_per_cpu_s: round3(imagesPerCpuSecond(rn)),
      resnet20_with_first_input_grad_img_s: round3(imagesPerSecond(rs)),
      ratio_resnet20_skip_first_input_grad: round3(imagesPerSecond(rn) / imagesPerSecond(rs)),
      wasm_binary: wasmInfo.binary,
      wasm_threads: wasmInfo.threads,
      data: source === 'cifar10' ? 'cifar10' : 'random',
      load_1m: oneMinuteLoad(),
    }),
  );
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
