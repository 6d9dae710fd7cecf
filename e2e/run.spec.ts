/**
 * Training in the browser, end to end: a ResNet run on WebGPU fed by a CIFAR-10 batch from the file
 * picker (a small generated fixture), and a DQN run with the driving view. SwiftShader's WebGPU is
 * slow (seconds per ResNet step), so runs are a few tiny steps and are stopped early.
 */
import { appendFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { gzipSync } from 'fflate';
import { writeTar } from '../src/data/tar';
import { EditorPage } from './pages/editor-page';
import { RunPage, cifarFixture, writeCifarFixture } from './pages/run-page';

test('ResNet trains on a picked CIFAR batch on WebGPU, and the run is kept in history after a reload', async ({ page }, testInfo) => {
  test.setTimeout(170_000);
  const editor = new EditorPage(page);
  const run = new RunPage(page);
  await editor.openProject();
  await editor.newFromPreset('resnet-cifar');

  // A bad file first: refused with the reason, nothing cached.
  const bad = testInfo.outputPath('data_batch_9.bin');
  writeCifarFixture(bad, 2);
  appendFileSync(bad, new Uint8Array(100));
  await run.openTab('data');
  await run.fileInput.setInputFiles(bad);
  await expect(run.datasetError).toContainText('not a multiple of the 3,073-byte CIFAR-10 record');
  await expect(run.runButton).toBeDisabled();

  const batch = testInfo.outputPath('data_batch_1.bin');
  writeCifarFixture(batch, 256);
  await run.loadDataset(batch);
  await expect(page.getByTestId('dataset-train-count')).toHaveText('256');

  // Tiny steps: 8 training images in batches of 4.
  await editor.select('optimizer');
  await editor.setParam('batchSize', '4');
  await editor.setParam('epochs', '1');
  await editor.setParam('warmupEpochs', '0');
  await editor.select('data');
  await editor.setParam('maxTrainImages', '8');
  await editor.saved();

  // SwiftShader's WebGPU is software: auto would skip it for wasm, so ask for it by name.
  await run.backendSelect.selectOption('webgpu');
  await run.runButton.click();
  await expect(run.backendUsed).toHaveText('webgpu', { timeout: 60_000 });
  await expect(run.statusText).toContainText(/compiling|training|Training/i);
  await page.screenshot({ path: testInfo.outputPath('resnet-compiling.png') });
  await expect.poll(() => run.chartPoints('chart-loss'), { timeout: 120_000, intervals: [1000] }).toBeGreaterThanOrEqual(1);
  // The editor stays usable while the worker trains.
  await editor.select('data');
  await expect(editor.inspector).toContainText('Validation split');
  await page.screenshot({ path: testInfo.outputPath('resnet-training.png') });
  if ((await run.phase()) === 'running') await run.stopButton.click();
  await run.waitForPhase(['stopped', 'completed'], 90_000);
  // The final status is written to IndexedDB just after the phase changes; the history list shows
  // it once stored. Reloading before that would (rightly) find the run interrupted.
  await run.openTab('history');
  await expect(run.historyRows.first()).toHaveAttribute('data-status', /stopped|completed/, { timeout: 30_000 });

  await page.reload();
  await editor.openProject();
  await run.openTab('history');
  const row = run.historyRows.first();
  await expect(row).toHaveAttribute('data-status', /stopped|completed/);
  await expect(row).toContainText('webgpu');
  await expect(row).toContainText('ResNet-20');
  await page.screenshot({ path: testInfo.outputPath('resnet-history.png') });
});

test('the DQN driver trains a few hundred steps with a live driving view and charts', async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  const editor = new EditorPage(page);
  const run = new RunPage(page);
  await editor.openProject();
  await editor.newFromPreset('dqn-driver');
  await editor.select('agent');
  // A few hundred steps, the last ones learning from small replayed batches.
  await editor.setParam('totalSteps', '300');
  await editor.setParam('learningStarts', '200');
  await editor.setParam('batchSize', '8');
  // ε must reach its floor within the short run, or the summary warns (and the card grows).
  await editor.setParam('epsilonDecaySteps', '250');
  await editor.select('evaluate');
  await editor.setParam('episodes', '2');
  await editor.saved();

  // A DQN acts on one observation at a time: the plain CPU backend beats SwiftShader's WebGPU.
  await run.backendSelect.selectOption('cpu');
  await run.runButton.click();
  await expect(run.backendUsed).toHaveText('cpu', { timeout: 60_000 });
  await expect.poll(() => run.chartPoints('chart-epsilon'), { timeout: 60_000 }).toBeGreaterThanOrEqual(2);
  const first = await run.canvasHash();
  const epsilonPoints = await run.chartPoints('chart-epsilon');
  await expect.poll(() => run.canvasHash(), { timeout: 30_000 }).not.toBe(first);
  await expect.poll(() => run.chartPoints('chart-epsilon'), { timeout: 30_000 }).toBeGreaterThan(epsilonPoints);
  await page.screenshot({ path: testInfo.outputPath('dqn-training.png') });

  await run.waitForPhase('completed', 90_000);
  await expect.poll(() => run.chartPoints('chart-return'), { timeout: 5_000 }).toBeGreaterThanOrEqual(1);
  await run.openTab('evaluation');
  const table = page.getByTestId('baselines-table');
  await expect(table.locator('[data-policy="agent"]')).toBeVisible();
  await expect(table.locator('[data-policy="idm"]')).toBeVisible();
  await expect(table.locator('[data-policy="random"]')).toBeVisible();
  await page.getByTestId('watch-idm').click();
  await expect.poll(async () => Number(await run.drivingCanvas.getAttribute('data-frames')), { timeout: 15_000 }).toBeGreaterThan(3);
  await page.screenshot({ path: testInfo.outputPath('dqn-evaluation.png') });
});

test('a CIFAR archive fetched from a URL is cached once and still there after a reload; a cut archive is explained', async ({ page, context }) => {
  const archive = gzipSync(
    writeTar([
      { name: 'cifar-10-batches-bin/data_batch_1.bin', data: cifarFixture(300, 3) },
      { name: 'cifar-10-batches-bin/test_batch.bin', data: cifarFixture(50, 4) },
    ]),
  );
  const serve = (body: Uint8Array) => ({
    status: 200,
    body: Buffer.from(body),
    headers: { 'content-type': 'application/gzip', 'access-control-allow-origin': '*' },
  });
  await context.route('https://data.example/cifar-10-binary.tar.gz', (route) => route.fulfill(serve(archive)));
  await context.route('https://data.example/cut.tar.gz', (route) => route.fulfill(serve(archive.subarray(0, archive.length >> 1))));

  const editor = new EditorPage(page);
  const run = new RunPage(page);
  await editor.openProject();
  await editor.newFromPreset('resnet-cifar');
  await run.fetchDataset('https://data.example/cut.tar.gz');
  await expect(run.datasetError).toContainText('cut.tar.gz could not be decompressed');
  await expect(run.runButton).toBeDisabled();

  await run.fetchDataset('https://data.example/cifar-10-binary.tar.gz');
  await expect(page.getByTestId('dataset-train-count')).toHaveText('300');
  await expect(page.getByTestId('dataset-card')).toContainText('test_batch.bin');
  await expect(run.runButton).toBeEnabled();

  await page.reload();
  await editor.openProject();
  await run.openTab('data');
  await expect(page.getByTestId('dataset-train-count')).toHaveText('300');
  await expect(run.runButton).toBeEnabled();
});
