/** The Long Tasks API from a spec: main-thread tasks of 50 ms and more, from a chosen moment. */
import type { Page } from '@playwright/test';

/** Starts recording before the page's scripts run; call before `goto`. */
export async function watchLongTasks(page: Page): Promise<void> {
  // A string, not a function: the transpiler's helpers do not exist in the page.
  await page.addInitScript(`(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__longTasks.push(e.duration); })
      .observe({ type: 'longtask', buffered: false });
  })()`);
}

/** Forgets the tasks seen so far. */
export async function resetLongTasks(page: Page): Promise<void> {
  await page.evaluate('window.__longTasks = []');
}

/** The longest task since the last reset, in ms (0 when none reached 50 ms). */
export async function longestTask(page: Page): Promise<number> {
  const tasks = (await page.evaluate('window.__longTasks')) as number[];
  return tasks.length ? Math.round(Math.max(...tasks)) : 0;
}
