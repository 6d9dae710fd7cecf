/**
 * `npm run bench:cifar-browser -- --preset resnet|fast --minutes 10`: `bench:cifar --preset`'s run,
 * done in the browser as a user would do it. It builds the app, serves it with `vite preview`
 * (cross-origin isolated, so wasm runs threaded) and drives headless Chromium: opens the editor on
 * the preset, picks the five real CIFAR-10 files (../shared/data/cifar10/data_batch_1..5.bin) in the
 * Data tab's file picker, types `--minutes` into the Optimizer's "budgetMinutes" in the inspector,
 * picks the backend (`--backend`, default wasm, the backend `bench:cifar` trains on in Node; `auto`
 * lets the app time each backend that starts and take the fastest), presses Run, and waits for the
 * budget, the validation and the final evaluation. Everything it reports is read off the page: the
 * Evaluator's accuracy on the held-out images (the Dataset's validation split, as there is no test
 * batch), the backend chip, the history row's steps and epochs, and the Throughput chart.
 *
 * Prints a progress line every 30 s, then one JSON line with `bench:cifar --preset`'s field names so
 * the two compare directly: `img_s` is steps × batch size over the budget (how `bench:cifar`
 * counts it, over its training time; `minutes` is the budget, where `bench:cifar` prints the
 * training time it measured); `img_s_shown` is the median of what the Throughput chart
 * showed while training. `heldout_accuracy` has the page's precision (0.1 point). Skips, saying so,
 * when ../shared/data/cifar10 is absent. `--deadline-minutes N` (default the budget + 20) gives up.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { build, preview } from 'vite';
import { chromiumBaseArgs, chromiumPath, chromiumWebGpuArgs } from '../e2e/chromium';
import { EditorPage } from '../e2e/pages/editor-page';
import { RunPage } from '../e2e/pages/run-page';
import { CIFAR_DIR } from './lib/cifar-data';
import { readBrowserRun, waitForBrowserRun } from './lib/browser-run';

const PRESETS = { resnet: 'resnet-cifar', fast: 'fast-cifar' } as const;
const BACKENDS = ['auto', 'wasm', 'webgpu', 'webgl', 'cpu'] as const;

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function options() {
  const name = arg('preset') ?? 'resnet';
  const preset = name in PRESETS ? PRESETS[name as keyof typeof PRESETS] : (Object.values(PRESETS) as string[]).includes(name) ? name : undefined;
  if (!preset) throw new Error(`--preset: '${name}' is not one of ${Object.keys(PRESETS).join(', ')}`);
  const minutes = Number(arg('minutes') ?? 10);
  if (!(minutes > 0 && minutes <= 1440)) throw new Error(`--minutes: '${arg('minutes')}' is not a number of minutes between 0 and 1440`);
  const backend = arg('backend') ?? 'wasm';
  if (!(BACKENDS as readonly string[]).includes(backend)) throw new Error(`--backend: '${backend}' is not one of ${BACKENDS.join(', ')}`);
  const deadlineMinutes = Number(arg('deadline-minutes') ?? minutes + 20);
  return { preset: preset as (typeof PRESETS)[keyof typeof PRESETS], minutes, backend, deadlineMs: deadlineMinutes * 60_000 };
}

async function main(): Promise<void> {
  const o = options();
  const files = [1, 2, 3, 4, 5].map((i) => join(CIFAR_DIR, `data_batch_${i}.bin`));
  const missing = files.filter((f) => !existsSync(f));
  if (missing.length > 0) {
    console.log(`bench:cifar-browser skipped: the CIFAR-10 training batches are not at ${CIFAR_DIR} (missing ${missing.map((f) => f.slice(CIFAR_DIR.length + 1)).join(', ')})`);
    return;
  }
  const t0 = Date.now();
  const log = (line: string) => console.log(`[${((Date.now() - t0) / 1000).toFixed(0)} s] ${line}`);
  const dir = mkdtempSync(join(tmpdir(), 'tensorloom-cifar-browser-'));
  const outDir = join(dir, 'dist');
  log('building the app');
  await build({ logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  const server = await preview({ logLevel: 'warn', build: { outDir }, preview: { port: 0, host: '127.0.0.1' } });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite preview did not report a URL');
  // A profile on disk: 150 MB of cached images would crowd an in-memory (incognito) quota. The
  // service worker's precache is blocked so it does not run beside the training.
  const context = await chromium.launchPersistentContext(join(dir, 'profile'), {
    executablePath: chromiumPath,
    args: o.backend === 'wasm' || o.backend === 'cpu' ? chromiumBaseArgs : chromiumWebGpuArgs,
    viewport: { width: 1400, height: 900 },
    serviceWorkers: 'block',
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (e) => log(`page error: ${e.message}`));
    const editor = new EditorPage(page);
    const run = new RunPage(page);
    await editor.openProject(url);
    await editor.newFromPreset(o.preset);
    log(`opened the ${o.preset} preset; loading ${files.length} CIFAR-10 files through the file picker`);
    const images = await run.loadDatasetFiles(files, 600_000);
    log(`the Data tab holds ${images.toLocaleString('en-US')} training images`);

    await editor.select('optimizer');
    await editor.setParam('budgetMinutes', String(o.minutes));
    await editor.saved();
    const batchSize = Number(await editor.paramValue('batchSize'));
    await editor.select('data');
    const validationSplit = Number(await editor.paramValue('validationSplit'));
    await run.backendSelect.selectOption(o.backend);
    log(`Optimizer budget ${o.minutes} min, batch ${batchSize}, validation split ${validationSplit}, backend ${o.backend}: Run`);

    await run.runButton.click();
    const live = await waitForBrowserRun(run, { budgetMs: o.minutes * 60_000, deadlineMs: o.deadlineMs, log });
    const result = await readBrowserRun(run);
    const seconds = o.minutes * 60;
    const trainCount = Math.round(images * (1 - validationSplit));
    const round = (x: number) => Number(x.toPrecision(4));
    const sorted = [...live.shownImagesPerSecond].sort((a, b) => a - b);
    console.log(
      JSON.stringify({
        preset: o.preset,
        minutes: o.minutes,
        heldout_accuracy: result.accuracy,
        img_s: round((result.steps * batchSize) / seconds),
        img_s_shown: sorted.length ? sorted[Math.floor(sorted.length / 2)] : null,
        backend: result.backend,
        backend_request: o.backend,
        backend_timings: result.backendTimings,
        heldout_images: result.heldoutImages,
        images_seen: result.steps * batchSize,
        epochs: round((result.steps * batchSize) / trainCount),
        steps: result.steps,
        first_step_s: round(live.firstStepMs / 1000),
        // Without isolation the app's wasm runs on one thread (vite preview sends the headers).
        cross_origin_isolated: await page.evaluate(() => crossOriginIsolated),
        load_1m: round(loadavg()[0]!),
      }),
    );
  } finally {
    await context.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
