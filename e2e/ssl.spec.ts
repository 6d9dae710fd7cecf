/**
 * Self-supervised learning in the browser: the autoencoder preset trains a few small steps on wasm
 * (synthetic images, no files) and its reconstruction grid appears, stepping back through epochs;
 * the 1,000-label classifier preset then starts from that run, picked in the Optimizer's list, with
 * the matched layers listed before it trains and the link and the comparison after.
 */
import { expect, test } from '@playwright/test';
import { EditorPage } from './pages/editor-page';
import { RunPage } from './pages/run-page';
import { SslPage } from './pages/ssl-page';

test('the autoencoder shows its reconstructions, and the classifier starts from its encoder', async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  const editor = new EditorPage(page);
  const run = new RunPage(page);
  const ssl = new SslPage(page);
  await editor.openProject();

  await editor.newFromPreset('autoencoder-cifar');
  await run.syntheticResNetRun(editor, { samples: 64, imageSize: 16, epochs: 2, batchSize: 16 });
  await run.backendSelect.selectOption('wasm');
  await run.runButton.click();
  await run.waitForPhase('completed', 60_000);
  await run.openTab('live');
  await expect(ssl.gridEpoch).toHaveText('after epoch 2');
  await expect(ssl.gridRow('input')).toHaveCount(6);
  await expect(ssl.gridRow('reconstruction')).toHaveCount(6);
  await expect(ssl.gridRow('corrupted')).toHaveCount(0);
  expect(await ssl.drawn(ssl.gridRow('reconstruction').first())).toBe(true);
  expect(await run.chartPoints('chart-psnr')).toBeGreaterThanOrEqual(2);
  await ssl.earlierEpoch.click();
  await expect(ssl.gridEpoch).toHaveText('after epoch 1');
  await page.screenshot({ path: testInfo.outputPath('autoencoder-grid.png') });
  await run.openTab('evaluation');
  await expect(page.getByTestId('reconstruction-psnr')).toContainText('dB');
  const autoencoder = await run.currentRunId();

  await editor.newFromPreset('ssl-classifier-cifar');
  await run.syntheticResNetRun(editor, { samples: 64, imageSize: 16, epochs: 1, batchSize: 16 });
  await editor.select('optimizer');
  await expect(editor.inspector.locator('[data-param="initFromRun"]')).toHaveCount(0);
  await ssl.startFrom(autoencoder, editor);
  await expect(ssl.matched).toHaveText('stem-conv, stem-bn, enc1, enc2, enc3');
  await expect(ssl.fresh).toContainText('logits starts fresh: not in the source run');
  await ssl.transferMode.selectOption('freeze');
  await editor.saved();
  await page.screenshot({ path: testInfo.outputPath('transfer-picker.png') });

  await run.runButton.click();
  await run.waitForPhase('completed', 60_000);
  await expect(ssl.transferLink).toContainText('5 layers copied and frozen (stem-conv, stem-bn, enc1, enc2, enc3); started fresh: logits.');
  await run.openTab('evaluation');
  await expect(ssl.comparison).toContainText('frozen (linear probe)');
  await expect(page.getByTestId('scratch-none')).toContainText('No from-scratch run of this graph in this browser yet');
});
