/** Page object for the checks a graph gets before Run: the summary's memory estimate, diagnostics, quick fixes and the Run button. */
import { expect, type Locator, type Page } from '@playwright/test';
import type { EditorPage } from './editor-page';

/** What the checks need of the editor's page object. */
type ParamEditor = Pick<EditorPage, 'select' | 'setParam' | 'node'>;

export class GraphChecks {
  readonly memoryEstimate: Locator;
  readonly compileStatus: Locator;
  readonly diagnostics: Locator;
  readonly runButton: Locator;

  constructor(
    readonly page: Page,
    private readonly editor: ParamEditor,
  ) {
    this.memoryEstimate = page.getByTestId('memory-estimate');
    this.compileStatus = page.getByTestId('compile-status');
    this.diagnostics = page.getByTestId('diagnostic');
    this.runButton = page.getByTestId('run-button');
  }

  /** Sets `param` to `value` on each node in turn through the inspector. */
  async setOnEach(nodeIds: readonly string[], param: string, value: string): Promise<void> {
    for (const id of nodeIds) {
      await this.editor.select(id);
      await this.editor.setParam(param, value);
    }
  }

  /** The summary's diagnostic row about `nodeId` that contains `text`. */
  diagnosticOn(nodeId: string, text: string | RegExp): Locator {
    return this.diagnostics.and(this.page.locator(`[data-node-id="${nodeId}"]`)).filter({ hasText: text });
  }

  /** The badge on a node's card: its issue count, every message in its title. */
  badgeOn(nodeId: string): Locator {
    return this.editor.node(nodeId).getByTestId('node-badge');
  }

  /** Clicks the quick fix on a node's card and waits for its issue to go. */
  async applyQuickFix(nodeId: string, label: string | RegExp): Promise<void> {
    const fix = this.editor.node(nodeId).getByTestId('quick-fix');
    await expect(fix).toHaveText(label);
    await fix.click();
    await expect(this.editor.node(nodeId).getByTestId('node-issue')).toHaveCount(0);
  }

  async expectRunUnavailable(): Promise<void> {
    await expect(this.runButton).toBeDisabled();
    await expect(this.runButton).toHaveAttribute('title', /Fix the graph/);
  }
}
