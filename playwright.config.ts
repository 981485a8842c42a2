import { resolve } from 'node:path';
import { defineConfig } from '@playwright/test';

const port = Number(process.env.E2E_PORT ?? 4317);

/** The end-to-end receiver's SQLite file, which tests read to count what arrived. */
export const E2E_DATABASE = 'tests/.generated/e2e.sqlite';

/** Resolved to 127.0.0.1 by Chromium, but not a secure context as "localhost" or an IP is. */
export const INSECURE_HOST = 'gate.kadian.test';

/** Debian's Chromium; test tools cannot download a browser here. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags that keep headless Chromium off the network and give it a fake camera showing a QR code. */
export function chromiumArgs(fakeVideo?: string): string[] {
  const args = [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ];
  if (fakeVideo) {
    args.push(
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      `--use-file-for-fake-video-capture=${fakeVideo}`,
    );
  }
  return args;
}

export default defineConfig({
  testDir: 'tests/e2e',
  globalSetup: './tests/e2e/global-setup.ts',
  // The e2e files share one preview server and one origin's storage: run them one at a time.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: 'list',
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    locale: 'zh-CN',
    permissions: ['camera'],
    serviceWorkers: 'allow',
    launchOptions: {
      executablePath: chromiumPath,
      args: chromiumArgs(resolve('tests/.generated/pass-qr.y4m')),
    },
  },
  // The reference receiver serves the built app and the sync API on one origin, as in production.
  webServer: {
    command: `rm -f ${E2E_DATABASE}* && node dist-server/main.js`,
    url: `http://127.0.0.1:${port}/`,
    env: {
      HOST: '127.0.0.1',
      PORT: String(port),
      KADIAN_DB: E2E_DATABASE,
      // Fast backoff for the fault tests; a proxy on another port reaches it cross-origin.
      KADIAN_PRESET: 'tests/fixtures/e2e-preset.json',
      // The checkpoints expected to report: the roll-up lists the one that does not.
      KADIAN_REGISTRY: 'tests/fixtures/e2e-registry.json',
      // The third-party peers and fault proxies the sync tests start listen on loopback ports.
      KADIAN_CONNECT_SRC: 'http://127.0.0.1:*',
      KADIAN_CORS_ORIGINS: `http://127.0.0.1:${port}`,
    },
    reuseExistingServer: false,
    timeout: 30_000,
  },
});
