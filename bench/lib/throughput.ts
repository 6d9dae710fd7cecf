/**
 * Timing for the benchmarks: wall-clock throughput, plus throughput per CPU-second of this
 * process, which stays meaningful when other processes compete for the (shared) cores.
 */
import * as tf from '@tensorflow/tfjs';
import { loadavg } from 'node:os';

export interface Throughput {
  images: number;
  wallSeconds: number;
  cpuSeconds: number;
}

export const emptyThroughput = (): Throughput => ({ images: 0, wallSeconds: 0, cpuSeconds: 0 });

/** Runs `step` (which processes `imagesPerStep` images) until `seconds` pass, at least `minSteps` times. */
export function measure(seconds: number, imagesPerStep: number, step: () => void, minSteps = 1, into = emptyThroughput()): Throughput {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let steps = 0;
  while (steps < minSteps || performance.now() - t0 < seconds * 1000) {
    step();
    steps++;
  }
  const cpu = process.cpuUsage(cpu0);
  into.images += steps * imagesPerStep;
  into.wallSeconds += (performance.now() - t0) / 1000;
  into.cpuSeconds += (cpu.user + cpu.system) / 1e6;
  return into;
}

export const imagesPerSecond = (t: Throughput) => t.images / t.wallSeconds;
export const imagesPerCpuSecond = (t: Throughput) => t.images / t.cpuSeconds;

/** Rounds to 3 significant digits for the report. */
export const round3 = (v: number) => Number(v.toPrecision(3));

export const oneMinuteLoad = () => round3(loadavg()[0]!);

/** One optimiser step on a batch; returns the loss (reading it keeps timing honest on async backends). */
export function trainStep(model: tf.LayersModel, optimizer: tf.Optimizer, x: tf.Tensor4D, y: tf.Tensor2D): number {
  const loss = tf.tidy(() =>
    optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar, true)!,
  );
  const value = loss.dataSync()[0]!;
  loss.dispose();
  return value;
}

/**
 * CPU milliseconds per kernel (summed over calls, per call of `f`) on `backend`, largest first,
 * plus the share of the step spent outside kernels (engine, tape, optimiser bookkeeping). Kernels
 * are wrapped only while this runs; composite kernels count their inner calls as their own time.
 */
export function kernelProfile(backend: string, f: () => void, repeats = 3, top = 12): Record<string, number> {
  const spent = new Map<string, number>();
  const originals = tf.getKernelsForBackend(backend);
  const swap = (configs: tf.KernelConfig[]) =>
    configs.forEach((c) => {
      tf.unregisterKernel(c.kernelName, backend);
      tf.registerKernel(c);
    });
  swap(
    originals.map((c) => ({
      ...c,
      kernelFunc: (args: Parameters<tf.KernelFunc>[0]) => {
        const t0 = process.cpuUsage();
        const out = c.kernelFunc(args);
        const t = process.cpuUsage(t0);
        spent.set(c.kernelName, (spent.get(c.kernelName) ?? 0) + (t.user + t.system) / 1000);
        return out;
      },
    })),
  );
  const t0 = process.cpuUsage();
  try {
    for (let i = 0; i < repeats; i++) f();
  } finally {
    swap(originals);
  }
  const total = process.cpuUsage(t0);
  const totalMs = (total.user + total.system) / 1000 / repeats;
  const inKernels = [...spent.values()].reduce((a, b) => a + b, 0) / repeats;
  const ranked = [...spent].sort((a, b) => b[1] - a[1]).slice(0, top);
  return {
    step_cpu_ms: round3(totalMs),
    outside_kernels_ms: round3(totalMs - inKernels),
    ...Object.fromEntries(ranked.map(([k, v]) => [k, round3(v / repeats)])),
  };
}
