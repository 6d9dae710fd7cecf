/**
 * `npm run bench:train`: ResNet-20 training throughput (images per second, batch 32) on each
 * TF.js backend, measured in headless Chromium through the real training worker. Starts its own
 * Vite dev server. Prints one line per backend, then a final JSON line:
 * `{"webgpu_img_s":…,"webgl_img_s":…,"wasm_img_s":…,"cpu_img_s":…}` with null where a backend
 * could not train.
 *
 * Options: `--backends webgpu,wasm` (default all four); `--budget-ms 30000`, how long to measure
 * after the warm-up steps; `--deadline-ms 540000`, when to give up on a backend (software WebGPU
 * and WebGL in headless Chromium spend minutes compiling shaders before the first step).
 */
import { chromiumPath, chromiumWebGpuArgs } from '../e2e/chromium';
import { chromium } from '@playwright/test';
import { createServer } from 'vite';
import type { Backend } from '../src/graph/plan';
import type { TrainBenchResult } from './train-page';

const ALL: Backend[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const backends = (arg('backends')?.split(',') ?? ALL).filter((b): b is Backend => (ALL as string[]).includes(b));
const budgetMs = Number(arg('budget-ms') ?? 30_000);
const deadlineMs = Number(arg('deadline-ms') ?? 540_000);


async function main(): Promise<void> {
  const server = await createServer({ server: { port: 0, host: '127.0.0.1' }, logLevel: 'warn', clearScreen: false });
  await server.listen();
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite dev server did not report a URL');
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumWebGpuArgs });
  const out: Record<string, number | null> = {};
  try {
    for (const backend of backends) {
      const page = await browser.newPage();
      page.on('pageerror', (e) => console.error(`[${backend}] page error: ${e.message}`));
      await page.goto(`${url}bench/train.html?backend=${backend}&budgetMs=${budgetMs}&deadlineMs=${deadlineMs}`);
      let r: TrainBenchResult | undefined;
      try {
        await page.waitForFunction(() => window.__trainBench !== undefined, null, { timeout: deadlineMs + budgetMs + 120_000, polling: 500 });
        r = await page.evaluate(() => window.__trainBench);
      } catch (e) {
        console.error(`[${backend}] no result: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
      }
      await page.close();
      const ips = r?.started === backend ? r.imagesPerSec : null;
      out[`${backend}_img_s`] = ips === null || ips === undefined ? null : Math.round(ips * 10) / 10;
      console.log(
        `${backend}: ${ips ? `${ips.toFixed(1)} img/s over ${r!.steps} steps (${(r!.ms / 1000).toFixed(1)} s), first step after ${((r!.firstStepMs ?? 0) / 1000).toFixed(1)} s` : `cannot train${r?.error ? `: ${r.error}` : ''} (started: ${r?.started ?? 'none'}, last status: ${r?.statuses.at(-1) ?? 'none'})`}`,
      );
    }
  } finally {
    await browser.close();
    await server.close();
  }
  console.log(JSON.stringify(out));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
