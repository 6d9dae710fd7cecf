import { expect, test } from '@playwright/test';
import { EditorPage } from './pages/editor-page';
import { presetDocument } from './pages/fixtures';

test('the app opens on the ResNet preset, drawn with shapes and no console errors', async ({ page }) => {
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text());
  });
  page.on('pageerror', (err) => errors.push(err.message));
  const editor = new EditorPage(page);
  await editor.open();

  const resnet = presetDocument('resnet-cifar');
  await expect(editor.nodes).toHaveCount(resnet.nodes.length);
  expect(resnet.nodes.length).toBeGreaterThanOrEqual(20);
  await expect(editor.edgeLabels.first()).toBeVisible();
  // Shapes are inferred: the classifier head ends in 10 classes.
  await expect(editor.node('logits').getByTestId('node-output')).toHaveText('[10]');
  await expect(editor.node('stage3-block3').getByTestId('node-output')).toHaveText('[8,8,64]');
  await expect(page.getByTestId('preset-picker')).toBeVisible();
  expect(errors).toEqual([]);
});

test('the page fits the window: no sideways scroll at laptop widths, the inspector in view', async ({ page }) => {
  const editor = new EditorPage(page);
  for (const width of [1400, 1100]) {
    await page.setViewportSize({ width, height: 800 });
    await editor.open();
    await editor.select('optimizer');
    // The preset picker is as wide as its longest preset title unless held in; it once pushed the page to 1,741 px.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
    const box = await editor.inspector.boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(width);
  }
});
