import { expect, test } from '@playwright/test';
import { EditorPage } from './pages/editor-page';
import { dropFileOnCanvas, exportCurrent, importText, prepareFileDrop } from './pages/files';
import { presetDocument } from './pages/fixtures';
import { longestTask, resetLongTasks, watchLongTasks } from './pages/long-tasks';
import { productionPort } from '../playwright.config';
import { denseChainGraph } from '../src/editor/bench-graph';
import { documentToJson } from '../src/graph/document';

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
    // The same file imported next to its project gets a name of its own.
    await expect(editor.toasts.last()).toContainText('Imported “ResNet-20 on CIFAR-10 (2)” as a new project');
    await editor.saved();
    const again = await exportCurrent(page);
    expect(JSON.parse(again.text)).toEqual({ ...doc, name: 'ResNet-20 on CIFAR-10 (2)' });
    await importText(page, first.name, first.text);
    await expect(editor.projectName).toHaveValue('ResNet-20 on CIFAR-10 (3)');

    await page.getByTestId('open-projects').click();
    await expect(page.getByTestId('project-row')).toHaveCount(3);
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
    ['a 17 MB file', Buffer.alloc(17_000_000, 32), /the graph is too large: 17\.0 MB as a file \(limit 16 MB\)/],
    ['an edge to a port that does not exist', JSON.stringify({ ...resnet, edges: resnet.edges.map((e, i) => (i === 3 ? { ...e, targetPort: 'ghost' } : e)) }), /has no input "ghost"/],
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

  test('reads a file that starts with a byte-order mark; a node at 1e308 comes back into range', async ({ page }) => {
    const editor = new EditorPage(page);
    await editor.openProject();
    const dqn = presetDocument('dqn-driver');
    const far = { ...dqn, nodes: dqn.nodes.map((n) => (n.id === 'agent' ? { ...n, position: { x: 1e308, y: 0 } } : n)) };
    await importText(page, 'far.json', `\ufeff${JSON.stringify(far)}`);
    await expect(editor.projectName).toHaveValue(dqn.name);
    await expect(editor.toasts.filter({ hasText: 'far outside the canvas; moved to (1000000, 0)' })).toHaveCount(1);
    await page.getByTitle('Fit view (F)').click();
    await expect(editor.node('agent')).toBeAttached();
    const transform = await page.locator('.react-flow__viewport').evaluate((el) => (el as HTMLElement).style.transform);
    expect(transform).not.toContain('NaN');
    expect(await page.locator('path[d*="NaN"]').count()).toBe(0);
  });
});

test.describe('a 10,000-node graph', () => {
  // The production build: the development build of React is several times slower.
  test.use({ baseURL: `http://localhost:${productionPort}` });

  test('imports without freezing the page, opening on its first cards', async ({ page }) => {
    test.setTimeout(180_000);
    const editor = new EditorPage(page);
    await watchLongTasks(page);
    await editor.openProject();
    const chain = denseChainGraph(10_000);
    const drop = await prepareFileDrop(page, 'chain.json', documentToJson(chain));
    await page.waitForTimeout(500);
    await resetLongTasks(page);
    await drop();
    await expect(editor.projectName).toHaveValue(chain.name, { timeout: 60_000 });
    await expect(editor.node('dense0')).toBeVisible();
    await expect(editor.saveState).toHaveText('Saved', { timeout: 60_000 });
    // Large graphs mount in slices, then only what is on screen stays drawn.
    await expect(editor.canvas).toHaveAttribute('data-mounting', 'true');
    await expect(editor.canvas).not.toHaveAttribute('data-mounting', { timeout: 120_000 });
    await expect.poll(() => editor.nodes.count()).toBeLessThan(400);
    // The minimap fills in after the cards, in slices of its own, and ends with every node.
    await expect(page.locator('.react-flow__minimap-node')).toHaveCount(chain.nodes.length);
    // The goal is 200 ms (bench:editor prints the figure on an idle machine); this bound holds on
    // a busy CI runner and still fails when all cards mount in one task (5–7 s before).
    const longest = await longestTask(page);
    test.info().annotations.push({ type: 'longest main-thread task', description: `${longest} ms` });
    console.log(`FIGURE import_10000_longest_task_ms ${longest}`);
    expect(longest).toBeLessThan(1500);
  });
});
