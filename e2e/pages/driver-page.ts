/**
 * The RL driver presets as a user meets them: the Agent's inspector (which settings it shows), a
 * run shortened to a few hundred steps, the reward breakdown under the road and the evaluator's
 * table.
 */
import { expect, type Locator, type Page } from '@playwright/test';
import { EditorPage } from './editor-page';
import { RunPage } from './run-page';

export class DriverPage {
  readonly editor: EditorPage;
  readonly run: RunPage;
  readonly rewardBreakdown: Locator;
  readonly baselines: Locator;

  constructor(readonly page: Page) {
    this.editor = new EditorPage(page);
    this.run = new RunPage(page);
    this.rewardBreakdown = page.getByTestId('reward-breakdown');
    this.baselines = page.getByTestId('baselines-table');
  }

  /** A new project from a driver preset. */
  async open(preset: 'dqn-driver' | 'ppo-driver'): Promise<void> {
    await this.editor.openProject();
    await this.editor.newFromPreset(preset);
  }

  /** The params the Agent's inspector shows, by key. */
  async agentParamsShown(): Promise<string[]> {
    await this.editor.select('agent');
    return this.editor.inspector.locator('[data-param]').evaluateAll((els) => els.map((e) => e.getAttribute('data-param') ?? ''));
  }

  /** Shortens a policy-gradient run to `totalSteps` over 4 environments and small rollouts, 2 evaluation episodes. */
  async shortPolicyRun(totalSteps: number): Promise<void> {
    await this.editor.select('agent');
    await this.editor.setParam('totalSteps', String(totalSteps));
    await this.editor.setParam('numEnvs', '4');
    await this.editor.setParam('rolloutSteps', '16');
    await this.editor.setParam('minibatchSize', '32');
    // The preset keeps the best of 10 validations of 50 episodes: two of two episodes here.
    await this.editor.setParam('validations', '2');
    await this.editor.setParam('validationEpisodes', '2');
    await this.editor.select('evaluate');
    await this.editor.setParam('episodes', '2');
    await this.editor.saved();
  }

  /** The return the breakdown's rows add up to, as shown. */
  async breakdownTotal(): Promise<number> {
    return Number(await this.page.getByTestId('reward-breakdown-total').textContent());
  }

  /** The evaluator table's row of `policy`. */
  row(policy: string): Locator {
    return this.baselines.locator(`[data-policy="${policy}"]`);
  }

  async expectRows(policies: string[]): Promise<void> {
    for (const p of policies) await expect(this.row(p)).toBeVisible();
  }
}
