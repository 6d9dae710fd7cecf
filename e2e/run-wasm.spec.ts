/**
 * The CPU path most laptops without WebGPU take: Chromium with WebGPU and WebGL switched off, so the
 * automatic backend order falls through to wasm, which must train the ResNet preset (its
 * convolution gradients come from Tensorloom's wasm training kernels).
 */
import { expect, test } from '@playwright/test';
import { chromiumBaseArgs, chromiumPath } from './chromium';
import { EditorPage } from './pages/editor-page';
import { RunPage } from './pages/run-page';

test.use({
  launchOptions: {
    executablePath: chromiumPath,
    args: [...chromiumBaseArgs, '--disable-gpu', '--disable-webgl', '--disable-3d-apis', '--disable-software-rasterizer', '--disable-features=WebGPU'],
  },
});

test('with WebGPU and WebGL unavailable, the ResNet preset trains on wasm', async ({ page }, testInfo) => {
  test.setTimeout(150_000);
  const editor = new EditorPage(page);
  const run = new RunPage(page);
  await editor.openProject();
  await editor.newFromPreset('resnet-cifar');
  // The preset's own batch of 64 (its augmentation included): three steps, one epoch, then validation.
  await run.shortResNetRun(editor, testInfo.outputPath('data_batch_1.bin'), { images: 256, trainImages: 192 });

  await expect(run.backendSelect).toHaveValue('auto');
  await run.runButton.click();
  await expect(run.backendUsed).toHaveText('wasm', { timeout: 60_000 });
  await expect(page.getByTestId('backend-skipped')).toHaveText(['webgpu', 'webgl']);
  await run.waitForPhase('completed', 120_000);
  expect(await run.chartPoints('chart-loss')).toBeGreaterThanOrEqual(2);
  await page.screenshot({ path: testInfo.outputPath('resnet-wasm.png') });
  await run.openTab('history');
  await expect(run.historyRows.first()).toHaveAttribute('data-status', 'completed', { timeout: 30_000 });
  await expect(run.historyRows.first()).toContainText('wasm');
});
