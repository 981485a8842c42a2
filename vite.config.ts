/// <reference types="vitest/config" />
import { readFileSync } from 'node:fs';
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { contentSecurityPolicy, META_CONNECT } from './server/csp.ts';

const manifest = JSON.parse(
  readFileSync(new URL('./manifest.webmanifest', import.meta.url), 'utf8'),
);
// The app's version, which gates report to their receiver with each sync.
process.env.VITE_APP_VERSION = JSON.parse(
  readFileSync(new URL('./package.json', import.meta.url), 'utf8'),
).version;

export default defineConfig({
  plugins: [
    preact(),
    {
      // The built page carries a fallback policy for servers that send none (the dev server's
      // inline helpers would not run under it, so it is added to builds only).
      name: 'kadian-csp-meta',
      apply: 'build',
      transformIndexHtml: () => [
        {
          tag: 'meta',
          attrs: {
            'http-equiv': 'Content-Security-Policy',
            content: contentSecurityPolicy(META_CONNECT, false),
          },
          injectTo: 'head-prepend',
        },
      ],
    },
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'sw',
      filename: 'sw.ts',
      registerType: 'prompt',
      // src/pwa registers the worker itself through workbox-window.
      injectRegister: false,
      manifest,
      injectManifest: {
        // The scanner chunk and its decoder's WebAssembly are precached with the shell, so the
        // camera works offline after one visit.
        globPatterns: ['**/*.{js,css,html,png,svg,ico,wasm}'],
        maximumFileSizeToCacheInBytes: 2 * 1024 * 1024,
      },
    }),
  ],
  build: {
    // DESIGN.md: Chromium 100+, Safari 16.4+, Firefox 115+.
    target: ['chrome100', 'safari16.4', 'firefox115'],
    // No preload helper or polyfill in the gate's code: every chunk is precached by the service
    // worker, so a lazy screen's imports come from the device, not the network, after one visit.
    modulePreload: false,
  },
  preview: {
    host: process.env.HOST ?? '127.0.0.1',
    port: Number(process.env.PORT ?? 8080),
    strictPort: true,
  },
  test: {
    // Devices are in China: test days, curfews and validity dates in its time zone, wherever CI runs.
    env: { TZ: 'Asia/Shanghai' },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: [
            'tests/unit/**/*.test.ts',
            'tests/server/**/*.test.ts',
            'tests/sync/**/*.test.ts',
          ],
          exclude: ['tests/server/postgres-only.test.ts'],
          environment: 'node',
          setupFiles: ['tests/unit/setup.ts'],
        },
      },
      {
        // The receiver's contract again, every store on PostgreSQL (a throwaway cluster for the run).
        extends: true,
        test: {
          name: 'postgres',
          include: [
            'tests/server/**/*.test.ts',
            'tests/sync/engine.test.ts',
            'tests/sync/fleet.test.ts',
            'tests/sync/isolation.test.ts',
          ],
          exclude: ['tests/server/sqlite-file.test.ts'],
          environment: 'node',
          env: { TZ: 'Asia/Shanghai', KADIAN_TEST_ENGINE: 'postgres' },
          globalSetup: ['tests/server/postgres-setup.ts'],
          setupFiles: ['tests/unit/setup.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'component',
          include: ['tests/component/**/*.test.{ts,tsx}'],
          environment: 'jsdom',
          setupFiles: ['tests/component/setup.ts'],
        },
      },
    ],
  },
});
