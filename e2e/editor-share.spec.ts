import { expect, test } from '@playwright/test';
import { EditorPage } from './pages/editor-page';
import { presetDocument } from './pages/fixtures';

test('a share link opened in a fresh browser context shows the same graph, read-only', async ({ page, browser }) => {
  const editor = new EditorPage(page);
  await editor.openProject();
  await editor.select('logits');
  await page.locator('[data-param="activation"] select').selectOption('softmax');
  await expect(editor.node('logits')).toContainText('10 units, softmax');

  await page.getByTestId('share').click();
  const url = await page.getByTestId('share-url').inputValue();
  expect(url).toMatch(/#share=[A-Za-z0-9_-]+$/);
  expect(url.length).toBeLessThan(2000);

  const context = await browser.newContext();
  try {
    const other = await context.newPage();
    const errors: string[] = [];
    other.on('pageerror', (e) => errors.push(e.message));
    const viewer = new EditorPage(other);
    await viewer.open(url);
    await expect(other.getByTestId('share-preview')).toBeVisible();
    const resnet = presetDocument('resnet-cifar');
    await expect(viewer.nodes).toHaveCount(resnet.nodes.length);
    await expect(other.getByTestId('preview-name')).toHaveText(resnet.name);
    await expect(viewer.node('logits')).toContainText('10 units, softmax');
    await expect(viewer.output('stage3-block3')).toHaveText('[8,8,64]');
    // Read-only: no palette, and delete does nothing.
    await expect(other.getByTestId('palette')).toHaveCount(0);
    await viewer.node('pool').locator('.node-head').click();
    await other.keyboard.press('Delete');
    await expect(viewer.node('pool')).toHaveCount(1);

    await other.getByTestId('open-as-project').click();
    await expect(viewer.projectName).toHaveValue(resnet.name);
    await viewer.saved();
    expect(other.url()).not.toContain('#share=');
    await expect(viewer.node('logits')).toContainText('10 units, softmax');
    await other.getByTestId('open-projects').click();
    await expect(other.getByTestId('project-row')).toHaveCount(1);
    expect(errors).toEqual([]);
  } finally {
    await context.close();
  }
});

test('a damaged share link explains itself and leads back to the projects', async ({ page }) => {
  const editor = new EditorPage(page);
  await page.goto('/#share=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
  const dialog = page.getByTestId('problems-dialog');
  await expect(dialog).toContainText('This share link cannot be opened');
  await dialog.getByRole('button', { name: 'OK' }).click();
  await expect(editor.canvas).toBeVisible();
  await expect(editor.projectName).toHaveValue(presetDocument('resnet-cifar').name);
});
