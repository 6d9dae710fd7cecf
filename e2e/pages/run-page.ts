/** Page object for the run panel: controls, tabs, charts, the driving canvas and the history. */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { expect, type Locator, type Page } from '@playwright/test';
import type { RunPhase } from '../../src/run/ui/run-state';
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

/** What {@link RunPage.syntheticResNetRun} needs: params, and the inspector for choice params. */
type SyntheticEditor = ParamEditor & Pick<EditorPage, 'inspector'>;

/** A fault the training worker acts out (development builds only; src/protocol/liveness.ts). */
export type WorkerFault =
  | { tensorloomFault: 'close' }
  | { tensorloomFault: 'throw-then-close' }
  | { tensorloomFault: 'busy'; ms: number }
  | { tensorloomFault: 'gpu-device-lost' };

/** The run's phase as the panel shows it in `data-phase`: the page's own type, so the two cannot drift. */
export type { RunPhase } from '../../src/run/ui/run-state';

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
  readonly error: Locator;
  readonly warning: Locator;
  readonly resumeCurrentButton: Locator;
  readonly exportButton: Locator;
  readonly progress: Locator;

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
    this.error = page.getByTestId('run-error');
    this.warning = page.getByTestId('run-warning');
    this.resumeCurrentButton = page.getByTestId('resume-current');
    this.exportButton = page.getByTestId('export-button');
    this.progress = page.getByTestId('run-progress');
  }

  /**
   * Readies the open preset (the ResNet or an SSL one: nodes `data` and `optimizer`) for a short run on the synthetic dataset (generated in the
   * worker, no files): `samples` images of `imageSize`², 10% held out, `epochs` epochs of batches
   * of `batchSize`, constant learning rate.
   */
  async syntheticResNetRun(editor: SyntheticEditor, o: { samples: number; imageSize: number; epochs: number; batchSize: number }): Promise<void> {
    await editor.select('data');
    await editor.inspector.locator('[data-param="source"] select').selectOption('synthetic');
    await editor.setParam('samples', String(o.samples));
    await editor.setParam('imageSize', String(o.imageSize));
    await editor.select('optimizer');
    await editor.setParam('epochs', String(o.epochs));
    await editor.setParam('batchSize', String(o.batchSize));
    await editor.inspector.locator('[data-param="schedule"] select').selectOption('constant');
    await editor.setParam('warmupEpochs', '0');
    await editor.saved();
  }

  /** Hands the live run's worker a fault (the dev server's window.__tensorloomTest hook). */
  async injectWorkerFault(fault: WorkerFault): Promise<void> {
    const delivered = await this.page.evaluate(
      (f) => (window as unknown as { __tensorloomTest?: { injectWorkerFault(f: unknown): boolean } }).__tensorloomTest?.injectWorkerFault(f) ?? false,
      fault,
    );
    if (!delivered) throw new Error('no live worker to inject a fault into (is this the dev server?)');
  }

  /**
   * From the next page load on, IndexedDB refuses writes to the checkpoints store with a
   * QuotaExceededError while `window.__storageFull` is true, as a full origin quota does.
   */
  async refuseCheckpointWritesWhenFull(): Promise<void> {
    await this.page.addInitScript(() => {
      const put = IDBObjectStore.prototype.put;
      const add = IDBObjectStore.prototype.add;
      const full = (store: IDBObjectStore) => store.name === 'checkpoints' && (window as unknown as { __storageFull?: boolean }).__storageFull === true;
      IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
        if (full(this)) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        return put.apply(this, args);
      };
      IDBObjectStore.prototype.add = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['add']>) {
        if (full(this)) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        return add.apply(this, args);
      };
    });
  }

  async setStorageFull(full: boolean): Promise<void> {
    await this.page.evaluate((f) => ((window as unknown as { __storageFull?: boolean }).__storageFull = f), full);
  }

  /**
   * Clicks Stop and returns the milliseconds, measured in the page, from the click to the panel
   * showing the run stopped (a MutationObserver on the status's phase; no polling in between).
   */
  async stopAndMeasure(timeout = 10_000): Promise<number> {
    await this.page.evaluate(() => {
      const w = window as unknown as { __stopMs?: Promise<number> };
      const status = document.querySelector('[data-testid="run-status"]')!;
      w.__stopMs = new Promise<number>((resolve) => {
        let t0 = 0;
        document.querySelector('[data-testid="stop-button"]')!.addEventListener('click', () => (t0 = performance.now()), { capture: true, once: true });
        const seen = new MutationObserver(() => {
          if (t0 > 0 && status.getAttribute('data-phase') === 'stopped') {
            seen.disconnect();
            resolve(performance.now() - t0);
          }
        });
        seen.observe(status, { attributes: true, attributeFilter: ['data-phase'] });
      });
    });
    await this.stopButton.click();
    return this.page.evaluate((ms) => {
      const w = window as unknown as { __stopMs: Promise<number> };
      return Promise.race([w.__stopMs, new Promise<number>((_, reject) => setTimeout(() => reject(new Error('the run did not stop')), ms))]);
    }, timeout);
  }

  /**
   * Hands the live worker a fault and returns the milliseconds, measured in the page, until the
   * panel shows the run failed.
   */
  async injectFaultAndMeasureFailure(fault: WorkerFault, timeout = 10_000): Promise<number> {
    return this.page.evaluate(
      ({ f, ms }) =>
        new Promise<number>((resolve, reject) => {
          const status = document.querySelector('[data-testid="run-status"]')!;
          const t0 = performance.now();
          const seen = new MutationObserver(() => {
            if (status.getAttribute('data-phase') === 'failed') {
              seen.disconnect();
              resolve(performance.now() - t0);
            }
          });
          seen.observe(status, { attributes: true, attributeFilter: ['data-phase'] });
          const hook = (window as unknown as { __tensorloomTest?: { injectWorkerFault(f: unknown): boolean } }).__tensorloomTest;
          if (!hook?.injectWorkerFault(f)) reject(new Error('no live worker to inject a fault into (is this the dev server?)'));
          setTimeout(() => reject(new Error('the run was not marked failed')), ms);
        }),
      { f: fault, ms: timeout },
    );
  }


  /**
   * Readies the open DQN preset for a short run on the plain cpu backend (a DQN acts on one
   * observation at a time, where SwiftShader's WebGPU is slowest): `totalSteps` steps, learning
   * from step `learningStarts`, 2 validations of 2 episodes, 2 evaluation episodes.
   */
  async shortDqnRun(editor: ParamEditor, o: { totalSteps: number; learningStarts: number }): Promise<void> {
    await editor.select('agent');
    await editor.setParam('totalSteps', String(o.totalSteps));
    await editor.setParam('learningStarts', String(o.learningStarts));
    await editor.setParam('batchSize', '8');
    // ε reaches its floor within the run, or the summary warns.
    await editor.setParam('epsilonDecaySteps', String(Math.round(o.totalSteps * 0.8)));
    // The DQN driver keeps the best of 10 validations of 50 episodes: two of two episodes here.
    await editor.setParam('validations', '2');
    await editor.setParam('validationEpisodes', '2');
    await editor.select('evaluate');
    await editor.setParam('episodes', '2');
    await editor.saved();
    await this.backendSelect.selectOption('cpu');
  }

  /**
   * Clicks Run and returns the milliseconds, measured in the page, until the panel shows the run
   * in `phase` (e.g. failed).
   */
  async runAndMeasure(phase: RunPhase, timeout = 60_000): Promise<number> {
    await this.page.evaluate((want) => {
      const w = window as unknown as { __runMs?: Promise<number> };
      const status = document.querySelector('[data-testid="run-status"]')!;
      w.__runMs = new Promise<number>((resolve) => {
        let t0 = 0;
        document.querySelector('[data-testid="run-button"]')!.addEventListener('click', () => (t0 = performance.now()), { capture: true, once: true });
        const seen = new MutationObserver(() => {
          if (t0 > 0 && status.getAttribute('data-phase') === want) {
            seen.disconnect();
            resolve(performance.now() - t0);
          }
        });
        seen.observe(status, { attributes: true, attributeFilter: ['data-phase'] });
      });
    }, phase);
    await this.runButton.click();
    return this.page.evaluate((ms) => {
      const w = window as unknown as { __runMs: Promise<number> };
      return Promise.race([w.__runMs, new Promise<number>((_, reject) => setTimeout(() => reject(new Error('the run did not reach the phase')), ms))]);
    }, timeout);
  }

  /** The history row of one run. */
  historyRow(runId: string): Locator {
    return this.page.locator(`[data-testid="run-row"][data-run-id="${runId}"]`);
  }

  /** The id of the run the history marks as this panel's current one. */
  async currentRunId(): Promise<string> {
    await this.openTab('history');
    const id = await this.page.locator('[data-testid="run-row"].current').getAttribute('data-run-id');
    if (!id) throw new Error('no current run in the history');
    return id;
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
   * Picks dataset files through the file input, waits up to `timeout` ms for them to be parsed and
   * cached (the five real CIFAR-10 batches take a while) and returns the training images counted.
   */
  async loadDatasetFiles(paths: string[], timeout: number): Promise<number> {
    await this.openTab('data');
    await this.fileInput.setInputFiles(paths);
    const count = this.page.getByTestId('dataset-train-count');
    const loaded = this.page.getByTestId('dataset-progress');
    await expect(count.or(this.datasetError)).toBeVisible({ timeout });
    await expect(loaded).toBeHidden({ timeout });
    if (await this.datasetError.isVisible()) throw new Error(`the Data tab refused the files: ${await this.datasetError.textContent()}`);
    await expect(this.runButton).toBeEnabled();
    return Number((await count.textContent())?.replace(/,/g, ''));
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
    // The preset's 2-epoch warm-up cannot fit 1 epoch, which the schedule check refuses.
    await editor.setParam('warmupEpochs', '0');
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
