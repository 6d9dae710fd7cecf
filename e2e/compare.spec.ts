/**
 * Comparing runs, end to end in Chromium with real IndexedDB: the same synthetic ResNet preset
 * trained twice with one learning rate changed; the compare view overlays both runs on every
 * metric's chart and the graph diff names exactly the learning rate; a reload keeps it all; a
 * deleted run leaves the comparison (and Undo brings it back).
 */
import { expect, test } from '@playwright/test';
import { ComparePage } from './pages/compare-page';
import { EditorPage } from './pages/editor-page';
import { RunPage } from './pages/run-page';

test('two runs differing in learning rate: overlaid curves, the diff names the learning rate, reload keeps it, delete removes it', async ({ page }, testInfo) => {
  test.setTimeout(240_000);
  const editor = new EditorPage(page);
  const run = new RunPage(page);
  const compare = new ComparePage(page);
  await editor.openProject();
  await editor.newFromPreset('resnet-cifar');
  await run.syntheticResNetRun(editor, { samples: 72, imageSize: 8, epochs: 1, batchSize: 16 });
  // The run on screen once its final record (status and metrics in one write) is stored.
  const storedRun = async () => {
    const id = await run.currentRunId();
    await expect(page.locator(`[data-testid="run-row"][data-run-id="${id}"]`)).toHaveAttribute('data-status', 'completed');
    return id;
  };

  await run.runButton.click();
  await run.waitForPhase('completed', 90_000);
  const first = await storedRun();
  await editor.select('optimizer');
  await editor.setParam('learningRate', '0.01');
  await editor.saved();
  await run.runButton.click();
  await run.waitForPhase('completed', 90_000);
  const second = await storedRun();
  expect(second).not.toBe(first);

  await compare.open();
  await compare.compare([first, second]);
  const curves = await compare.curvesPerChart();
  expect(Object.keys(curves)).toEqual(expect.arrayContaining(['loss', 'valLoss', 'valAccuracy']));
  for (const [metric, n] of Object.entries(curves)) expect(n, metric).toBe(2);
  // The stored graphs differ in one parameter only: the optimizer's learning rate, old → new.
  const diff = await compare.diff();
  expect(diff).toHaveLength(1);
  expect(diff[0]).toEqual([expect.stringMatching(/optimizer · learningRate$/), '0.1', '0.01']);
  // A click shows the first run's graph with that node selected.
  await compare.diffRows.first().click();
  await expect(page.getByTestId('compare-graph')).toHaveAttribute('data-node', 'optimizer');
  // Hovering a chart reads every run's value at that step (same names: told apart by their ids).
  const readout = await compare.hover('loss');
  for (const id of [first, second]) expect(readout).toContain(`#${id.slice(0, 4)}`);
  expect(readout).toMatch(/#\w{4}: [\d.]+ · .*#\w{4}: [\d.]+/);
  await page.screenshot({ path: testInfo.outputPath('compare.png') });
  const csv = (await compare.exportCsv()).split('\r\n');
  expect(csv[0]).toBe('run,run_id,metric,step,value');
  for (const id of [first, second]) expect(csv.filter((l) => l.includes(`,${id},loss,`)).length, id).toBeGreaterThan(0);

  await page.reload();
  await expect(editor.saveState).toHaveText('Saved');
  await compare.open();
  await compare.drawn(2);
  expect(await compare.curvesPerChart()).toEqual(curves);
  expect(await compare.diff()).toEqual(diff);

  await compare.delete(second);
  await expect(compare.view).toBeHidden();
  await expect(page.getByTestId('runs-undo-bar')).toBeVisible();
  await page.getByTestId('runs-undo').click();
  await expect(compare.row(second)).toHaveCount(1);
  await compare.drawn(2);
  await compare.delete(first);
  await expect(compare.view).toBeHidden();
  await page.reload();
  await expect(editor.saveState).toHaveText('Saved');
  await compare.open();
  expect(await compare.runIds()).toEqual([second]);

  // The graph the remaining run trained opens as a new project, its learning rate with it (not the edited one's).
  await compare.close();
  await editor.select('optimizer');
  await editor.setParam('learningRate', '0.5');
  await editor.saved();
  await compare.open();
  await compare.openGraph(second);
  await expect(editor.projectName).toHaveValue(/\(from run\)$/);
  await expect(editor.saveState).toHaveText('Saved');
  await editor.select('optimizer');
  await expect(editor.inspector.locator('[data-param="learningRate"] input')).toHaveValue('0.01');
});
