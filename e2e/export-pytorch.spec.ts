/**
 * Export → PyTorch project (.zip) from the app: the graph alone from the top bar, and a finished
 * run's graph with its trained weights from the run panel; the weights convert with the project's
 * own tools/convert_tfjs.py where Debian's PyTorch is installed, and come back through the project's
 * tools/export_tfjs.py and the History tab's Import weights as a run trained elsewhere, which
 * Evaluate scores (a model.json of another shape is refused, naming the layer, and stores nothing).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect, test } from '@playwright/test';
import { EditorPage } from './pages/editor-page';
import { PyTorchExport } from './pages/pytorch-export';
import { RunPage } from './pages/run-page';

const torch = spawnSync('/usr/bin/python3', ['-c', 'import torch, numpy']).status === 0;

test('the top bar exports the graph as a PyTorch project, and nothing from a graph that does not compile', async ({ page }) => {
  const editor = new EditorPage(page);
  const pytorch = new PyTorchExport(page);
  await editor.openProject();
  await editor.newFromPreset('resnet-cifar');
  const zip = await pytorch.download(pytorch.graphButton);
  // A project from a preset may be numbered: "ResNet-20 on CIFAR-10 (2)".
  expect(zip.name).toMatch(/^resnet-20-on-cifar-10(-\d+)?-pytorch\.zip$/);
  const folder = zip.name.replace(/\.zip$/, '');
  expect(Object.keys(zip.files).sort()).toEqual(
    ['README.md', 'data.py', 'model.py', 'requirements.txt', 'tools/convert_tfjs.py', 'tools/export_tfjs.py', 'tools/model_topology.json', 'train.py'].map((f) => `${folder}/${f}`),
  );
  expect(new TextDecoder().decode(zip.files[`${folder}/model.py`])).toMatch(/class ResNet20OnCIFAR10(\d+)?\(nn\.Module\):/);

  await editor.newFromPreset('blank');
  let downloads = 0;
  page.on('download', () => downloads++);
  await pytorch.graphButton.click();
  await expect(editor.toasts.last()).toContainText('Nothing exported: the graph does not compile');
  expect(downloads).toBe(0);
});

test("a finished run exports the project with its trained weights, which the project's converter reads", async ({ page }) => {
  test.setTimeout(150_000);
  const editor = new EditorPage(page);
  const run = new RunPage(page);
  const pytorch = new PyTorchExport(page);
  await editor.openProject();
  await editor.newFromPreset('resnet-cifar');
  await run.syntheticResNetRun(editor, { samples: 72, imageSize: 8, epochs: 1, batchSize: 16 });
  await run.backendSelect.selectOption('wasm');
  await run.runButton.click();
  await run.waitForPhase('completed', 90_000);
  await expect(pytorch.runButton).toBeEnabled();
  const zip = await pytorch.download(pytorch.runButton);
  const names = Object.keys(zip.files);
  const modelJson = names.find((n) => /\/tfjs\/[^/]+\.json$/.test(n));
  expect(modelJson).toBeDefined();
  expect(names.some((n) => /\/tfjs\/[^/]+\.weights\.bin$/.test(n))).toBe(true);

  test.skip(!torch, '/usr/bin/python3 has no torch here; CI installs python3-torch');
  const dir = mkdtempSync(join(tmpdir(), 'tensorloom-e2e-pt-'));
  for (const [name, bytes] of Object.entries(zip.files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), bytes);
  }
  const project = join(dir, zip.name.replace(/\.zip$/, ''));
  const converted = spawnSync('/usr/bin/python3', ['tools/convert_tfjs.py', join(dir, modelJson!), 'weights.pt'], { cwd: project, encoding: 'utf8' });
  expect(converted.stderr).toBe('');
  expect(converted.stdout).toMatch(/weights\.pt: \d+ weights of \d+ layers from /);

  // Back into the app: PyTorch's weights as TF.js files, imported onto the same graph.
  const back = spawnSync('/usr/bin/python3', ['tools/export_tfjs.py', 'weights.pt', 'back'], { cwd: project, encoding: 'utf8' });
  expect(back.status, back.stderr).toBe(0);
  await run.openTab('history');
  const rowsBefore = await run.historyRows.count();
  // Another graph's weights: one kernel's shape reversed in model.json (the same number of values).
  const json = JSON.parse(readFileSync(join(project, 'back/model.json'), 'utf8')) as { weightsManifest: { weights: { name: string; shape: number[] }[] }[] };
  const bent = json.weightsManifest[0]!.weights.find((w) => w.name.endsWith('/kernel'))!;
  bent.shape = [...bent.shape].reverse();
  mkdirSync(join(project, 'bent'));
  writeFileSync(join(project, 'bent/model.json'), JSON.stringify(json));
  writeFileSync(join(project, 'bent/model.weights.bin'), readFileSync(join(project, 'back/model.weights.bin')));
  await pytorch.importWeights([join(project, 'bent/model.json'), join(project, 'bent/model.weights.bin')]);
  await expect(page.getByRole('alert').filter({ hasText: 'These weights do not fit the open graph' })).toContainText(`layer ${bent.name.split('/')[0]}`);
  await expect(run.historyRows).toHaveCount(rowsBefore);

  await pytorch.importWeights([join(project, 'back/model.json'), join(project, 'back/model.weights.bin')]);
  await expect(pytorch.importedRows).toHaveCount(1);
  await expect(run.historyRows).toHaveCount(rowsBefore + 1);
  // Shown at once as a finished run with no evaluation; Evaluate adds one.
  await expect(run.tab('evaluation')).not.toContainText('●');
  await pytorch.importedRows.getByTestId('evaluate-run').click();
  await expect(run.tab('evaluation')).toContainText('●', { timeout: 60_000 });
  await run.waitForPhase('completed', 30_000);
  await run.openTab('evaluation');
  await expect(page.getByTestId('test-accuracy')).toContainText('%');
  await expect(page.getByTestId('confusion-matrix')).toBeVisible();
  await run.openTab('history');
  await expect(pytorch.importedRows).toContainText(/\d+\.\d% acc/);
});
