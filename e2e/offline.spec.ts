/**
 * Works offline after the first visit: the production build's service worker precaches the app,
 * its worker scripts and tfjs's wasm binaries. With the network cut, a reload still opens the
 * project (cross-origin isolated, so wasm keeps its threads), edits save, and a new run starts and
 * trains on wasm. The app is installable from its web manifest.
 */
import { expect, test } from '@playwright/test';
import { productionPort } from '../playwright.config';
import { EditorPage } from './pages/editor-page';
import { OfflinePage } from './pages/offline-page';
import { ReleaseProxy } from './pages/release-proxy';
import { RunPage } from './pages/run-page';

test.use({ baseURL: `http://localhost:${productionPort}` });

/** Switches the open ResNet preset to a synthetic dataset of `samples` images (no files, no network). */
async function syntheticData(editor: EditorPage, samples: number): Promise<void> {
  await editor.select('data');
  await editor.inspector.locator('[data-param="source"] select').selectOption('synthetic');
  await editor.setParam('samples', String(samples));
  await editor.saved();
}

test('after one online visit the app reloads, edits and trains with the network off', async ({ page, context }, testInfo) => {
  test.setTimeout(180_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const editor = new EditorPage(page);
  const run = new RunPage(page);
  const offline = new OfflinePage(page, context);

  await editor.openProject();
  await offline.waitForServiceWorker();
  const precached = await offline.precached();
  for (const file of [/\/index\.html$/, /\/assets\/train\.worker-.*\.js$/, /\/assets\/rl\.worker-.*\.js$/, /tfjs-backend-wasm-threaded-simd-.*\.wasm$/, /\.css$/]) {
    expect(precached.some((p) => file.test(p)), `precached: ${file}`).toBe(true);
  }

  await offline.goOffline();
  // The service worker's own network is cut too, so nothing below can be answered from the server.
  expect(await offline.serviceWorker().evaluate(() => fetch(`/favicon.svg?probe=${Date.now()}`).then((r) => `status ${r.status}`, () => 'failed'))).toBe('failed');
  expect(await page.evaluate(() => fetch(`/favicon.svg?probe=${Date.now()}`).then((r) => `status ${r.status}`, () => 'failed'))).toBe('failed');

  await page.reload();
  await editor.openProject();
  await expect(editor.projectName).toHaveValue('ResNet-20 on CIFAR-10');
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);

  // An edit offline: a synthetic dataset, small enough for a few steps.
  await syntheticData(editor, 512);
  await run.backendSelect.selectOption('wasm');
  const started = Date.now();
  await run.runButton.click();
  await expect(run.backendUsed).toHaveText('wasm', { timeout: 60_000 });
  await expect.poll(() => run.chartPoints('chart-loss'), { timeout: 90_000, message: 'a first training step offline' }).toBeGreaterThanOrEqual(1);
  const firstStepMs = Date.now() - started;
  await expect.poll(() => run.chartPoints('chart-loss'), { timeout: 60_000, message: 'steps keep advancing offline' }).toBeGreaterThanOrEqual(3);
  testInfo.annotations.push({ type: 'offline first step', description: `${firstStepMs} ms from Run to the first loss point (wasm, ResNet-20, batch 64)` });
  console.log(`offline run: first step ${firstStepMs} ms after Run`);

  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  expect(offline.fromNetwork).toEqual([]);
  expect(offline.servedByServiceWorker).toBeGreaterThan(5);
  expect(errors).toEqual([]);
  await run.stopButton.click();
  await run.waitForPhase(['stopped', 'completed'], 30_000);
});

test('the app is installable: its web manifest is served, parses and names the app', async ({ page, context }) => {
  const editor = new EditorPage(page);
  const offline = new OfflinePage(page, context);
  await editor.openProject();
  const { href, manifest } = await offline.manifest();
  expect(href).toMatch(/manifest\.webmanifest$/);
  expect(manifest.name).toBe('Tensorloom');
  expect(manifest.display).toBe('standalone');
  expect(manifest.theme_color).toBe(await page.locator('meta[name="theme-color"]').getAttribute('content'));
  expect(manifest.icons?.length).toBeGreaterThan(0);
  await offline.waitForServiceWorker();
  // Playwright's contexts are incognito, where Chromium never offers to install; every other check must pass.
  await expect.poll(async () => (await offline.installabilityErrors()).filter((e) => e !== 'in-incognito'), { timeout: 15_000 }).toEqual([]);
});

test('a new version waits for Reload, and Reload waits until the run has stopped', async ({ page, context }) => {
  test.setTimeout(180_000);
  const proxy = await ReleaseProxy.start(`http://localhost:${productionPort}`);
  try {
    const editor = new EditorPage(page);
    const run = new RunPage(page);
    const offline = new OfflinePage(page, context);
    await editor.openProject(`${proxy.origin}/`);
    await offline.waitForServiceWorker();
    await syntheticData(editor, 512);
    await run.backendSelect.selectOption('wasm');
    await run.runButton.click();
    await expect.poll(() => run.chartPoints('chart-loss'), { timeout: 90_000 }).toBeGreaterThanOrEqual(1);
    await page.evaluate(() => Object.assign(window, { e2ePageLoad: 'before the update' }));

    proxy.publishNextRelease();
    await offline.checkForUpdate();
    const prompt = page.getByTestId('update-prompt');
    const reload = page.getByTestId('update-reload');
    await expect(prompt).toContainText('A new version of Tensorloom is ready');
    await expect(reload).toBeDisabled();
    // The run goes on in the same page: no swap, no reload.
    const points = await run.chartPoints('chart-loss');
    await expect.poll(() => run.chartPoints('chart-loss'), { timeout: 60_000 }).toBeGreaterThan(points);
    expect(await run.phase()).toBe('running');
    expect(await page.evaluate(() => 'e2ePageLoad' in window)).toBe(true);

    await run.stopButton.click();
    await run.waitForPhase(['stopped', 'completed'], 30_000);
    await expect(reload).toBeEnabled();
    await Promise.all([page.waitForEvent('load'), reload.click()]);
    await expect(editor.projectName).toHaveValue('ResNet-20 on CIFAR-10');
    expect(await page.evaluate(() => 'e2ePageLoad' in window)).toBe(false);
    await expect(prompt).toHaveCount(0);
    expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.waiting ?? null)).toBeNull();
  } finally {
    await proxy.close();
  }
});

test.describe('on the dev server', () => {
  // playwright.config.ts's dev-server port (the file-level baseURL above is the production build's).
  test.use({ baseURL: `http://localhost:${Number(process.env.E2E_PORT ?? 4517)}` });

  test('no service worker is registered, so edits to the code are never answered from a cache', async ({ page }) => {
    const editor = new EditorPage(page);
    await editor.openProject();
    await page.waitForTimeout(1000);
    expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistrations()).length)).toBe(0);
    await expect(page.locator('link[rel="manifest"]')).toHaveCount(0);
  });
});
