import { gzipSync } from 'node:zlib';
import { expect, test } from '@playwright/test';
import { fillSetup, scanPasses, submitCodes } from '../tests/e2e/helpers';
import { bareWrites, figures, profiled, quantile, trustedIssuer } from './shared';

const SCANS = 200;

test('gate screen: JavaScript before the scanner, and decoded text → verdict + committed record', async ({
  page,
}) => {
  const scripts = new Map<string, number>();
  page.on('response', async (response) => {
    if (response.request().resourceType() !== 'script') return;
    scripts.set(new URL(response.url()).pathname, gzipSync(await response.body()).length);
  });
  await page.goto('/');
  await fillSetup(page);
  await page.getByRole('button', { name: '开始值守' }).click();
  await expect(page.getByRole('heading', { name: '卡口核验' })).toBeVisible();
  // What a gate loads each time it is opened (setting it up, once, loads its own screen's code).
  scripts.clear();
  await page.reload();
  await expect(page.getByRole('heading', { name: '卡口核验' })).toBeVisible();
  await page.waitForLoadState('networkidle');

  const beforeScanner = [...scripts].filter(([path]) => !path.endsWith('/sw.js'));
  expect(beforeScanner.some(([path]) => path.includes('camera'))).toBe(false);
  const gateKb = beforeScanner.reduce((sum, [, size]) => sum + size, 0) / 1000;

  await page.getByRole('button', { name: '打开摄像头扫码' }).click();
  await expect.poll(() => [...scripts.keys()].some((path) => path.includes('camera'))).toBe(true);
  const scannerKb =
    [...scripts]
      .filter(([path]) => path.includes('camera'))
      .reduce((sum, [, size]) => sum + size, 0) / 1000;
  await page.getByRole('button', { name: /关闭摄像头|打开摄像头扫码/ }).click();

  // The app shows a verdict only after its record's transaction committed. First with no signal
  // (the usual case at a gate), then online while the first batch of records drains to the receiver.
  await page.context().setOffline(true);
  const offline = await profiled(page, 'scan-offline', () =>
    scanPasses(page, SCANS, 'a1b2c3d4-off'),
  );
  await page.context().setOffline(false);
  const online = await scanPasses(page, SCANS, 'a1b2c3d4-on');

  // Signed passes against a trusted key: signature, revocation, quota and duplicate checks each time.
  const issuer = await trustedIssuer(page, new Uint8Array(32).fill(7));
  const now = Math.floor(Date.now() / 1000);
  const signed = await issuer.sign(SCANS, (i) => ({
    hh: `hh-${i % 50}`,
    nb: now - 86400,
    na: now + 86400,
    q: { n: 1, days: 2 },
  }));
  await page.context().setOffline(true);
  const verified = await submitCodes(page, signed);
  const allowed = await page.locator('.verdict').getAttribute('class');
  expect(allowed).toContain('verdict--allowed');

  const committed = await page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        const open = indexedDB.open('kadian');
        open.onsuccess = () => {
          const count = open.result
            .transaction('records')
            .objectStore('records')
            .index('[kind+recordedAt]')
            .count(IDBKeyRange.bound(['pass-scan', 0], ['pass-scan', Number.MAX_SAFE_INTEGER]));
          count.onsuccess = () => resolve(count.result);
        };
      }),
  );
  expect(committed).toBe(3 * SCANS);

  // The limits, in this page: a bare IndexedDB put + commit, and a bare Dexie add.
  const bare = await bareWrites(page);
  const limit = quantile(bare.add, 0.5);
  const workerKb = gzipSync(await (await page.request.get('/sw.js')).body()).length / 1000;
  const lines = [
    `gate JavaScript before the scanner chunk: ${gateKb.toFixed(1)} KB gzip (target 80 KB, ${(gateKb / 80).toFixed(2)}×) — ${beforeScanner.map(([path, size]) => `${path} ${(size / 1000).toFixed(1)}`).join(', ')}`,
    `service worker (sw.js): ${workerKb.toFixed(1)} KB gzip`,
    `scanner chunk: ${scannerKb.toFixed(1)} KB gzip, loaded on "open camera"`,
    `limits in this page: a bare IndexedDB put + commit ${figures(bare.put)}; a bare Dexie add ${figures(bare.add)}`,
    `decoded text → verdict shown + record committed, ${SCANS} scans offline: ${figures(offline.fromText)} — p95 ${(quantile(offline.fromText, 0.95) / limit).toFixed(1)}× a bare Dexie add's median (target 8×)`,
    `the same from the code field's submit (a barcode scanner's Enter): ${figures(offline.fromSubmit)}`,
    `the same, ${SCANS} scans online while earlier records upload: ${figures(online.fromText)}`,
    `the same, ${SCANS} signed passes checked (Ed25519, revocation, quota, duplicate), offline: ${figures(verified.fromText)}`,
  ];
  console.log(`\n${lines.join('\n')}\n`);
});
