/**
 * "Train for N minutes" in the browser (issue 19): an Optimizer with a time budget trains past its
 * epoch count until the budget is spent, the run bar and the live view count the time left down,
 * and the run then validates and evaluates as usual.
 */
import { expect, test } from '@playwright/test';
import { openResNet } from './pages/run-faults';

test('a 9-second budget trains until the time is spent, showing the time left, then evaluates', async ({ page }) => {
  test.setTimeout(150_000);
  const { editor, run } = await openResNet(page);
  // One epoch is ~11 steps of 16 small images: the budget, not the epoch count, must end the run.
  await run.syntheticResNetRun(editor, { samples: 200, imageSize: 8, epochs: 1, batchSize: 16 });
  await editor.select('optimizer');
  await editor.setParam('budgetMinutes', '0.15');
  await editor.saved();
  await expect(editor.node('optimizer')).toContainText('0.15 min');

  await run.backendSelect.selectOption('wasm');
  await run.runButton.click();
  await expect(run.progress).toContainText(/\d+ s left/, { timeout: 60_000 });
  await expect(page.getByTestId('epoch-progress')).toContainText('of a 9 s budget');
  await expect(page.getByTestId('run-eta')).toContainText(/time left \d+ s/);
  await run.waitForPhase('completed', 90_000);
  await expect(run.progress).toContainText('0 s left');

  await run.openTab('evaluation');
  await expect(page.getByTestId('test-accuracy')).toBeVisible();
  await run.openTab('history');
  const row = run.historyRows.first();
  await expect(row).toHaveAttribute('data-status', 'completed', { timeout: 15_000 });
  // More epochs than the Optimizer's 1: the budget decided.
  const epochs = Number((await row.textContent())?.match(/epoch (\d+) · 9 s budget/)?.[1]);
  expect(epochs).toBeGreaterThanOrEqual(2);
});
