/**
 * `npm run bench:train`: ResNet-20 training throughput (images per second, batch 32) on each
 * TF.js backend, measured in headless Chromium through the real training worker. Starts its own
 * Vite dev server. Prints one line per backend, then a final JSON line:
 * `{"webgpu_img_s":…,"webgl_img_s":…,"wasm_img_s":…,"cpu_img_s":…}` with null where a backend
 * could not train.
 *
 * Then, in the app itself (a production build, served by `vite preview`), a ResNet run on wasm fed a generated CIFAR batch while a
 * PerformanceObserver records the page's long tasks (the Long Tasks API reports every task of 50 ms
 * or more) from pressing Run until `--ui-ms` of training later: `main_thread_tasks_over_50ms`
 * (the goal is 0) and `main_thread_longest_task_ms` (null when there was none).
 *
 * Options: `--backends webgpu,wasm` (default all four); `--budget-ms 30000`, how long to measure
 * after the warm-up steps; `--deadline-ms 540000`, when to give up on a backend (software WebGPU
 * and WebGL in headless Chromium spend minutes compiling shaders before the first step);
 * `--ui-ms 30000`, how long to watch the app's main thread (0 skips it).
 */
import { chromiumPath, chromiumWebGpuArgs } from '../e2e/chromium';
import { chromium, type Browser } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EditorPage } from '../e2e/pages/editor-page';
import { RunPage, writeCifarFixture } from '../e2e/pages/run-page';
import { build, createServer, preview } from 'vite';
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
const uiMs = Number(arg('ui-ms') ?? 30_000);

/**
 * Trains the ResNet preset in the app on wasm for `uiMs` and returns the longest main-thread task
 * seen from pressing Run on (Long Tasks API: tasks of 50 ms and more), and how many there were.
 */
async function mainThreadTasks(browser: Browser): Promise<{ longestMs: number | null; over50: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'tensorloom-bench-'));
  const outDir = join(dir, 'dist');
  await build({ logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  const server = await preview({ logLevel: 'warn', build: { outDir }, preview: { port: 0, host: '127.0.0.1' } });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite preview did not report a URL');
  // The service worker's ~10 MB precache would run during the measurement: block it.
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, serviceWorkers: 'block' });
  try {
    await page.addInitScript(() => {
      const w = window as unknown as { __longTasks: number[]; __watching: boolean };
      w.__longTasks = [];
      w.__watching = false;
      new PerformanceObserver((list) => {
        if (w.__watching) for (const e of list.getEntries()) w.__longTasks.push(e.duration);
      }).observe({ type: 'longtask', buffered: false });
    });
    const editor = new EditorPage(page);
    const run = new RunPage(page);
    await editor.openProject(url);
    await editor.newFromPreset('resnet-cifar');
    const file = join(dir, 'data_batch_1.bin');
    writeCifarFixture(file, 2000);
    await run.loadDataset(file);
    await run.backendSelect.selectOption('wasm');
    await page.evaluate(() => ((window as unknown as { __watching: boolean }).__watching = true));
    await run.runButton.click();
    await run.waitForPhase('running', 60_000).catch(async (e: unknown) => {
      throw new Error(`the run did not start: ${await run.statusText.getAttribute('title').catch(() => null) ?? String(e)}`);
    });
    await page.waitForTimeout(uiMs);
    const tasks = await page.evaluate(() => (window as unknown as { __longTasks: number[] }).__longTasks);
    await run.stopButton.click();
    // The Long Tasks API reports only tasks over 50 ms, so every entry counts.
    return { longestMs: tasks.length ? Math.round(Math.max(...tasks)) : null, over50: tasks.length };
  } finally {
    await page.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}


async function main(): Promise<void> {
  const server = await createServer({ server: { port: 0, host: '127.0.0.1' }, logLevel: 'warn', clearScreen: false });
  await server.listen();
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite dev server did not report a URL');
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumWebGpuArgs });
  const out: Record<string, number | null> = {};
  try {
    if (uiMs > 0) {
      const tasks = await mainThreadTasks(browser);
      console.log(
        `app on wasm, ${uiMs / 1000} s of training: ${tasks.over50} main-thread tasks of 50 ms or more${tasks.longestMs === null ? '' : ` (longest ${tasks.longestMs} ms)`}`,
      );
      out.main_thread_longest_task_ms = tasks.longestMs;
      out.main_thread_tasks_over_50ms = tasks.over50;
    }
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
