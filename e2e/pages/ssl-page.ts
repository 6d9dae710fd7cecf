/**
 * Page object for self-supervised learning: the two SSL presets readied for a quick run on the
 * synthetic dataset, the reconstruction grid, the Optimizer's "Initialise from run" picker and the
 * transfer's comparison with from-scratch training.
 */
import { expect, type Locator, type Page } from '@playwright/test';
import type { EditorPage } from './editor-page';

type Editor = Pick<EditorPage, 'select' | 'setParam' | 'saved' | 'inspector'>;

export class SslPage {
  readonly grid: Locator;
  readonly gridEpoch: Locator;
  readonly earlierEpoch: Locator;
  readonly sourceRun: Locator;
  readonly transferMode: Locator;
  readonly matched: Locator;
  readonly fresh: Locator;
  readonly transferLink: Locator;
  readonly comparison: Locator;

  constructor(readonly page: Page) {
    this.grid = page.getByTestId('reconstruction-grid');
    this.gridEpoch = page.getByTestId('reconstruction-epoch');
    this.earlierEpoch = this.grid.getByRole('button', { name: 'Earlier epoch' });
    this.sourceRun = page.getByTestId('transfer-run');
    this.transferMode = page.getByTestId('transfer-mode');
    this.matched = page.getByTestId('transfer-matched');
    this.fresh = page.getByTestId('transfer-fresh');
    this.transferLink = page.getByTestId('run-transfer-link');
    this.comparison = page.getByTestId('transfer-comparison');
  }

  /** Images in one row of the grid shown (`input`, `corrupted` or `reconstruction`). */
  gridRow(name: 'input' | 'corrupted' | 'reconstruction'): Locator {
    return this.grid.getByTestId(`reconstruction-row-${name}`).locator('canvas');
  }

  /** Whether a grid canvas holds a picture: some pixel not fully transparent. */
  async drawn(canvas: Locator): Promise<boolean> {
    return canvas.evaluate((c: HTMLCanvasElement) => c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data.some((v, i) => i % 4 === 3 && v > 0));
  }

  /** Picks the source run in the Optimizer's picker (the Optimizer must be selected). */
  async startFrom(runId: string, editor: Editor): Promise<void> {
    await expect(this.sourceRun.locator(`option[value="${runId}"]`)).toHaveCount(1);
    await this.sourceRun.selectOption(runId);
    await editor.saved();
  }
}
