import { expect, test } from '@playwright/test';
import { EditorPage } from './pages/editor-page';
import { presetDocument } from './pages/fixtures';
import { longestTask, resetLongTasks, watchLongTasks } from './pages/long-tasks';
import { rawShareLink, shareLinkFor } from './pages/share';
import { productionPort } from '../playwright.config';
import { denseChainGraph } from '../src/editor/bench-graph';

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

test('a crafted link with an unknown node type is refused in the preview and creates no project', async ({ page }) => {
  const editor = new EditorPage(page);
  const resnet = presetDocument('resnet-cifar');
  for (const type of ['Exfiltrate', '__proto__']) {
    await test.step(type, async () => {
      const crafted = { ...resnet, nodes: resnet.nodes.map((n) => (n.id === 'pool' ? { ...n, type } : n)) };
      await page.goto(shareLinkFor(crafted));
      const dialog = page.getByTestId('problems-dialog');
      await expect(dialog).toContainText('This share link cannot be opened');
      await expect(dialog.getByTestId('problems')).toContainText(`unknown node type "${type}"`);
      await expect(page.getByTestId('open-as-project')).toHaveCount(0);
      await dialog.getByRole('button', { name: 'OK' }).click();
      await editor.saved();
    });
  }
  await page.getByTestId('open-projects').click();
  await expect(page.getByTestId('project-row')).toHaveCount(1);
  await expect(page.getByTestId('project-list')).toContainText(resnet.name);
});

test('a link holding a whole graph document opens like a file; other JSON is explained in words', async ({ page }) => {
  const viewer = new EditorPage(page);
  const dqn = presetDocument('dqn-driver');
  await viewer.open(rawShareLink(dqn));
  await expect(page.getByTestId('preview-name')).toHaveText(dqn.name);
  await expect(viewer.nodes).toHaveCount(dqn.nodes.length);

  await page.goto(rawShareLink({ c: 1, n: 7, N: 'x' }));
  await page.reload();
  const dialog = page.getByTestId('problems-dialog');
  await expect(dialog.getByTestId('problems')).toHaveText(/this link does not hold a Tensorloom graph in share format/);
  await expect(dialog.getByTestId('problems')).not.toContainText('Invalid');
});

test.describe('a 10,000-node graph in a link', () => {
  // The production build: the development build of React is several times slower.
  test.use({ baseURL: `http://localhost:${productionPort}` });

  test('previews and opens as a project without freezing the page', async ({ page }) => {
    test.setTimeout(180_000);
    const viewer = new EditorPage(page);
    const chain = denseChainGraph(10_000);
    const link = shareLinkFor(chain);
    await watchLongTasks(page);
    await page.goto(link);
    await expect(page.getByTestId('preview-name')).toHaveText(chain.name, { timeout: 60_000 });
    await expect(viewer.node('dense0')).toBeVisible();
    await expect(viewer.canvas).not.toHaveAttribute('data-mounting', { timeout: 120_000 });
    const previewing = await longestTask(page);
    test.info().annotations.push({ type: 'longest task while previewing', description: `${previewing} ms` });
    console.log(`FIGURE share_preview_10000_longest_task_ms ${previewing}`);

    await resetLongTasks(page);
    await page.getByTestId('open-as-project').click();
    await expect(viewer.projectName).toHaveValue(chain.name, { timeout: 60_000 });
    await expect(viewer.saveState).toHaveText('Saved', { timeout: 60_000 });
    await expect(viewer.canvas).not.toHaveAttribute('data-mounting', { timeout: 120_000 });
    const opening = await longestTask(page);
    test.info().annotations.push({ type: 'longest task while opening', description: `${opening} ms` });
    console.log(`FIGURE share_open_10000_longest_task_ms ${opening}`);
    // The goal is 200 ms (see bench:editor); this bound holds on a busy CI runner and still fails
    // when every card mounts in one task (8.7 s before).
    expect(previewing).toBeLessThan(1500);
    expect(opening).toBeLessThan(1500);
  });
});
