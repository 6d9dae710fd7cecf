/**
 * The production build as a static host would serve it (minified bundles, workers as separate
 * files, COOP/COEP from `vite preview`): it must open on the preset and train on wasm, threads and
 * all. Minification once broke the threaded wasm build's pthread workers without any dev-server
 * test noticing.
 */
import { expect, test } from '@playwright/test';
import { productionPort } from '../playwright.config';
import { EditorPage } from './pages/editor-page';
import { RunPage } from './pages/run-page';

test.use({ baseURL: `http://localhost:${productionPort}` });

test('the production build opens on the ResNet preset and trains it on wasm', async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const editor = new EditorPage(page);
  const run = new RunPage(page);
  await editor.openProject();
  await expect(page.getByTestId('project-name')).toHaveValue('ResNet-20 on CIFAR-10');
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  await run.shortResNetRun(editor, testInfo.outputPath('data_batch_1.bin'), { images: 256, trainImages: 128 });
  await run.backendSelect.selectOption('wasm');
  await run.runButton.click();
  await expect(run.backendUsed).toHaveText('wasm', { timeout: 60_000 });
  await run.waitForPhase('completed', 90_000);
  expect(await run.chartPoints('chart-loss')).toBeGreaterThanOrEqual(2);
  expect(errors).toEqual([]);
});
