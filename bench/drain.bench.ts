import { expect, type Page, test } from '@playwright/test';
import { deviceState, fillSetup, openSettings, scanPasses } from '../tests/e2e/helpers';
import { profiled, quantile } from './shared';

const NATIVE_RECORDS = 10_000;
const PLAIN_RECORDS = 1_000;

interface Measure {
  name: string;
  duration: number;
}

/**
 * Makes records offline at the gate, goes online, and returns the engine's timings of the run that
 * drained them (the draining is what a profile covers). With `before`, the engine's uploads are
 * refused on the way out while it runs (the network is back, the records still queued), then the
 * engine is woken as by the network's return.
 */
async function drain(
  page: Page,
  count: number,
  prefix: string,
  before?: () => Promise<unknown>,
): Promise<{ run: number; reads: number[] }> {
  await page.context().setOffline(true);
  await scanPasses(page, count, prefix);
  // The engine's uploads; the bare loop's carry `?bare`, which the receiver ignores.
  const engine = (url: URL) => /\/(batches|records)$/.test(url.pathname) && !url.search;
  if (before) await page.route(engine, (route) => route.abort('connectionrefused'));
  await page.context().setOffline(false);
  if (before) {
    await before();
    await page.unroute(engine);
  }
  return profiled(page, `drain-${prefix}`, async () => {
    await page.evaluate(() => {
      (window as unknown as { measures: Measure[] }).measures = [];
      window.dispatchEvent(new Event('online'));
    });
    await expect.poll(async () => (await deviceState(page)).pending, { timeout: 300_000 }).toBe(0);
    const measures = await page.evaluate(
      () => (window as unknown as { measures: Measure[] }).measures,
    );
    // The run that drained them (one refused earlier may end meanwhile, after a read or two).
    const runs = measures.filter((entry) => entry.name === 'kadian:sync-run');
    const run = Math.max(...runs.map((entry) => entry.duration));
    // The last read found the queue empty; the others each froze a batch.
    const reads = measures
      .filter((entry) => entry.name === 'kadian:next-batch')
      .map((entry) => entry.duration)
      .slice(0, -1);
    return { run, reads };
  });
}

/**
 * The limit the native drain approaches, in the same page and against the same receiver: the same
 * number of the device's records (with new ids, so the receiver stores them as it did) sent in
 * batches of 200 by a bare loop — read a batch from IndexedDB → POST → mark it in IndexedDB —
 * with no engine. Resolves to its records per second.
 */
async function bareDrain(page: Page, count: number): Promise<number> {
  return page.evaluate(async (count) => {
    const open = (name: string, upgrade?: (db: IDBDatabase) => void) =>
      new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open(name, 1);
        if (upgrade) request.onupgradeneeded = () => upgrade(request.result);
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
    const app = await new Promise<IDBDatabase>((resolve) => {
      const request = indexedDB.open('kadian');
      request.onsuccess = () => resolve(request.result);
    });
    const config = await new Promise<{ value: { deviceId: string; sync: { endpoint: string } } }>(
      (resolve) => {
        const get = app.transaction('meta').objectStore('meta').get('config');
        get.onsuccess = () => resolve(get.result);
      },
    );
    const marks = await open('kadian-bench-marks', (db) => db.createObjectStore('marks'));
    const start = performance.now();
    let after: IDBValidKey | undefined;
    for (let sent = 0; sent < count; ) {
      const rows = await new Promise<{ id: string; record: Record<string, unknown> }[]>(
        (resolve) => {
          const range = after === undefined ? undefined : IDBKeyRange.lowerBound(after, true);
          const all = app.transaction('records').objectStore('records').getAll(range, 200);
          all.onsuccess = () => resolve(all.result);
        },
      );
      if (rows.length === 0) break;
      after = rows.at(-1)?.id;
      const batchId = crypto.randomUUID();
      const records = rows.map((row) => ({ ...row.record, id: crypto.randomUUID() }));
      const response = await fetch(`${config.value.sync.endpoint}/batches?bare`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': batchId },
        body: JSON.stringify({
          deviceId: config.value.deviceId,
          batchId,
          frozenAt: Date.now(),
          records,
        }),
      });
      await response.json();
      await new Promise<void>((resolve) => {
        const tx = marks.transaction('marks', 'readwrite');
        tx.objectStore('marks').put({ done: records.length }, batchId);
        tx.oncomplete = () => resolve();
      });
      sent += records.length;
    }
    const rate = count / ((performance.now() - start) / 1000);
    app.close();
    marks.close();
    return rate;
  }, count);
}

const median = (values: number[]) => quantile(values, 0.5);

test('drain: native batches against one request per record, and reading the next batch', async ({
  page,
}) => {
  test.setTimeout(900_000);
  await page.goto('/');
  await fillSetup(page);
  await page.getByRole('button', { name: '开始值守' }).click();
  await expect(page.getByRole('heading', { name: '卡口核验' })).toBeVisible();
  // The engine's User Timing entries, as they are made (the page runs the sync: no Background Sync here).
  await page.evaluate(() => {
    const target = window as unknown as { measures: Measure[] };
    target.measures = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries())
        target.measures.push({ name: entry.name, duration: entry.duration });
    }).observe({ type: 'measure' });
  });

  // The limit is timed just before and just after the native drain, on the same records.
  const bareRates: number[] = [];
  const native = await drain(page, NATIVE_RECORDS, 'a1b2c3d4-nat', async () =>
    bareRates.push(await bareDrain(page, NATIVE_RECORDS)),
  );
  bareRates.push(await profiled(page, 'drain-bare', () => bareDrain(page, NATIVE_RECORDS)));
  const bareRate = (bareRates[0] + bareRates[1]) / 2;

  await openSettings(page);
  await page.getByLabel('接口类型').selectOption('plain');
  const endpoint = page.getByLabel('上传地址 （选填）');
  await endpoint.fill((await endpoint.inputValue()).replace(/\/api\/v1$/, '/api/v1/records'));
  await page.getByRole('button', { name: '保存', exact: true }).click();
  await expect(page.getByText('设置已保存')).toBeVisible();
  const plain = await drain(page, PLAIN_RECORDS, 'a1b2c3d4-pln');

  const nativeRate = NATIVE_RECORDS / (native.run / 1000);
  const plainRate = PLAIN_RECORDS / (plain.run / 1000);
  const first = median(native.reads.slice(0, 5));
  const last = median(native.reads.slice(-5));
  const lines = [
    `native: ${NATIVE_RECORDS} records drained and marked done in ${(native.run / 1000).toFixed(2)} s (${native.reads.length} batches) = ${nativeRate.toFixed(0)} records/s (budget ≤ 4 s)`,
    `limit in this page: the same ${NATIVE_RECORDS} records by a bare loop (read 200 → POST → mark), ${bareRate.toFixed(0)} records/s (${bareRates.map((rate) => rate.toFixed(0)).join(' before, ')} after); native ${((nativeRate / bareRate) * 100).toFixed(0)}% of it (target ≥ 90%)`,
    `plain: ${PLAIN_RECORDS} records, one request each, in ${(plain.run / 1000).toFixed(2)} s = ${plainRate.toFixed(0)} records/s`,
    `native is ${(nativeRate / plainRate).toFixed(1)}× plain (budget ≥ 8×)`,
    `reading (freezing) the next batch: ${first.toFixed(2)} ms at the start, ${last.toFixed(2)} ms at the end (median of 5; budget end ≤ 2× start)`,
  ];
  console.log(`\n${lines.join('\n')}\n`);
});
