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
