/** Page object for the run panel: controls, tabs, charts, the driving canvas and the history. */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { expect, type Locator, type Page } from '@playwright/test';
import type { EditorPage } from './editor-page';

/** Bytes per CIFAR-10 record: the label, then 32×32 red, green and blue planes. */
const RECORD = 3073;

/**
 * `count` records in CIFAR-10's binary format: label `i % 10`, pixels from a seeded generator. A
 * stand-in for a real batch file, never the shared data set.
 */
export function cifarFixture(count: number, seed = 1): Uint8Array {
  const bytes = new Uint8Array(count * RECORD);
  let s = seed >>> 0;
  for (let i = 0; i < count; i++) {
    bytes[i * RECORD] = i % 10;
    for (let p = 1; p < RECORD; p++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      bytes[i * RECORD + p] = s >>> 24;
    }
  }
  return bytes;
}

export function writeCifarFixture(path: string, count: number, seed = 1): void {
  writeFileSync(path, cifarFixture(count, seed));
}

/** What {@link RunPage.shortResNetRun} needs of the editor's page object. */
type ParamEditor = Pick<EditorPage, 'select' | 'setParam' | 'saved'>;

export type RunPhase = 'idle' | 'starting' | 'running' | 'paused' | 'stopping' | 'completed' | 'stopped' | 'failed' | 'interrupted';

export class RunPage {
  readonly panel: Locator;
  readonly runButton: Locator;
  readonly stopButton: Locator;
  readonly pauseButton: Locator;
  readonly status: Locator;
  readonly statusText: Locator;
  readonly backendUsed: Locator;
  readonly backendSelect: Locator;
  readonly fileInput: Locator;
  readonly datasetError: Locator;
  readonly drivingCanvas: Locator;
  readonly historyRows: Locator;

  constructor(readonly page: Page) {
    this.panel = page.getByTestId('run-panel');
    this.runButton = page.getByTestId('run-button');
    this.stopButton = page.getByTestId('stop-button');
    this.pauseButton = page.getByTestId('pause-button');
    this.status = page.getByTestId('run-status');
    this.statusText = page.getByTestId('run-status-text');
    this.backendUsed = page.getByTestId('backend-used');
    this.backendSelect = page.getByTestId('backend-select');
    this.fileInput = page.getByTestId('dataset-file-input');
    this.datasetError = page.getByTestId('dataset-error');
    this.drivingCanvas = page.getByTestId('driving-canvas');
    this.historyRows = page.getByTestId('run-row');
  }

  tab(id: 'data' | 'live' | 'evaluation' | 'history'): Locator {
    return this.page.getByTestId(`run-tab-${id}`);
  }

  async openTab(id: 'data' | 'live' | 'evaluation' | 'history'): Promise<void> {
    await this.tab(id).click();
    await expect(this.tab(id)).toHaveAttribute('aria-selected', 'true');
  }

  /** Fetches a dataset from `url` through the Data tab's URL field. */
  async fetchDataset(url: string): Promise<void> {
    await this.openTab('data');
    await this.page.getByLabel('Dataset URL').fill(url);
    await this.page.getByRole('button', { name: 'Fetch' }).click();
  }

  /** Picks dataset files through the hidden file input and waits until they are cached. */
  async loadDataset(...paths: string[]): Promise<void> {
    await this.openTab('data');
    await this.fileInput.setInputFiles(paths);
    await expect(this.page.getByTestId('dataset-train-count')).not.toHaveText('0');
    await expect(this.runButton).toBeEnabled();
  }

  /**
   * Readies the open ResNet preset for a run of a few steps: a generated batch of `images` CIFAR
   * records (written to `path`) picked through the file input, one epoch over `trainImages` of them
   * at the preset's own batch size.
   */
  async shortResNetRun(editor: ParamEditor, path: string, options: { images: number; trainImages: number }): Promise<void> {
    writeCifarFixture(path, options.images);
    await this.loadDataset(path);
    await editor.select('optimizer');
    await editor.setParam('epochs', '1');
    await editor.select('data');
    await editor.setParam('maxTrainImages', String(options.trainImages));
    await editor.saved();
  }

  async phase(): Promise<RunPhase> {
    return (await this.status.getAttribute('data-phase')) as RunPhase;
  }

  async waitForPhase(phases: RunPhase | RunPhase[], timeout: number): Promise<void> {
    const want = Array.isArray(phases) ? phases : [phases];
    await expect
      .poll(async () => {
        const now = await this.phase();
        return want.includes(now) ? 'reached' : now;
      }, { timeout, intervals: [250, 500, 1000], message: `run phase should become ${want.join(' or ')}` })
      .toBe('reached');
  }

  /** Points drawn in a chart (`chart-loss`, `chart-epsilon`, …). */
  async chartPoints(testId: string): Promise<number> {
    return Number(await this.page.getByTestId(testId).locator('.rp-chart-plot').getAttribute('data-points'));
  }

  /** SHA-256 of the driving canvas's pixels (as PNG), to see that the picture changed. */
  async canvasHash(): Promise<string> {
    const url = await this.drivingCanvas.evaluate((c: HTMLCanvasElement) => c.toDataURL('image/png'));
    return createHash('sha256').update(url).digest('hex');
  }
}
