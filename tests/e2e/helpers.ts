import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { type BrowserContext, expect, type Page } from '@playwright/test';
import type { SyncStatus } from '../../src/db/database';
import { DEFAULT_OPEN_WAIT_MS } from '../../src/domain/config';
import { waitUntil } from '../../src/sync/engine';
import { kd1 } from '../fixtures/passes';

/** Waits until the service worker controls nothing yet but is active, so the next load is served by it. */
export async function waitForServiceWorker(page: Page): Promise<void> {
  await page.waitForFunction(
    async () => (await navigator.serviceWorker.ready).active?.state === 'activated',
  );
}

/** No serious or critical accessibility violation on what the page shows now. */
export async function expectAccessible(page: Page, screen: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const grave = violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${screen}: ${violation.id} (${violation.nodes.map((node) => node.target.join(' ')).join(', ')})`,
    );
  expect(grave).toEqual([]);
}

/** The records in the page's IndexedDB, read directly (not through the app), oldest first. */
export function storedRecords(page: Page) {
  return page.evaluate(
    () =>
      new Promise<{ kind: string; recordedAt: number; data: unknown }[]>((resolve, reject) => {
        const open = indexedDB.open('kadian');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const all = open.result.transaction('records').objectStore('records').getAll();
          all.onsuccess = () => {
            open.result.close();
            const rows = all.result as {
              record: { kind: string; recordedAt: number; data: unknown };
            }[];
            resolve(rows.map((row) => row.record).sort((a, b) => a.recordedAt - b.recordedAt));
          };
        };
      }),
  );
}

/**
 * Fills the first-run form as a volunteer does: the checkpoint picked by name from the list the
 * receiver's registry provides (its ids and place come with it), the device and who is on duty.
 */
export async function fillSetup(page: Page): Promise<void> {
  await page.getByLabel('你所在的卡点').selectOption({ label: '龙阳小区北门（龙阳小区）' });
  await fillVolunteer(page);
}

/** The first-run form with nothing to pick from (no preset reached): every id and place typed. */
export async function typeSetup(page: Page): Promise<void> {
  const fields: [string, string][] = [
    ['卡点编号', 'lj-03'],
    ['卡点名称', '龙阳小区北门'],
    ['县（区）', '汉寿县'],
    ['乡镇（街道）', '龙阳街道'],
    ['社区（村）', '东岳社区'],
    ['小区编号', 'ly-xq'],
    ['小区（院落）', '龙阳小区'],
  ];
  for (const [label, value] of fields) await page.getByLabel(label, { exact: true }).fill(value);
  await fillVolunteer(page);
}

async function fillVolunteer(page: Page): Promise<void> {
  await page.getByLabel('设备名称', { exact: true }).fill('北门手机');
  await page.getByLabel('志愿者姓名', { exact: true }).fill('李红');
  await page.getByLabel('志愿者手机号 （选填）', { exact: true }).fill('13800138000');
  await page.getByLabel('值守 PIN（至少 4 位数字，离开时锁屏用）').fill('2468');
  await page.getByLabel('再输入一次值守 PIN').fill('2468');
}

/**
 * Submits codes through the gate's code field, as a barcode scanner does, each waiting for the
 * verdict of its pass (the app shows a verdict only after the record's transaction committed).
 * Resolves to the time each took to its verdict shown: from the app taking the text (its
 * `kadian:code` mark, where a camera's decoded text also starts) and from the form's submit.
 * `paced`: each code after the last verdict has been drawn (two frames), as people come one by
 * one; otherwise back to back.
 */
export async function submitCodes(
  page: Page,
  codes: { text: string; passId: string }[],
  paced = false,
): Promise<{ fromText: number[]; fromSubmit: number[] }> {
  await page.getByRole('link', { name: '卡口' }).click();
  await page.getByRole('heading', { name: '卡口核验' }).waitFor();
  return page.evaluate(
    async ({ codes, paced }) => {
      const input = document.getElementById('gate-code') as HTMLInputElement;
      const verdictShown = (passId: string) =>
        new Promise<void>((resolve) => {
          const shown = () => document.querySelector(`.verdict[data-pass-id="${passId}"]`) !== null;
          if (shown()) return resolve();
          const observer = new MutationObserver(() => {
            if (!shown()) return;
            observer.disconnect();
            resolve();
          });
          observer.observe(document.body, { childList: true, subtree: true, attributes: true });
        });
      const drawn = () =>
        new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
      const fromText: number[] = [];
      const fromSubmit: number[] = [];
      for (const { text, passId } of codes) {
        if (paced) await drawn();
        input.value = text;
        const start = performance.now();
        (input.form as HTMLFormElement).requestSubmit();
        await verdictShown(passId);
        const shown = performance.now();
        fromSubmit.push(shown - start);
        fromText.push(
          shown - (performance.getEntriesByName('kadian:code').at(-1)?.startTime ?? NaN),
        );
      }
      return { fromText, fromSubmit };
    },
    { codes, paced },
  );
}

/** Scans `count` distinct (unsigned) KD1 passes through the gate's code field; see submitCodes. */
export function scanPasses(page: Page, count: number, prefix: string) {
  const codes = Array.from({ length: count }, (_, i) => {
    const passId = `${prefix}-${String(i).padStart(6, '0')}`;
    return { passId, text: kd1(passId, `hh-${i % 50}`) };
  });
  return submitCodes(page, codes);
}

/** The device's id, how many records it holds, and how many wait to be sent (queued or in a batch). */
export function deviceState(page: Page) {
  return page.evaluate(
    () =>
      new Promise<{ deviceId: string; records: number; pending: number }>((resolve, reject) => {
        const open = indexedDB.open('kadian');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction(['meta', 'records', 'outbox', 'batches']);
          const config = tx.objectStore('meta').get('config');
          const records = tx.objectStore('records').count();
          const queued = tx.objectStore('outbox').count();
          const batches = tx.objectStore('batches').getAll();
          tx.oncomplete = () => {
            open.result.close();
            const frozen = (batches.result as { records: unknown[] }[]).reduce(
              (sum, batch) => sum + batch.records.length,
              0,
            );
            resolve({
              deviceId: (config.result as { value: { deviceId: string } }).value.deviceId,
              records: records.result,
              pending: queued.result + frozen,
            });
          };
        };
      }),
  );
}

/**
 * When the open app next tries to upload, as its runner schedules it (the backoff's time, no later
 * than the default open wait after the last attempt); undefined when nothing is scheduled.
 */
export async function nextAttempt(page: Page): Promise<number | undefined> {
  const status = await page.evaluate(
    () =>
      new Promise<SyncStatus | undefined>((resolve, reject) => {
        const open = indexedDB.open('kadian');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const get = open.result.transaction('meta').objectStore('meta').get('sync');
          get.onsuccess = () => {
            open.result.close();
            resolve(get.result?.value);
          };
        };
      }),
  );
  return status && waitUntil(status, DEFAULT_OPEN_WAIT_MS);
}

/** A new device: first visit, the worker installed, setup filled in, the gate open. */
export async function setUpDevice(page: Page): Promise<void> {
  await page.goto('/');
  await waitForServiceWorker(page);
  await fillSetup(page);
  await page.getByRole('button', { name: '开始值守' }).click();
  await expect(page.getByRole('heading', { name: '卡口核验' })).toBeVisible();
}

/**
 * Collects the Content-Security-Policy violations of every page of the context from now on (an
 * inline script or style, a third-party origin): read them at the end of a test and expect none.
 */
export async function watchCspViolations(
  context: BrowserContext,
): Promise<() => Promise<string[]>> {
  const violations: string[] = [];
  await context.exposeBinding('kadianCspViolation', (_source, text: string) => {
    violations.push(text);
  });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      (window as unknown as { kadianCspViolation: (text: string) => void }).kadianCspViolation(
        `${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`,
      );
    });
  });
  return async () => violations;
}

/** The admin PIN the end-to-end devices use (set on first entry, or brought by a setup code). */
export const ADMIN_PIN = '135790';
/** The gate admin secret the office's setup codes carry (its hash) in these tests. */
export const GATE_SECRET = '龙阳北门2026cold';

/** Opens Settings through the admin PIN: set on the device's first entry, typed after that. */
export async function openSettings(page: Page): Promise<void> {
  await page.getByRole('link', { name: '设置' }).click();
  // A gate set up by the office's code opens with the office's gate admin secret.
  const pin = page.getByLabel('管理员 PIN', { exact: true });
  const secret = page.getByLabel('卡口管理口令（社区办公室给的）');
  await expect(pin.or(secret)).toBeVisible();
  if (await secret.isVisible()) await secret.fill(GATE_SECRET);
  else await pin.fill(ADMIN_PIN);
  const again = page.getByLabel('再输入一次 PIN');
  if (await again.isVisible()) await again.fill(ADMIN_PIN);
  await page.getByRole('button', { name: '进入' }).click();
  await expect(page.getByLabel('卡点编号')).toBeVisible();
}

/** The office's key, made on its device; resolves to its public key. */
export async function officeWithKey(office: Page): Promise<string> {
  await setUpDevice(office);
  await openSettings(office);
  await office.getByRole('link', { name: '社区办公室（需要管理员 PIN）' }).click();
  await office.getByLabel('管理员 PIN', { exact: true }).fill(ADMIN_PIN);
  await office.getByRole('button', { name: '进入' }).click();
  await office.getByLabel('备份口令（至少 10 个字）').fill('龙阳社区发证口令 2026');
  await office.getByLabel('再输入一次口令').fill('龙阳社区发证口令 2026');
  await office.getByRole('button', { name: '创建密钥并下载备份' }).click();
  await expect(office.getByText(/^密钥编号 [0-9a-f]{8}/)).toBeVisible();
  return office.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((done) => {
      const request = indexedDB.open('kadian');
      request.onsuccess = () => done(request.result);
    });
    return new Promise<string>((done) => {
      const read = db.transaction('meta').objectStore('meta').get('issuer');
      read.onsuccess = () => done(read.result.value.publicKey);
    });
  });
}

/** What is printed (a report, a ledger) to A4 as Chromium prints it: the text of each page. */
export async function printedPages(page: Page, name: string): Promise<string[]> {
  await page.emulateMedia({ media: 'print' });
  const file = `tests/.generated/${name}.pdf`;
  writeFileSync(file, await page.pdf({ format: 'A4', printBackground: true }));
  await page.emulateMedia({ media: 'screen' });
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' })
    .split('\f')
    .filter((text) => text.trim() !== '');
}
