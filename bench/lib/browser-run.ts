/**
 * Watching a supervised run in the app's run panel until it ends, and reading its result off the
 * page (`bench:cifar-browser`): what a user sees, through the e2e page objects, nothing from the
 * worker or the database directly.
 */
import type { RunPage, RunPhase } from '../../e2e/pages/run-page';

const ENDED: readonly RunPhase[] = ['completed', 'completed-without-checkpoint', 'failed', 'stopped', 'interrupted'];

export interface WatchedRun {
  /** From Run pressed to the panel showing the first training step. */
  firstStepMs: number;
  /** What the Throughput chart showed (images/s), sampled every few seconds while training. */
  shownImagesPerSecond: number[];
}

export interface BrowserRunResult {
  /** The Evaluator's accuracy as the Evaluation tab shows it (a fraction, 0.1 point precision). */
  accuracy: number;
  heldoutImages: number;
  /** The backend chip of the run bar ("wasm", …). */
  backend: string;
  /** In *auto*, the step times the app measured per backend, as the run bar shows them; else null. */
  backendTimings: string | null;
  steps: number;
  /** Epochs completed, as the history row counts them. */
  epochsCompleted: number;
}

/** "12,345" → 12345; NaN when the text holds no number. */
export function parseCount(text: string): number {
  const m = /\d[\d,]*(\.\d+)?/.exec(text);
  return m ? Number(m[0].replace(/,/g, '')) : NaN;
}

/**
 * Steps and epochs completed from a history row's progress cell ("epoch 1 · 10 min budget · 8,123
 * steps", or "epoch 3 / 30 · 2,109 steps" without a budget); NaN for what it does not hold.
 */
export function parseRunProgress(text: string): { steps: number; epochsCompleted: number } {
  return { steps: parseCount(/([\d,]+) steps/.exec(text)?.[1] ?? ''), epochsCompleted: parseCount(/epoch ([\d,]+)/.exec(text)?.[1] ?? '') };
}

/**
 * Waits, after Run was pressed, until the run has ended (a throw unless it completed), logging
 * the run bar's status every 30 s and sampling the Throughput chart while it trains.
 */
export async function waitForBrowserRun(run: RunPage, o: { budgetMs: number; deadlineMs: number; log(line: string): void }): Promise<WatchedRun> {
  const page = run.page;
  const t0 = Date.now();
  const throughput = page.getByTestId('chart-throughput').locator('[data-metric="imagesPerSecond"] b');
  const shown: number[] = [];
  let firstStepMs = NaN;
  let lastLog = 0;
  let phase: RunPhase = await run.phase();
  for (;;) {
    const elapsed = Date.now() - t0;
    phase = await run.phase();
    if (ENDED.includes(phase)) break;
    if (phase === 'idle' && (await run.error.isVisible())) throw new Error(`the run did not start: ${await run.error.textContent()}`);
    if (elapsed > o.deadlineMs) throw new Error(`the run had not ended after ${(elapsed / 60_000).toFixed(1)} min (phase ${phase}); --deadline-minutes gives it longer`);
    const status = (await run.statusText.textContent()) ?? '';
    const training = phase === 'running' && status.startsWith('Training');
    if (training && Number.isNaN(firstStepMs)) {
      firstStepMs = elapsed;
      o.log(`first training step after ${(elapsed / 1000).toFixed(1)} s on ${await run.backendUsed.textContent()}`);
      await run.openTab('live');
    }
    const rate = training ? parseCount((await throughput.textContent().catch(() => null)) ?? '') : NaN;
    if (Number.isFinite(rate) && rate > 0) shown.push(rate);
    if (elapsed - lastLog >= 30_000) {
      lastLog = elapsed;
      const progress = (await run.progress.textContent().catch(() => null)) ?? '';
      o.log(`${phase}: ${status}${progress ? ` · ${progress}` : ''}${Number.isFinite(rate) ? ` · ${rate} images/s shown` : ''}`);
    }
    await page.waitForTimeout(2000);
  }
  if (phase !== 'completed' && phase !== 'completed-without-checkpoint') {
    const why = (await run.statusText.getAttribute('title')) ?? (await run.statusText.textContent());
    throw new Error(`the run ended ${phase}: ${why}`);
  }
  if (Number.isNaN(firstStepMs)) throw new Error('the run ended without the panel ever showing a training step');
  o.log(`the run finished after ${((Date.now() - t0) / 1000).toFixed(0)} s (budget ${(o.budgetMs / 1000).toFixed(0)} s)`);
  return { firstStepMs, shownImagesPerSecond: shown };
}

/** The finished run's evaluation, backend and progress as the Evaluation and History tabs show them. */
export async function readBrowserRun(run: RunPage): Promise<BrowserRunResult> {
  const page = run.page;
  const backend = ((await run.backendUsed.textContent()) ?? '').trim();
  const timings = page.getByTestId('backend-timings');
  const backendTimings = (await timings.isVisible()) ? ((await timings.textContent()) ?? '').trim() : null;
  await run.openTab('evaluation');
  const report = page.getByTestId('test-accuracy');
  await report.waitFor({ timeout: 30_000 });
  const accuracy = parseCount((await report.locator('b').textContent()) ?? '') / 100;
  const heldoutImages = parseCount((await report.locator('small').textContent()) ?? '');
  await run.openTab('history');
  const row = page.locator('[data-testid="run-row"].current');
  await row.waitFor({ timeout: 30_000 });
  // The fourth cell is the run's progress.
  const progress = (await row.locator('td').nth(3).textContent()) ?? '';
  const { steps, epochsCompleted } = parseRunProgress(progress);
  if (![accuracy, heldoutImages, steps, epochsCompleted].every(Number.isFinite)) {
    throw new Error(`could not read the result off the page: accuracy ${accuracy}, images ${heldoutImages}, progress '${progress}'`);
  }
  return { accuracy: Number(accuracy.toFixed(4)), heldoutImages, backend, backendTimings, steps, epochsCompleted };
}
