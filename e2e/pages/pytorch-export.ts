/** The ⤓ PyTorch buttons (top bar: the graph; run panel: the graph with the run's weights) and their .zip. */
import { readFile } from 'node:fs/promises';
import type { Locator, Page } from '@playwright/test';
import { unzipSync } from 'fflate';

export class PyTorchExport {
  readonly graphButton: Locator;
  readonly runButton: Locator;
  constructor(readonly page: Page) {
    this.graphButton = page.getByTestId('export-pytorch');
    this.runButton = page.getByTestId('export-pytorch-button');
  }

  /** Clicks `button` and returns the downloaded zip's name and its files by path. */
  async download(button: Locator): Promise<{ name: string; files: Record<string, Uint8Array> }> {
    const [download] = await Promise.all([this.page.waitForEvent('download'), button.click()]);
    const bytes = await readFile(await download.path());
    return { name: download.suggestedFilename(), files: unzipSync(new Uint8Array(bytes)) };
  }
}
