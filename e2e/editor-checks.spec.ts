/**
 * A graph that passes the checks trains, and one that cannot is refused before Run with the
 * reason (issue 13, items 3 and 18), on the ResNet-20 preset the app opens with.
 */
import { expect, test } from '@playwright/test';
import { EditorPage } from './pages/editor-page';
import { GraphChecks } from './pages/graph-checks';

const CONVOLUTIONS = [
  'stem-conv',
  ...['stage1', 'stage2', 'stage3'].flatMap((stage) => [1, 2, 3].map((block) => `${stage}-block${block}`)),
];

test('4,096-filter convolutions: the summary shows the memory needed, the dominant node says what to reduce, Run is unavailable', async ({ page }) => {
  const editor = new EditorPage(page);
  const checks = new GraphChecks(page, editor);
  await editor.openProject();
  await expect(checks.compileStatus).toHaveText('Ready to train (supervised)');
  await expect(checks.memoryEstimate).toHaveText(/^~\d+ MB$/);
  await expect(checks.memoryEstimate).toHaveAttribute('title', /at batch 64 \(the Optimizer's batch size\).*This browser can hold ~2 GB/);

  await checks.setOnEach(CONVOLUTIONS, 'filters', '4096');
  await expect(checks.memoryEstimate).toHaveText(/^~\d+ GB$/);
  const error = checks.diagnosticOn('stage1-block1', 'this browser can hold ~2 GB');
  await expect(error).toContainText(/4,096 filters → 302 M parameters here \(2\.75 G in the model\), ~\d+ GB to train at batch 64/);
  await expect(error).toContainText('reduce the batch size or filters');
  // The card of the node the memory check names says so too, not only the summary.
  await expect(checks.badgeOn('stage1-block1')).toHaveClass(/badge-error/);
  await expect(checks.badgeOn('stage1-block1')).toHaveAttribute('title', /this browser can hold ~2 GB/);
  await expect(checks.compileStatus).not.toContainText('Ready to train');
  await checks.expectRunUnavailable();
});

test('1 epoch under a 2-epoch one-cycle warm-up is refused, and the one-click fix makes the schedule fit', async ({ page }) => {
  const editor = new EditorPage(page);
  const checks = new GraphChecks(page, editor);
  await editor.openProject();
  await checks.setOnEach(['optimizer'], 'epochs', '1');
  await expect(checks.diagnosticOn('optimizer', 'never come down')).toBeVisible();
  await expect(checks.compileStatus).toHaveText('1 error');
  await checks.expectRunUnavailable();

  await checks.applyQuickFix('optimizer', 'Warm up for 0.15 epochs');
  await expect(checks.compileStatus).toHaveText('Ready to train (supervised)');
  await editor.select('optimizer');
  await expect(editor.inspector.locator('[data-param="warmupEpochs"] input')).toHaveValue('0.15');
  await expect(checks.runButton).not.toHaveAttribute('title', /Fix the graph/);
});
