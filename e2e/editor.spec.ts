import { expect, test } from '@playwright/test';
import { EditorPage } from './pages/editor-page';

test.describe('editing on the canvas', () => {
  test('builds a small trainable graph from the palette by drag-and-drop and wiring', async ({ page }) => {
    const editor = new EditorPage(page);
    await editor.openProject();
    await editor.newFromPreset('blank');
    await expect(editor.nodes).toHaveCount(0);

    const spots: [string, { x: number; y: number }][] = [
      ['Dataset', { x: 160, y: 50 }],
      ['Input', { x: 160, y: 160 }],
      ['Flatten', { x: 160, y: 270 }],
      ['Dense', { x: 160, y: 380 }],
      ['Loss', { x: 480, y: 160 }],
      ['Optimizer', { x: 480, y: 300 }],
    ];
    for (const [type, at] of spots) await editor.dragFromPalette(type, at);
    await expect(editor.nodes).toHaveCount(6);

    const [data, input, flatten, dense, loss, optimizer] = await Promise.all(spots.map(([type]) => editor.nodeIdOfType(type)));
    await editor.connect(data!, 'data', input!, 'source');
    await editor.connect(input!, 'out', flatten!, 'in');
    await editor.connect(flatten!, 'out', dense!, 'in');
    await editor.connect(dense!, 'out', loss!, 'predictions');
    await editor.connect(data!, 'data', loss!, 'targets');
    await editor.connect(loss!, 'loss', optimizer!, 'loss');
    expect(await editor.edgeCount()).toBe(6);

    await expect(editor.output(flatten!)).toHaveText('[3072]');
    await expect(editor.output(dense!)).toHaveText('[10]');
    await expect(editor.compileStatus).toHaveText('Ready to train (supervised)');
    await expect(page.getByTestId('total-params')).toHaveText('30.7k');
  });

  test('a refused connection says why', async ({ page }) => {
    const editor = new EditorPage(page);
    await editor.openProject();
    const before = await editor.edgeCount();
    // A dataset output into a layer that takes tensors.
    await editor.connect('data', 'data', 'stem-bn', 'in');
    await expect(editor.toasts.last()).toContainText('Cannot connect: data gives a dataset, but in takes a tensor');
    // An input that is already taken.
    await editor.connect('input', 'out', 'stem-bn', 'in');
    await expect(editor.toasts.last()).toContainText('already connected');
    expect(await editor.edgeCount()).toBe(before);
  });

  test('editing a param updates shapes downstream; undo and redo follow', async ({ page }) => {
    const editor = new EditorPage(page);
    await editor.openProject();
    await editor.select('stem-conv');
    await editor.setParam('filters', '32');
    await expect(editor.output('stem-conv')).toHaveText('[32,32,32]');
    await expect(editor.output('stem-relu')).toHaveText('[32,32,32]');
    await expect(editor.node('stage1-block1')).toContainText('params');

    // Invalid input shows its error and changes nothing.
    await editor.setParam('filters', '0');
    await expect(editor.inspector.getByTestId('field-error')).toContainText('>=1');
    await expect(editor.output('stem-conv')).toHaveText('[32,32,32]');

    await page.locator('.react-flow__pane').click({ position: { x: 20, y: 20 } });
    await page.keyboard.press('Control+z');
    await expect(editor.output('stem-relu')).toHaveText('[32,32,16]');
    await page.keyboard.press('Control+Shift+z');
    await expect(editor.output('stem-relu')).toHaveText('[32,32,32]');
    await page.keyboard.press('Control+z');
    await page.keyboard.press('Control+y');
    await expect(editor.output('stem-relu')).toHaveText('[32,32,32]');
  });

  test('a diagnostic badge offers a one-click fix', async ({ page }) => {
    const editor = new EditorPage(page);
    await editor.openProject();
    await editor.select('pool');
    await page.keyboard.press('Delete');
    await expect(editor.node('pool')).toHaveCount(0);
    await editor.connect('stage3-block3', 'out', 'logits', 'in');
    await expect(editor.node('logits').getByTestId('node-badge')).toBeVisible();
    await expect(editor.node('logits').getByTestId('node-issue')).toContainText('Dense needs a 1-D input, got [8,8,64]');
    await editor.node('logits').getByTestId('quick-fix').click();
    await expect(editor.nodeOfType('GlobalAvgPool')).toHaveCount(1);
    await expect(editor.node('logits').getByTestId('node-badge')).toHaveCount(0);
    await expect(editor.compileStatus).toHaveText('Ready to train (supervised)');
  });

  test('diagnostics list focuses its node; auto-layout is one undoable step; ? shows shortcuts', async ({ page }) => {
    const editor = new EditorPage(page);
    await editor.openProject();
    await editor.select('logits');
    await editor.setParam('units', '7');
    const row = page.getByTestId('diagnostic').filter({ hasText: 'predictions are [7]' });
    await expect(row).toBeVisible();
    await page.locator('.react-flow__pane').click({ position: { x: 20, y: 20 } });
    await row.click();
    await expect(editor.inspector).toHaveAttribute('data-node-id', 'loss');

    const box = async () => (await editor.node('optimizer').boundingBox())!;
    const before = await box();
    await page.getByTestId('auto-layout').click();
    await expect.poll(async () => JSON.stringify(await box())).not.toBe(JSON.stringify(before));
    await page.getByTestId('undo').click();
    await page.getByTestId('undo').click();
    await expect(editor.output('logits')).toHaveText('[10]');

    await page.locator('.react-flow__pane').click({ position: { x: 20, y: 20 } });
    await page.keyboard.press('?');
    await expect(page.getByTestId('shortcuts-help')).toContainText('Undo');
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('shortcuts-help')).toHaveCount(0);
  });
});

test('a large graph seen whole draws its edges on one canvas, and as SVG again once zoomed in', async ({ page }) => {
  const editor = new EditorPage(page);
  // React Flow warns when an edge's handle was never measured, and then draws no SVG edge for it.
  const warnings: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'warning' || m.type() === 'error') warnings.push(m.text());
  });
  await editor.open('/?bench=400');
  const canvas = page.getByTestId('edge-canvas');
  await expect(canvas).toBeVisible({ timeout: 30_000 });
  // Something is drawn: not every pixel is transparent.
  await expect
    .poll(() => canvas.evaluate((c: HTMLCanvasElement) => c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data.some((v, i) => i % 4 === 3 && v > 0)))
    .toBe(true);
  await expect(page.locator('.react-flow__edges')).toBeHidden();
  // Zoomed that far out, cards render no handles (each one is a store subscriber).
  await expect(page.locator('.react-flow__handle')).toHaveCount(0);
  const pane = (await page.locator('.react-flow__pane').boundingBox())!;
  await page.mouse.move(pane.x + pane.width / 2, pane.y + pane.height / 3);
  for (let i = 0; i < 4; i++) await page.mouse.wheel(0, -500);
  await expect(canvas).toHaveCount(0);
  await expect(page.locator('.react-flow__edge').first()).toBeVisible();
  await expect(page.locator('.react-flow__handle').first()).toBeVisible();
  // Nodes that mounted without handles were measured again: their edges are drawn, unwarned.
  await expect.poll(() => page.locator('.react-flow__edge path.react-flow__edge-path').count()).toBeGreaterThan(10);
  expect(warnings.filter((w) => /handle/i.test(w))).toEqual([]);
});
