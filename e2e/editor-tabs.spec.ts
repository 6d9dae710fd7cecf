/**
 * Each tab reopens its own project on reload: the "last opened" mark in the database is shared by
 * all tabs, so it only decides what a new tab opens.
 */
import { expect, test } from '@playwright/test';
import { EditorPage } from './pages/editor-page';

test('reloading a tab reopens its own project, not the one another tab opened since', async ({ context }) => {
  const a = new EditorPage(await context.newPage());
  await a.openProject();
  await expect(a.projectName).toHaveValue('ResNet-20 on CIFAR-10');

  const b = new EditorPage(await context.newPage());
  await b.openProject();
  await b.newFromPreset('dqn-driver');
  const driver = await b.projectName.inputValue();
  expect(driver).not.toBe('ResNet-20 on CIFAR-10');

  await a.page.reload();
  await a.openProject();
  await expect(a.projectName).toHaveValue('ResNet-20 on CIFAR-10');

  await b.page.reload();
  await b.openProject();
  await expect(b.projectName).toHaveValue(driver);

  // A new tab has no project of its own yet: it opens the one shown last in any tab (B's, reloaded last).
  const fresh = new EditorPage(await context.newPage());
  await fresh.openProject();
  await expect(fresh.projectName).toHaveValue(driver);
});
