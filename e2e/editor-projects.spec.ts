import { expect, test } from '@playwright/test';
import { EditorPage } from './pages/editor-page';

test('a reload restores the open project with its last edits', async ({ page }) => {
  const editor = new EditorPage(page);
  await editor.openProject();
  await editor.newFromPreset('dqn-driver');
  await editor.projectName.fill('My driver');
  await editor.projectName.press('Enter');
  const q = await editor.nodeIdOfType('Dense', 0);
  await editor.select(q);
  await editor.setParam('units', '48');
  // Autosave runs within about half a second of the last edit.
  await page.waitForTimeout(900);
  await page.reload();
  await editor.openProject();
  await expect(editor.projectName).toHaveValue('My driver');
  await expect(editor.output(q)).toHaveText('[48]');
});

test('projects: new, rename, duplicate, open, delete with confirm', async ({ page }) => {
  const editor = new EditorPage(page);
  await editor.openProject();
  await editor.newFromPreset('blank');
  await page.getByTestId('open-projects').click();
  const rows = page.getByTestId('project-row');
  await expect(rows).toHaveCount(2);

  const blankRow = rows.filter({ hasText: 'Blank project' });
  await blankRow.getByRole('button', { name: 'Rename' }).click();
  await page.getByLabel('New name').fill('Scratchpad');
  await page.getByLabel('New name').press('Enter');
  await expect(rows.filter({ hasText: 'Scratchpad' })).toHaveCount(1);
  await expect(editor.projectName).toHaveValue('Scratchpad');

  await rows.filter({ hasText: 'ResNet' }).getByRole('button', { name: 'Duplicate' }).click();
  await expect(rows).toHaveCount(3);
  await expect(rows.filter({ hasText: 'ResNet-20 on CIFAR-10 (copy)' })).toHaveCount(1);

  const scratch = rows.filter({ hasText: 'Scratchpad' });
  await scratch.getByRole('button', { name: 'Delete' }).click();
  await expect(scratch).toContainText('Delete “Scratchpad”?');
  await scratch.getByRole('button', { name: 'Cancel' }).click();
  await expect(rows).toHaveCount(3);
  await scratch.getByRole('button', { name: 'Delete' }).click();
  await scratch.getByTestId('confirm-delete').click();
  await expect(rows).toHaveCount(2);
  // The open project was deleted: another one opens.
  await expect(editor.projectName).not.toHaveValue('Scratchpad');

  await rows.filter({ hasText: '(copy)' }).locator('.project-open').click();
  await expect(page.getByTestId('projects-dialog')).toHaveCount(0);
  await expect(editor.projectName).toHaveValue('ResNet-20 on CIFAR-10 (copy)');
});

test('two tabs on one project: the idle tab follows, and copy/paste carries nodes across', async ({ context }) => {
  const a = new EditorPage(await context.newPage());
  await a.openProject();
  const b = new EditorPage(await context.newPage());
  await b.openProject();

  await a.select('stem-conv');
  await a.setParam('filters', '40');
  await expect(b.output('stem-conv')).toHaveText('[32,32,40]');
  await expect(b.toasts.last()).toContainText('changed in another tab');

  await a.select('pool');
  await a.page.keyboard.press('Control+c');
  await b.page.locator('.react-flow__pane').click({ position: { x: 20, y: 20 } });
  await b.page.keyboard.press('Control+v');
  await expect(b.nodeOfType('GlobalAvgPool')).toHaveCount(2);
});
