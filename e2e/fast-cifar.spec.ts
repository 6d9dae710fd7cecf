/**
 * The Fast CIFAR-10 preset as a new user meets it (issue 19): picked from the preset menu, its
 * recipe is on the canvas (a 10-minute budget, label smoothing, flip averaging), and with the
 * budget cut to seconds it trains on wasm and reports the flip-averaged accuracy. On synthetic
 * images: real CIFAR-10 in the browser is `npm run bench:cifar-browser -- --preset fast`.
 */
import { expect, test } from '@playwright/test';
import { openPreset } from './pages/run-faults';

test('the fast preset opens with its recipe and trains within a budget on wasm', async ({ page }) => {
  test.setTimeout(150_000);
  const { editor, run } = await openPreset(page, 'fast-cifar');
  await expect(editor.node('optimizer')).toContainText('10 min');
  await expect(editor.node('loss')).toContainText('smoothing');
  await editor.select('evaluate');
  await expect(editor.inspector.locator('[data-param="flipAveraging"] input')).toBeChecked();

  await editor.select('data');
  await editor.inspector.locator('[data-param="source"] select').selectOption('synthetic');
  await editor.setParam('samples', '160');
  await editor.setParam('imageSize', '32');
  await editor.select('optimizer');
  await editor.setParam('budgetMinutes', '0.1');
  await editor.setParam('batchSize', '16');
  await editor.saved();
  await expect(editor.node('optimizer')).toContainText('0.1 min');

  await run.backendSelect.selectOption('wasm');
  await run.runButton.click();
  await expect(run.progress).toContainText(/\d+ s left/, { timeout: 60_000 });
  await run.waitForPhase('completed', 90_000);
  await run.openTab('evaluation');
  await expect(page.getByTestId('test-accuracy')).toContainText('Validation accuracy');
  await expect(page.getByTestId('test-accuracy')).toContainText('flip-averaged');
});
