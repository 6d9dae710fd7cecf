/**
 * The ⤓ PyTorch buttons (top bar: the graph; run panel: the graph with the run's weights) and their
 * .zip; and the way back, the History tab's ⤒ Import weights.
 */
import { readFile } from 'node:fs/promises';
import type { Locator, Page } from '@playwright/test';
import { unzipSync } from 'fflate';

export class PyTorchExport {
  readonly graphButton: Locator;
  readonly runButton: Locator;
  /** History rows of runs trained elsewhere and imported. */
  readonly importedRows: Locator;
  constructor(readonly page: Page) {
    this.graphButton = page.getByTestId('export-pytorch');
    this.runButton = page.getByTestId('export-pytorch-button');
    this.importedRows = page.getByTestId('run-row').filter({ has: page.getByTestId('run-trained-elsewhere') });
  }

  /** Picks files in the History tab's ⤒ Import weights (the History tab must be open). */
  async importWeights(paths: string[]): Promise<void> {
    await this.page.getByTestId('import-weights-input').setInputFiles(paths);
  }

  /** Clicks `button` and returns the downloaded zip's name and its files by path. */
  async download(button: Locator): Promise<{ name: string; files: Record<string, Uint8Array> }> {
    const [download] = await Promise.all([this.page.waitForEvent('download'), button.click()]);
    const bytes = await readFile(await download.path());
    return { name: download.suggestedFilename(), files: unzipSync(new Uint8Array(bytes)) };
  }
}
