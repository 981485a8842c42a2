import { expect, type Page, test } from '@playwright/test';
import { startJsonServer, startPouchdb } from '../peers';
import { type Fault, type Seen, startFaultProxy } from '../sync/fault-proxy';
import {
  deviceState,
  expectAccessible,
  nextAttempt,
  openSettings,
  scanPasses,
  setUpDevice,
} from './helpers';
import { storedFor } from './receiver-db';

async function setEndpoint(page: Page, endpoint: string, token = '', adapter?: string) {
  await openSettings(page);
  if (adapter) await page.getByLabel('接口类型').selectOption({ label: adapter });
  await page.getByLabel('上传地址 （选填）').fill(endpoint);
  await page.getByLabel('设备令牌 （选填）').fill(token);
  await page.getByRole('button', { name: '保存', exact: true }).click();
  await expect(page.getByText('设置已保存')).toBeVisible();
}

async function expectAllUploaded(page: Page) {
  await page.getByRole('link', { name: '上传' }).click();
  await expect(page.getByText('全部已上传。')).toBeVisible({ timeout: 60_000 });
  const device = await deviceState(page);
  expect(device.pending).toBe(0);
  expect(storedFor(device.deviceId)).toEqual({ rows: device.records, distinct: device.records });
  return device;
}

test.describe('uploading', () => {
  test('1,000 records made offline reach the receiver once each when the network returns', async ({
    page,
    context,
  }) => {
    test.setTimeout(120_000);
    await setUpDevice(page);
    await context.setOffline(true);
    await scanPasses(page, 1000, 'a1b2c3d4-off');
    await page.getByRole('link', { name: '上传' }).click();
    await expect(page.getByText(/^待上传：\d+ 条$/)).toBeVisible();
    await expectAccessible(page, 'upload screen, records waiting');
    await context.setOffline(false);
    const device = await expectAllUploaded(page);
    expect(device.records).toBe(1001);
  });

  test('settles through 500s, dropped connections, 429, 413 and a missing token with nothing lost or doubled', async ({
    page,
    baseURL,
  }) => {
    test.setTimeout(120_000);
    const token = 'e2e-device-secret';
    let rateLimited = false;
    const plan = (seen: Seen, index: number): Fault => {
      if (seen.path !== '/api/v1/batches') return 'pass';
      if (seen.authorization !== `Bearer ${token}`) return { status: 401 };
      if (seen.body.length > 12_000) return { status: 413 };
      if (!rateLimited) {
        rateLimited = true;
        return { status: 429, headers: { 'retry-after': '1' } };
      }
      if (index % 5 === 3) return 'fail-after-commit';
      if (index % 5 === 4) return 'drop-after-commit';
      return 'pass';
    };
    const proxy = await startFaultProxy(baseURL ?? '', plan);
    try {
      await setUpDevice(page);
      await setEndpoint(page, `${proxy.origin}/api/v1`);
      await scanPasses(page, 300, 'a1b2c3d4-flt');
      await page.getByRole('link', { name: '上传' }).click();
      await expect(page.getByText('设备令牌无效或已过期', { exact: false })).toBeVisible({
        timeout: 30_000,
      });
      await expect(page.getByText('上传已暂停', { exact: false })).toBeVisible();

      await setEndpoint(page, `${proxy.origin}/api/v1`, token);
      await expectAllUploaded(page);
      const sent = proxy.seen.filter((seen) => seen.path === '/api/v1/batches');
      // Every kind of fault was met on the way.
      expect(sent.filter((seen) => !seen.authorization).length).toBeGreaterThan(0);
      expect(sent.filter((seen) => seen.body.length > 12_000).length).toBeGreaterThan(0);
      expect(sent.length).toBeGreaterThan(10);
    } finally {
      await proxy.stop();
    }
  });

  test('marks nothing sent through a captive portal, then uploads once the way is clear', async ({
    page,
    baseURL,
  }) => {
    let portal: Fault = {
      status: 200,
      headers: { 'content-type': 'text/html' },
      body: '<html><p>请先登录 Wi-Fi</p></html>',
    };
    const proxy = await startFaultProxy(baseURL ?? '', (seen) =>
      seen.path === '/api/v1/batches' ? portal : 'pass',
    );
    try {
      await setUpDevice(page);
      await setEndpoint(page, `${proxy.origin}/api/v1`);
      await scanPasses(page, 3, 'a1b2c3d4-cap');
      await page.getByRole('link', { name: '上传' }).click();
      await page.getByRole('button', { name: '立即上传' }).click();
      await expect(page.getByText('收到的不是上传接口的回答', { exact: false })).toBeVisible();
      expect((await deviceState(page)).pending).toBeGreaterThanOrEqual(3);

      portal = { status: 302, headers: { location: 'http://127.0.0.1:9/login' } };
      await page.getByRole('button', { name: '立即上传' }).click();
      await expect(page.getByText('网络把上传转到了别的页面', { exact: false })).toBeVisible();
      const { pending, records } = await deviceState(page);
      expect(pending).toBe(records - 1);

      portal = 'pass';
      await page.getByRole('button', { name: '立即上传' }).click();
      await expectAllUploaded(page);
    } finally {
      await proxy.stop();
    }
  });

  test('shows a record the endpoint refuses with its reason, and sends the others', async ({
    page,
    baseURL,
  }) => {
    // The endpoint refuses one record of the batch (as a newer receiver might refuse an older record).
    const proxy = await startFaultProxy(baseURL ?? '', () => 'pass');
    const refusing = await startFaultProxy(proxy.origin, (seen) => {
      if (seen.path !== '/api/v1/batches') return 'pass';
      const { records } = JSON.parse(seen.body) as { records: { id: string }[] };
      const results = records.map((record, index) =>
        index === 1
          ? { id: record.id, status: 'rejected', error: 'data.passId: unknown pass' }
          : { id: record.id, status: 'accepted' },
      );
      return {
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ results }),
      };
    });
    try {
      await setUpDevice(page);
      await setEndpoint(page, `${refusing.origin}/api/v1`);
      await scanPasses(page, 3, 'a1b2c3d4-rej');
      await page.getByRole('link', { name: '上传' }).click();
      await page.getByRole('button', { name: '立即上传' }).click();
      await expect(page.getByText('全部已上传。')).toBeVisible();
      const refused = page.getByRole('list', { name: '被拒收的记录（1）' }).getByRole('listitem');
      await expect(refused).toHaveCount(1);
      await expect(refused).toContainText('被拒收：data.passId: unknown pass');
      await page.getByRole('link', { name: '今日记录' }).click();
      await expect(page.getByText('被拒收：data.passId: unknown pass')).toHaveCount(1);
    } finally {
      await refusing.stop();
      await proxy.stop();
    }
  });

  test('uploads as soon as an endpoint that gave no answer answers again, not at the end of its wait', async ({
    page,
    baseURL,
  }) => {
    test.setTimeout(90_000);
    let away = true;
    const proxy = await startFaultProxy(baseURL ?? '', () => (away ? 'drop' : 'pass'));
    // From the first run on, through the proxy and with the shipped waits (base 1 s, growing), not
    // the fast ones of the other tests.
    await page.route('**/config.json', async (route) => {
      const preset = await (await route.fetch()).json();
      const { backoffBaseMs: _, backoffCapMs: __, ...sync } = preset.sync;
      await route.fulfill({
        json: { ...preset, sync: { ...sync, endpoint: `${proxy.origin}/api/v1` } },
      });
    });
    try {
      await setUpDevice(page);
      await scanPasses(page, 30, 'a1b2c3d4-bak');
      // Away long enough that the next attempt is at least 6 s off.
      let next = 0;
      await expect
        .poll(
          async () => {
            next = (await nextAttempt(page)) ?? 0;
            return next - Date.now();
          },
          { timeout: 60_000 },
        )
        .toBeGreaterThan(6000);
      away = false;
      await expect.poll(async () => (await deviceState(page)).pending).toBe(0);
      expect(Date.now()).toBeLessThan(next);
      expect(proxy.seen.filter((seen) => seen.method === 'HEAD').length).toBeGreaterThan(1);
      const { deviceId, records } = await deviceState(page);
      expect(storedFor(deviceId)).toEqual({ rows: records, distinct: records });
    } finally {
      await proxy.stop();
    }
  });

  test('finishes a batch cut off by closing the page, with the same key and body, once', async ({
    context,
    baseURL,
  }) => {
    let hang = true;
    const proxy = await startFaultProxy(baseURL ?? '', (seen) =>
      seen.path === '/api/v1/batches' && hang ? 'hang' : 'pass',
    );
    try {
      const page = await context.newPage();
      await setUpDevice(page);
      await setEndpoint(page, `${proxy.origin}/api/v1`);
      await scanPasses(page, 40, 'a1b2c3d4-cut');
      await page.getByRole('link', { name: '上传' }).click();
      await page.getByRole('button', { name: '立即上传' }).click();
      await expect
        .poll(() => proxy.seen.filter((seen) => seen.path === '/api/v1/batches').length)
        .toBeGreaterThan(0);
      const { deviceId } = await deviceState(page);
      await page.close();

      hang = false;
      const reopened = await context.newPage();
      await reopened.goto('/#/sync');
      await expectAllUploaded(reopened);
      const batches = proxy.seen.filter((seen) => seen.path === '/api/v1/batches');
      const [cut] = batches;
      const resent = batches.filter((seen) => seen.key === cut?.key);
      expect(resent.length).toBeGreaterThanOrEqual(2);
      expect(new Set(resent.map((seen) => seen.bodyHash)).size).toBe(1);
      expect(storedFor(deviceId).rows).toBe((await deviceState(reopened)).records);
    } finally {
      await proxy.stop();
    }
  });

  test('the service worker uploads on reconnect through Background Sync, with no app page open', async ({
    context,
  }) => {
    // Chrome lets sites finish sending by default; Playwright starts contexts with no permissions.
    await context.grantPermissions(['background-sync']);
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    const dispatched: string[] = [];
    cdp.on('BackgroundService.backgroundServiceEventReceived', ({ backgroundServiceEvent }) => {
      dispatched.push(backgroundServiceEvent.eventName);
    });
    await cdp.send('BackgroundService.startObserving', { service: 'backgroundSync' });
    await cdp.send('BackgroundService.setRecording', {
      shouldRecord: true,
      service: 'backgroundSync',
    });
    await setUpDevice(page);
    await expectAllUploaded(page);
    await context.setOffline(true);
    await scanPasses(page, 25, 'a1b2c3d4-bgs');
    const { deviceId, records, pending } = await deviceState(page);
    expect(pending).toBe(25);
    // Leave the app: from here only the service worker can upload.
    await page.goto('about:blank');

    await context.setOffline(false);
    await expect.poll(() => storedFor(deviceId).rows, { timeout: 30_000 }).toBe(records);
    expect(storedFor(deviceId).distinct).toBe(records);
    expect(dispatched).toContain('Dispatched sync event');
  });

  test('asks the service worker to upload when the app goes to the background', async ({
    page,
    context,
  }) => {
    await setUpDevice(page);
    await expectAllUploaded(page);
    const [worker] = context.serviceWorkers();
    if (!worker) throw new Error('no service worker');
    const workerRuns = () =>
      worker.evaluate(() => performance.getEntriesByName('kadian:sync-run').length);
    expect(await workerRuns()).toBe(0);
    await scanPasses(page, 5, 'a1b2c3d4-hid');
    // The volunteer switches to another app before the page's own upload (1.5 s after a write) runs.
    await page.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await expect.poll(workerRuns).toBeGreaterThan(0);
    const { deviceId, records } = await deviceState(page);
    await expect.poll(() => storedFor(deviceId).rows).toBe(records);
  });

  for (const [adapter, label, start, collection] of [
    ['couch', 'CouchDB（_bulk_docs）', startPouchdb, '/kadian'],
    ['plain', '普通 REST 集合（每条一次）', startJsonServer, '/records'],
  ] as const) {
    test(`uploads to a third-party endpoint through the ${adapter} adapter`, async ({ page }) => {
      const server = await start();
      try {
        if (adapter === 'couch') await fetch(`${server.origin}${collection}`, { method: 'PUT' });
        await setUpDevice(page);
        await setEndpoint(page, `${server.origin}${collection}`, '', label);
        await scanPasses(page, 12, `a1b2c3d4-${adapter}`);
        await page.getByRole('link', { name: '上传' }).click();
        await page.getByRole('button', { name: '立即上传' }).click();
        await expect(page.getByText('全部已上传。')).toBeVisible({ timeout: 30_000 });
        const kinds: string[] =
          adapter === 'couch'
            ? (
                await (
                  await fetch(`${server.origin}${collection}/_all_docs?include_docs=true`)
                ).json()
              ).rows.map((row: { doc: { kind: string } }) => row.doc.kind)
            : (await (await fetch(`${server.origin}${collection}`)).json()).map(
                (record: { kind: string }) => record.kind,
              );
        // The shift record may have reached the receiver before the endpoint changed; every scan came here.
        expect(kinds.filter((kind) => kind === 'pass-scan')).toHaveLength(12);
        expect((await deviceState(page)).pending).toBe(0);
      } finally {
        await server.stop();
      }
    });
  }
});
