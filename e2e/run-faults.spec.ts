/**
 * Faults injected into running trainings (issue 13), on the dev server (its window.__tensorloomTest
 * hook hands the worker a fault): storage that refuses checkpoints, a worker that throws and closes,
 * Stop while the worker is busy building, and a reload mid-run. Each ends with the run marked, the
 * editor alive, earlier runs intact and a message in the user's words. The figures (time from Stop
 * to stopped, time to notice a dead worker) are printed as `FIGURE name value`.
 */
import { expect, test } from '@playwright/test';
import { editorAlive, expectHistory, figure, openResNet } from './pages/run-faults';
import { RunPage } from './pages/run-page';

test('a checkpoint the storage refuses is a warning at once; the run ends "finished without checkpoint" and still exports', async ({ page }) => {
  test.setTimeout(150_000);
  const setup = new RunPage(page);
  await setup.refuseCheckpointWritesWhenFull();
  const { editor, run } = await openResNet(page);
  await run.syntheticResNetRun(editor, { samples: 72, imageSize: 8, epochs: 2, batchSize: 16 });
  await run.backendSelect.selectOption('wasm');

  // An earlier run, stored normally.
  await run.runButton.click();
  await run.waitForPhase('completed', 90_000);
  await run.openTab('history');
  await expect(run.historyRows.first()).toHaveAttribute('data-status', 'completed', { timeout: 15_000 });

  await run.setStorageFull(true);
  await run.runButton.click();
  await expect(run.warning).toContainText('storage is full: delete old runs', { timeout: 60_000 });
  await expect(run.warning).toContainText('Export still works');
  await run.waitForPhase('completed-without-checkpoint', 90_000);
  await expect(run.statusText).toHaveText('Finished without checkpoint');
  await expect(run.exportButton).toBeEnabled();
  const download = page.waitForEvent('download');
  await run.exportButton.click();
  expect((await download).suggestedFilename()).toMatch(/\.json$/);
  await editorAlive(editor);
  await expectHistory(run, ['completed-without-checkpoint', 'completed']);
});

test('a worker that throws and closes mid-run is noticed within seconds; the run fails with Resume, which finishes it', async ({ page }) => {
  test.setTimeout(180_000);
  const { editor, run } = await openResNet(page);
  await run.syntheticResNetRun(editor, { samples: 400, imageSize: 16, epochs: 4, batchSize: 16 });
  await run.backendSelect.selectOption('wasm');
  await run.runButton.click();
  // Into the second epoch: the first epoch's checkpoint is stored.
  await expect(run.progress).toContainText(/epoch [2-4]\/4/, { timeout: 90_000 });
  const detectMs = await run.injectFaultAndMeasureFailure({ tensorloomFault: 'throw-then-close' });
  figure('dead_worker_detected_ms', detectMs);
  expect(detectMs).toBeLessThan(5000);
  await expect(run.error).toContainText('the training worker stopped after an error');
  await expect(run.error).toContainText('fault injected');
  await expect(page.getByTestId('run-eta')).toHaveCount(0);
  await editorAlive(editor);

  await expect(page.getByTestId('run-resume-offer')).toContainText(/continues from the checkpoint (after epoch|at step)/);
  await run.resumeCurrentButton.click();
  await run.waitForPhase('completed', 120_000);
  await expectHistory(run, ['completed']);
});

test('a worker that closes without a word is noticed within seconds', async ({ page }) => {
  test.setTimeout(120_000);
  const { editor, run } = await openResNet(page);
  await run.syntheticResNetRun(editor, { samples: 400, imageSize: 16, epochs: 4, batchSize: 16 });
  await run.backendSelect.selectOption('wasm');
  await run.runButton.click();
  await run.waitForPhase('running', 90_000);
  const detectMs = await run.injectFaultAndMeasureFailure({ tensorloomFault: 'close' });
  figure('closed_worker_detected_ms', detectMs);
  expect(detectMs).toBeLessThan(5000);
  await expect(run.error).toContainText('the training worker stopped unexpectedly');
  await expect(page.getByTestId('retry-run')).toBeVisible();
  await editorAlive(editor);
});

