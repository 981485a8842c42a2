import { defineConfig } from '@playwright/test';
import { chromiumArgs, chromiumPath } from '../playwright.config';

const port = Number(process.env.BENCH_PORT ?? 4318);
/** The benchmarks' receiver's database. */
export const BENCH_DATABASE = 'tests/.generated/bench.sqlite';
/** Where the development server serves the decoders' page. */
export const DECODERS_PORT = Number(process.env.BENCH_DECODERS_PORT ?? 4319);

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
  webServer: [
    {
      command: `rm -f ${BENCH_DATABASE}* && node dist-server/main.js`,
      url: `http://127.0.0.1:${port}/`,
      cwd: '..',
      env: {
        HOST: '127.0.0.1',
        PORT: String(port),
        KADIAN_DB: BENCH_DATABASE,
        // The page may also upload through a fault proxy on this host (cross-origin, so CORS).
        KADIAN_CONNECT_SRC: 'http://127.0.0.1:*',
        KADIAN_CORS_ORIGINS: `http://127.0.0.1:${port}`,
        // New devices pick their checkpoint by name from this list, as in the end-to-end tests.
        KADIAN_REGISTRY: 'tests/fixtures/e2e-registry.json',
      },
      reuseExistingServer: false,
    },
    {
      // The decoders' page (bench/decoders/): the app's own modules, served as they are.
      command: `npx vite --host 127.0.0.1 --port ${DECODERS_PORT} --strictPort`,
      url: `http://127.0.0.1:${DECODERS_PORT}/bench/decoders/index.html`,
      cwd: '..',
      reuseExistingServer: false,
    },
  ],
});
