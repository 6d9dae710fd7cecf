/**
 * What the fault specs (run-faults*.spec.ts) share: a ResNet project to run, the check that the
 * editor survived, the history a fault must leave, and the figures they print.
 */
import { expect, type Page } from '@playwright/test';
import { EditorPage } from './editor-page';
import { RunPage } from './run-page';

/** Prints a measured figure as `FIGURE name value`, the line the reports collect. */
export function figure(name: string, value: number): void {
  console.log(`FIGURE ${name} ${Math.round(value)}`);
}

/** The editor still answers: selecting a node shows its params. */
export async function editorAlive(editor: EditorPage, node = 'optimizer', field = 'Learning rate'): Promise<void> {
  await editor.select(node);
  await expect(editor.inspector).toContainText(field, { ignoreCase: true });
}

/** A new project from preset `id`, with page objects for its editor and run panel. */
export async function openPreset(page: Page, id: Parameters<EditorPage['newFromPreset']>[0]): Promise<{ editor: EditorPage; run: RunPage }> {
  const editor = new EditorPage(page);
  const run = new RunPage(page);
  await editor.openProject();
  await editor.newFromPreset(id);
  return { editor, run };
}

/** A new project from the ResNet preset. */
export function openResNet(page: Page): Promise<{ editor: EditorPage; run: RunPage }> {
  return openPreset(page, 'resnet-cifar');
}

/**
 * Opens History and expects exactly these run statuses, newest first; each row may take a moment
 * to show its final status (the record is written after the panel updates).
 */
export async function expectHistory(run: RunPage, statuses: readonly string[]): Promise<void> {
  await run.openTab('history');
  await expect(run.historyRows).toHaveCount(statuses.length);
  for (const [i, status] of statuses.entries()) {
    await expect(run.historyRows.nth(i)).toHaveAttribute('data-status', status, { timeout: 15_000 });
  }
}
