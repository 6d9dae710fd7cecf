/**
 * The runs table and the compare view (the top bar's Runs): selecting runs, reading the charts and
 * the graph diff, deleting a run.
 */
import { expect, type Locator, type Page } from '@playwright/test';

export class ComparePage {
  readonly dialog: Locator;
  readonly rows: Locator;
  readonly view: Locator;
  readonly diffRows: Locator;

  constructor(readonly page: Page) {
    this.dialog = page.getByTestId('runs-dialog');
    this.rows = page.getByTestId('runs-row');
    this.view = page.getByTestId('compare-view');
    this.diffRows = page.getByTestId('compare-diff-row');
  }

  /** Opens the runs table from the top bar and waits for its rows. */
  async open(): Promise<void> {
    await this.page.getByTestId('open-runs').click();
    await expect(this.dialog).toBeVisible();
    await expect(this.dialog.getByTestId('runs-table')).toBeVisible();
  }

  async close(): Promise<void> {
    await this.dialog.getByTestId('runs-close').click();
    await expect(this.dialog).toBeHidden();
  }

  row(runId: string): Locator {
    return this.page.locator(`[data-testid="runs-row"][data-run-id="${runId}"]`);
  }

  async runIds(): Promise<string[]> {
    return this.rows.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-run-id') ?? ''));
  }

  /** Checks the runs' boxes and waits until every chart of the comparison is drawn. */
  async compare(runIds: readonly string[]): Promise<void> {
    for (const id of runIds) await this.row(id).getByTestId('runs-select').check();
    await this.drawn(runIds.length);
  }

  async drawn(runs: number): Promise<void> {
    await expect(this.view).toHaveAttribute('data-runs', String(runs));
    await expect(this.view).toHaveAttribute('data-ready', 'true');
  }

  /** Metric name → number of runs drawn on its chart. */
  async curvesPerChart(): Promise<Record<string, number>> {
    return this.view.locator('[data-testid^="compare-chart-"]').evaluateAll((charts) =>
      Object.fromEntries(charts.map((c) => [c.getAttribute('data-testid')!.replace('compare-chart-', ''), Number(c.getAttribute('data-runs'))])),
    );
  }

  /** The diff-only table as [what, value per run…] rows. */
  async diff(): Promise<string[][]> {
    return this.diffRows.evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent?.trim() ?? '')));
  }

  /** Exports the compared runs' metrics; returns the CSV text. */
  async exportCsv(): Promise<string> {
    const [download] = await Promise.all([this.page.waitForEvent('download'), this.view.getByTestId('compare-export-csv').click()]);
    const path = await download.path();
    const { readFileSync } = await import('node:fs');
    return readFileSync(path, 'utf8');
  }

  /** Hovers the middle of a metric's chart; returns the readout (every run's value at that x). */
  async hover(metric: string): Promise<string> {
    const plot = this.view.locator(`[data-testid="compare-chart-${metric}"] .u-over`);
    const box = await plot.boundingBox();
    if (!box) throw new Error(`chart ${metric} is not on screen`);
    await this.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    return (await this.view.locator(`[data-testid="compare-chart-${metric}"] [data-testid="compare-readout"]`).textContent()) ?? '';
  }

  /** Opens a run's stored graph as a new project; the dialog closes. */
  async openGraph(runId: string): Promise<void> {
    await this.row(runId).getByTestId('runs-open-graph').click();
    await expect(this.dialog).toBeHidden();
  }

  async delete(runId: string): Promise<void> {
    await this.row(runId).getByTestId('runs-delete').click();
    await expect(this.row(runId)).toHaveCount(0);
  }
}
