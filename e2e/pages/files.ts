/** File helpers for import/export specs: downloads, uploads and drops of in-memory files. */
import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';

/** Clicks Export and returns the downloaded file's name and text. */
export async function exportCurrent(page: Page): Promise<{ name: string; text: string }> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export').click()]);
  const path = await download.path();
  return { name: download.suggestedFilename(), text: await readFile(path, 'utf8') };
}

/** Imports text as a file through the file picker. */
export async function importText(page: Page, name: string, text: string | Buffer): Promise<void> {
  await page.getByTestId('import-input').setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(text) });
}

/**
 * Puts a file holding `text` into the page, ready to drop on the canvas; returns the drop. Apart,
 * so a measurement after it does not count the copying of a large file into the page.
 */
export async function prepareFileDrop(page: Page, name: string, text: string): Promise<() => Promise<void>> {
  const transfer = await page.evaluateHandle(
    ([fileName, content]) => {
      const dt = new DataTransfer();
      dt.items.add(new File([content], fileName, { type: 'application/json' }));
      return dt;
    },
    [name, text] as const,
  );
  return async () => {
    const pane = page.locator('.react-flow__pane');
    await pane.dispatchEvent('dragover', { dataTransfer: transfer });
    await pane.dispatchEvent('drop', { dataTransfer: transfer });
  };
}

/** Drops a file holding `text` onto the canvas, as a user dragging it from their desktop. */
export async function dropFileOnCanvas(page: Page, name: string, text: string): Promise<void> {
  await (await prepareFileDrop(page, name, text))();
}
