import { defineConfig } from '@playwright/test';
import { chromiumPath, chromiumWebGpuArgs } from './e2e/chromium';

const port = Number(process.env.E2E_PORT ?? 4517);
/** The production build (`vite build` + `vite preview`), for the specs that check what gets deployed. */
export const productionPort = Number(process.env.E2E_PRODUCTION_PORT ?? 4518);

export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  outputDir: 'test-results/playwright',
  timeout: 120_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  reporter: process.env.CI ? [['list'], ['json', { outputFile: 'test-results/playwright.json' }]] : [['list']],
  use: {
    baseURL: `http://localhost:${port}`,
    browserName: 'chromium',
    launchOptions: { executablePath: chromiumPath, args: chromiumWebGpuArgs },
    viewport: { width: 1400, height: 900 },
    trace: 'off',
  },
  webServer: [
    {
      command: `npx vite --port ${port} --strictPort`,
      url: `http://localhost:${port}`,
      reuseExistingServer: !process.env.CI,
      timeout: 120_000,
    },
    {
      command: `npx vite build --outDir test-results/dist-${productionPort} --emptyOutDir --logLevel warn && npx vite preview --outDir test-results/dist-${productionPort} --port ${productionPort} --strictPort`,
      url: `http://localhost:${productionPort}`,
      reuseExistingServer: !process.env.CI,
      timeout: 180_000,
    },
  ],
});
