import { expect, test } from '@playwright/test';
import { EditorPage } from './pages/editor-page';
import { dropFileOnCanvas, exportCurrent, importText } from './pages/files';
import { presetDocument } from './pages/fixtures';

test.describe('export and import', () => {
  test('export then import gives the same document, as a new project', async ({ page }) => {
    const editor = new EditorPage(page);
    await editor.openProject();
    await editor.select('stem-conv');
    await editor.setParam('filters', '24');
    await editor.saved();

    const first = await exportCurrent(page);
    expect(first.name).toBe('ResNet-20 on CIFAR-10.tensorloom.json');
    const doc = JSON.parse(first.text);
    expect(doc.nodes.find((n: { id: string }) => n.id === 'stem-conv').params.filters).toBe(24);

    await importText(page, first.name, first.text);
    await expect(editor.toasts.last()).toContainText('Imported “ResNet-20 on CIFAR-10” as a new project');
    await editor.saved();
    const again = await exportCurrent(page);
    expect(JSON.parse(again.text)).toEqual(doc);

    await page.getByTestId('open-projects').click();
    await expect(page.getByTestId('project-row')).toHaveCount(2);
  });

  test('a file dropped on the canvas is imported', async ({ page }) => {
    const editor = new EditorPage(page);
    await editor.openProject();
    const dqn = presetDocument('dqn-driver');
    await dropFileOnCanvas(page, 'driver.json', JSON.stringify(dqn));
    await expect(editor.projectName).toHaveValue(dqn.name);
    await expect(editor.nodes).toHaveCount(dqn.nodes.length);
  });

  const resnet = presetDocument('resnet-cifar');
  const hostile: [string, string | Buffer, RegExp][] = [
    ['malformed JSON', '{"format": "tensorloom-graph", "nodes": [', /not valid JSON/],
    ['a schema-invalid document', JSON.stringify({ ...resnet, nodes: [{ ...resnet.nodes[0], position: { x: 'far' } }] }), /nodes\.0\.position/],
    ['an unknown node type', JSON.stringify({ ...resnet, nodes: resnet.nodes.map((n) => (n.id === 'pool' ? { ...n, type: 'Exfiltrate' } : n)) }), /unknown node type "Exfiltrate"/],
    ['a 5 MB file', Buffer.alloc(5_000_000, 32), /file too large: 5\.0 MB/],
  ];
  test('refuses hostile files with a clear problem and replaces nothing', async ({ page }) => {
    const editor = new EditorPage(page);
    await editor.openProject();
    const dialog = page.getByTestId('problems-dialog');
    for (const [what, content, message] of hostile) {
      await test.step(what, async () => {
        await importText(page, 'hostile.json', content);
        await expect(dialog).toBeVisible();
        await expect(dialog.getByTestId('problems')).toContainText(message);
        await dialog.getByRole('button', { name: 'OK' }).click();
        await expect(dialog).toHaveCount(0);
        await expect(editor.projectName).toHaveValue(resnet.name);
        await expect(editor.nodes).toHaveCount(resnet.nodes.length);
      });
    }
    await page.getByTestId('open-projects').click();
    await expect(page.getByTestId('project-row')).toHaveCount(1);
  });

  test('markup in names renders as inert text and runs no script', async ({ page }) => {
    const editor = new EditorPage(page);
    await editor.openProject();
    const payload = '<img src=x onerror="window.__pwned=1">';
    const doc = { ...resnet, name: payload, nodes: resnet.nodes.map((n) => (n.id === 'pool' ? { ...n, label: payload } : n)) };
    await importText(page, 'markup.json', JSON.stringify(doc));
    await expect(editor.projectName).toHaveValue(payload);
    await expect(editor.node('pool').locator('.node-title')).toHaveText(payload);
    await page.getByTestId('open-projects').click();
    await expect(page.getByTestId('project-list')).toContainText(payload);
    expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('img[src="x"]').count()).toBe(0);
  });
});
