/**
 * The fault cases that already behaved when issue 13 was filed, kept so by tests: a run that
 * diverges, the WebGPU device lost mid-run, two tabs on one project, the RL worker dying, and Stop
 * while the worker loads data or evaluates. On the dev server (its window.__tensorloomTest hook hands
 * the worker a fault). Each ends with the run marked, the editor alive, earlier runs intact and a
 * message in the user's words; figures are printed as `FIGURE name value`.
 */
import { expect, test } from '@playwright/test';
import { EditorPage } from './pages/editor-page';
import { editorAlive, expectHistory, figure, openPreset, openResNet } from './pages/run-faults';
import { RunPage } from './pages/run-page';

test('a run that diverges fails with what to change; with the rate lowered it trains, the earlier run intact', async ({ page }) => {
  test.setTimeout(150_000);
  const { editor, run } = await openResNet(page);
  await run.syntheticResNetRun(editor, { samples: 96, imageSize: 8, epochs: 2, batchSize: 16 });
  await run.backendSelect.selectOption('wasm');
  await run.runButton.click();
  await run.waitForPhase('completed', 90_000);

  // A rate of 10 on squared error: the logits grow ~20× a step (BatchNorm keeps softmax
  // cross-entropy finite at that rate, its gradients saturate), so the loss overflows in ~20 steps.
  await editor.select('loss');
  await editor.inspector.locator('[data-param="loss"] select').selectOption('mse');
  await editor.select('data');
  await editor.setParam('samples', '400');
  await editor.select('optimizer');
  await editor.setParam('learningRate', '10');
  await editor.saved();
  const failedMs = await run.runAndMeasure('failed', 90_000);
  figure('diverged_run_failed_ms', failedMs);
  await expect(run.error).toContainText('the model diverged');
  await expect(run.error).toContainText('Lower the learning rate');
  // Another backend would diverge the same: none is offered.
  await expect(page.getByTestId('retry-next-backend')).toHaveCount(0);
  await editorAlive(editor);
  await expectHistory(run, ['failed', 'completed']);

  // The fix the message names, then Run again.
  await editor.select('optimizer');
  await editor.setParam('learningRate', '0.1');
  await editor.saved();
  await run.runButton.click();
  await run.waitForPhase('completed', 90_000);
  await expectHistory(run, ['completed', 'failed', 'completed']);
});

test('a WebGPU device lost mid-run reads "the GPU device was lost", and Retry on another backend trains', async ({ page }) => {
  test.setTimeout(240_000);
  const { editor, run } = await openResNet(page);
  await run.syntheticResNetRun(editor, { samples: 72, imageSize: 8, epochs: 3, batchSize: 16 });
  // SwiftShader's WebGPU: auto would skip a software adapter, so ask for it by name.
  await run.backendSelect.selectOption('webgpu');
  await run.runButton.click();
  await expect(run.backendUsed).toHaveText('webgpu', { timeout: 60_000 });
  // Past the first step (SwiftShader compiles its kernels for seconds before it).
  await expect(run.statusText).toContainText(/Compiling webgpu kernels/i, { timeout: 60_000 });
  await expect(run.statusText).not.toContainText(/Compiling/i, { timeout: 150_000 });
  await run.waitForPhase('running', 5000);
  const detectMs = await run.injectFaultAndMeasureFailure({ tensorloomFault: 'gpu-device-lost' }, 15_000);
  figure('gpu_device_lost_failed_ms', detectMs);
  await expect(run.error).toContainText('the GPU device was lost');
  await expect(page.getByTestId('run-eta')).toHaveCount(0);
  await editorAlive(editor);

  const retry = page.getByTestId('retry-next-backend');
  await expect(retry).toHaveText(/Retry on (webgl|wasm|cpu)/);
  const next = (await retry.textContent())!.replace('Retry on ', '');
  await retry.click();
  // Trains on the other backend (its first epoch ends); stopped there to keep the test short.
  await expect(run.backendUsed).toHaveText(next, { timeout: 60_000 });
  await expect(run.progress).toContainText(/epoch [23]\/3/, { timeout: 150_000 });
  await run.stopButton.click();
  await run.waitForPhase('stopped', 5000);
  await expectHistory(run, ['stopped', 'failed']);
});