test('Stop stops within 2 s while the worker trains, while its thread is held, and while it builds a big model', async ({ page }) => {
  test.setTimeout(240_000);
  const { editor, run } = await openResNet(page);
  await run.syntheticResNetRun(editor, { samples: 400, imageSize: 16, epochs: 4, batchSize: 16 });
  await run.backendSelect.selectOption('wasm');

  // Training: the worker answers, stops at the step's end and sends its stop point.
  await run.runButton.click();
  await expect(run.progress).toContainText(/epoch [2-4]\/4/, { timeout: 90_000 });
  const training = await run.stopAndMeasure();
  figure('stop_training_ms', training);
  expect(training).toBeLessThan(2000);
  await expect(run.statusText).toHaveText('Stopped');

  // A thread held by one long synchronous task answers nothing: it is ended at the deadline.
  await run.runButton.click();
  await run.waitForPhase('running', 90_000);
  await run.injectWorkerFault({ tensorloomFault: 'busy', ms: 120_000 });
  const held = await run.stopAndMeasure();
  figure('stop_held_thread_ms', held);
  expect(held).toBeLessThan(2000);
  await expect(run.statusText).toContainText('the worker did not answer in time and was ended');

  // Building: the last stage widened to 1,024 filters (~57 M parameters) takes seconds to build.
  for (const block of ['stage3-block1', 'stage3-block2', 'stage3-block3']) {
    await editor.select(block);
    await editor.setParam('filters', '1024');
  }
  await editor.saved();
  await run.runButton.click();
  await expect(run.statusText).toContainText(/Building the model/i, { timeout: 60_000 });
  const building = await run.stopAndMeasure();
  figure('stop_building_ms', building);
  console.log(`stop while building ended as: ${await run.statusText.textContent()}`);
  expect(building).toBeLessThan(2000);

  await editorAlive(editor);
  await expectHistory(run, ['stopped', 'stopped', 'stopped']);
  // A new run starts at once: the ended workers hold nothing up.
  await run.runButton.click();
  await expect(run.statusText).toContainText(/Building the model/i, { timeout: 60_000 });
  await run.stopButton.click();
  await run.waitForPhase('stopped', 5000);
});

test('after a reload mid-run the panel shows the interrupted run, and Resume finishes it from its checkpoint', async ({ page }) => {
  test.setTimeout(180_000);
  const { editor, run } = await openResNet(page);
  await run.syntheticResNetRun(editor, { samples: 400, imageSize: 16, epochs: 3, batchSize: 16 });
  await run.backendSelect.selectOption('wasm');
  await run.runButton.click();
  await expect(run.progress).toContainText(/epoch [23]\/3/, { timeout: 90_000 });
  // The bar says when the first epoch's checkpoint is stored; a reload before that has nothing to resume.
  await expect(page.getByTestId('run-saved')).toHaveText('saved after epoch 1', { timeout: 30_000 });
  await page.reload();
  await editor.openProject();
  await run.waitForPhase('interrupted', 15_000);
  await expect(run.statusText).toContainText('Interrupted');
  await expect(page.getByTestId('run-resume-offer')).toContainText('exactly where training stopped');
  await run.resumeCurrentButton.click();
  await run.waitForPhase('completed', 120_000);
  await editorAlive(editor);
  await expectHistory(run, ['completed']);
});

test('a training worker whose script cannot load says so at once, not after a grace period', async ({ page, context }) => {
  test.setTimeout(90_000);
  const { editor, run } = await openResNet(page);
  await run.syntheticResNetRun(editor, { samples: 72, imageSize: 8, epochs: 1, batchSize: 16 });
  // The network is gone for the worker script, as offline without a cached copy.
  await context.route('**/train.worker.ts*', (route) => route.abort('internetdisconnected'));
  await run.backendSelect.selectOption('wasm');
  const t0 = Date.now();
  await run.runButton.click();
  await run.waitForPhase('failed', 10_000);
  figure('worker_load_failure_ms', Date.now() - t0);
  await expect(run.error).toContainText('could not load the training worker — are you offline?');
  await editorAlive(editor);
  // With the network back, the next run trains.
  await context.unroute('**/train.worker.ts*');
  await run.runButton.click();
  await run.waitForPhase('completed', 90_000);
});

test('Stop stops within 2 s while the worker starts, and while WebGPU compiles its kernels for the first step', async ({ page }) => {
  test.setTimeout(240_000);
  const { editor, run } = await openResNet(page);
  // Long enough (a few seconds of wasm) that it cannot finish between "starting" and the click on Stop.
  await run.syntheticResNetRun(editor, { samples: 72, imageSize: 8, epochs: 30, batchSize: 16 });

  await run.backendSelect.selectOption('wasm');
  await run.runButton.click();
  await run.waitForPhase('starting', 5000);
  const starting = await run.stopAndMeasure();
  figure('stop_starting_ms', starting);
  expect(starting).toBeLessThan(2000);

  // SwiftShader's WebGPU compiles for seconds before the first step (auto would skip it: ask by name).
  await run.backendSelect.selectOption('webgpu');
  await run.runButton.click();
  await expect(run.statusText).toContainText(/Compiling webgpu kernels/i, { timeout: 150_000 });
  const compiling = await run.stopAndMeasure();
  figure('stop_compiling_webgpu_ms', compiling);
  expect(compiling).toBeLessThan(2000);
  await editorAlive(editor);
  await expectHistory(run, ['stopped', 'stopped']);
});
