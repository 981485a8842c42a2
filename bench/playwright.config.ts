import { defineConfig } from '@playwright/test';
import { chromiumArgs, chromiumPath } from '../playwright.config';

const port = Number(process.env.BENCH_PORT ?? 4318);

/** Benchmarks run the built app in headless Chromium and print figures; they assert no timings. */
export default defineConfig({
  testDir: '.',
  testMatch: '*.bench.ts',
  workers: 1,
  timeout: 300_000,
  reporter: 'list',
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    locale: 'zh-CN',
    launchOptions: { executablePath: chromiumPath, args: chromiumArgs() },
  },
  webServer: {
    command: 'rm -f tests/.generated/bench.sqlite* && node dist-server/main.js',
    url: `http://127.0.0.1:${port}/`,
    cwd: '..',
    env: {
      HOST: '127.0.0.1',
      PORT: String(port),
      KADIAN_DB: 'tests/.generated/bench.sqlite',
      // New devices pick their checkpoint by name from this list, as in the end-to-end tests.
      KADIAN_REGISTRY: 'tests/fixtures/e2e-registry.json',
    },
    reuseExistingServer: false,
  },
});