test('two tabs on one project: the other tab shows the run as running in another tab, cannot resume or delete it, and agrees when it ends', async ({ context }) => {
  test.setTimeout(150_000);
  const { editor: editorA, run: a } = await openResNet(await context.newPage());
  await a.syntheticResNetRun(editorA, { samples: 200, imageSize: 16, epochs: 3, batchSize: 16 });
  await a.backendSelect.selectOption('wasm');
  await a.runButton.click();
  await a.waitForPhase('running', 90_000);
  const runId = await a.currentRunId();

  // A new tab opens the project shown last: the one training in A.
  const editorB = new EditorPage(await context.newPage());
  const b = new RunPage(editorB.page);
  await editorB.openProject();
  await expect(editorB.projectName).toHaveValue(await editorA.projectName.inputValue());
  await b.openTab('history');
  const row = b.historyRow(runId);
  await expect(row).toHaveAttribute('data-status', 'running');
  await expect(row.getByTestId('run-elsewhere')).toHaveText('in another tab');
  await expect(row.getByTestId('resume-run')).toHaveCount(0);
  await expect(row.getByRole('button', { name: 'Delete run' })).toBeDisabled();
  expect(await b.phase()).toBe('idle');
  // Running the same project here too would train it twice on the same cores.
  await expect(b.runButton).toBeDisabled();
  await expect(b.runButton).toHaveAttribute('title', /training in another tab/);
  await editorAlive(editorB);

  await a.waitForPhase('completed', 120_000);
  const t0 = Date.now();
  await expect(row).toHaveAttribute('data-status', 'completed', { timeout: 10_000 });
  figure('other_tab_sees_run_end_ms', Date.now() - t0);
  await expect(row.getByTestId('run-elsewhere')).toHaveCount(0);
  await expect(b.runButton).toBeEnabled();
  await expect(a.historyRow(runId)).toHaveAttribute('data-status', 'completed', { timeout: 15_000 });
  await expect(b.historyRows).toHaveCount(1);
});

test('an RL worker that closes mid-run is noticed within seconds; Retry starts the run again', async ({ page }) => {
  test.setTimeout(120_000);
  const { editor, run } = await openPreset(page, 'dqn-driver');
  await run.shortDqnRun(editor, { totalSteps: 5000, learningStarts: 200 });
  await run.runButton.click();
  await expect(run.backendUsed).toHaveText('cpu', { timeout: 60_000 });
  await expect.poll(() => run.chartPoints('chart-epsilon'), { timeout: 60_000 }).toBeGreaterThanOrEqual(2);
  const detectMs = await run.injectFaultAndMeasureFailure({ tensorloomFault: 'close' });
  figure('rl_dead_worker_detected_ms', detectMs);
  expect(detectMs).toBeLessThan(5000);
  await expect(run.error).toContainText('the RL worker stopped unexpectedly');
  await editorAlive(editor, 'agent', 'Total steps');

  await page.getByTestId('retry-run').click();
  await run.waitForPhase('running', 60_000);
  await run.stopButton.click();
  await run.waitForPhase('stopped', 5000);
  await expectHistory(run, ['stopped', 'failed']);
});

test('Stop stops within 2 s while the worker prepares a large dataset and while it evaluates many images', async ({ page }) => {
  test.setTimeout(240_000);
  const { editor, run } = await openResNet(page);
  // 100,000 synthetic 32×32 images: seconds of generation in one synchronous stretch.
  await run.syntheticResNetRun(editor, { samples: 100_000, imageSize: 32, epochs: 1, batchSize: 16 });
  await run.backendSelect.selectOption('wasm');
  await run.runButton.click();
  await expect(run.statusText).toContainText(/preparing images/i, { timeout: 60_000 });
  const loading = await run.stopAndMeasure();
  figure('stop_loading_data_ms', loading);
  expect(loading).toBeLessThan(2000);

  // Half of 20,000 small images held out: validation takes seconds after the one epoch.
  await editor.select('data');
  await editor.setParam('samples', '20000');
  await editor.setParam('imageSize', '8');
  await editor.setParam('validationSplit', '0.5');
  await editor.select('optimizer');
  await editor.setParam('batchSize', '256');
  await editor.saved();
  await run.runButton.click();
  await expect(run.statusText).toContainText(/validating|evaluating/i, { timeout: 150_000 });
  const evaluating = await run.stopAndMeasure();
  figure('stop_evaluating_ms', evaluating);
  expect(evaluating).toBeLessThan(2000);

  await editorAlive(editor);
  await expectHistory(run, ['stopped', 'stopped']);
});
