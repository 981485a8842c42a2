import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

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

export async function fillSetup(page: Page): Promise<void> {
  const fields: [string, string][] = [
    ['卡点编号', 'lj-03'],
    ['卡点名称', '龙阳小区北门'],
    ['县（区）', '汉寿县'],
    ['乡镇（街道）', '龙阳街道'],
    ['社区（村）', '东岳社区'],
    ['小区编号', 'ly-xq'],
    ['小区（院落）', '龙阳小区'],
    ['设备名称', '北门手机'],
    ['志愿者姓名', '李红'],
    ['志愿者手机号 （选填）', '13800138000'],
  ];
  for (const [label, value] of fields) await page.getByLabel(label, { exact: true }).fill(value);
}
