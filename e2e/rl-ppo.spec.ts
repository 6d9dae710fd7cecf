import { expect, test } from '@playwright/test';
import { DriverPage } from './pages/driver-page';

test('the PPO driver trains a few hundred steps: the road moves, its charts and reward breakdown update, it is evaluated next to an earlier DQN run', async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  const driver = new DriverPage(page);
  const { run } = driver;
  // An earlier DQN run on the same road and held-out seeds, to stand next to PPO in the table.
  await driver.open('dqn-driver');
  await run.shortDqnRun(driver.editor, { totalSteps: 120, learningStarts: 60 });
  await run.runButton.click();
  await run.waitForPhase('completed', 90_000);

  await driver.open('ppo-driver');
  const shown = await driver.agentParamsShown();
  expect(shown).toEqual(expect.arrayContaining(['algorithm', 'clipRange', 'gaeLambda', 'epochs', 'numEnvs']));
  expect(shown).not.toContain('epsilonStart');
  expect(shown).not.toContain('replaySize');
  await driver.shortPolicyRun(320);

  // The network acts on 4 observations at once, still small: the plain CPU backend is quickest.
  await run.backendSelect.selectOption('cpu');
  await run.runButton.click();
  await expect(run.backendUsed).toHaveText('cpu', { timeout: 60_000 });
  await expect.poll(() => run.chartPoints('chart-entropy'), { timeout: 60_000 }).toBeGreaterThanOrEqual(1);
  const first = await run.canvasHash();
  await expect.poll(() => run.canvasHash(), { timeout: 30_000 }).not.toBe(first);
  await expect(driver.rewardBreakdown.locator('[data-term="speed"]')).toBeVisible();
  await expect(driver.rewardBreakdown.locator('[data-term="distance"]')).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('ppo-training.png') });

  await run.waitForPhase('completed', 90_000);
  // Updates every 64 environment steps: 5 by the end, each a point on the entropy and loss charts.
  await expect.poll(() => run.chartPoints('chart-entropy'), { timeout: 5_000 }).toBeGreaterThanOrEqual(2);
  await expect.poll(() => run.chartPoints('chart-pg-loss'), { timeout: 5_000 }).toBeGreaterThanOrEqual(2);
  await expect.poll(() => run.chartPoints('chart-return'), { timeout: 5_000 }).toBeGreaterThanOrEqual(1);
  await run.openTab('evaluation');
  await driver.expectRows(['agent', 'idm', 'random']);
  await expect(driver.row('agent')).toContainText('PPO agent');
  // The preset keeps the best-validated weights (2 validations of 2 episodes in this short run).
  await expect(page.getByTestId('kept-weights')).toContainText(/drives with its weights of step \d+: of 2 validations on 2 episodes, the best few were validated again on 2 new ones, and these had the best mean return over both sets: -?\d+\.\d\d over 4 episodes/);
  await expect(page.getByText("Show 1 earlier run's agent on the same held-out seeds")).toBeVisible();
  await page.getByTestId('compare-earlier').check();
  await expect(driver.row('earlier')).toContainText('DQN agent');
  await expect(driver.row('earlier')).toContainText('DQN driver');
  await page.screenshot({ path: testInfo.outputPath('ppo-evaluation.png') });
});
