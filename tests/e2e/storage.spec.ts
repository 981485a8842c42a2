import { expect, test } from '@playwright/test';
import { kd1 } from '../fixtures/passes';
import { deviceState, setUpDevice } from './helpers';

test('a full disk: the volunteer is told, the form stays filled, nothing saved is lost', async ({
  page,
  context,
}) => {
  // Chromium's DevTools protocol gives this origin a small quota (3 MB) before it is first used.
  const cdp = await context.newCDPSession(page);
  const origin = new URL(test.info().project.use.baseURL ?? '').origin;
  await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: 3_000_000 });
  // The origin is shared with the other end-to-end files: its quota is given back whatever happens.
  try {
    await fullDisk();
  } finally {
    await cdp.send('Storage.overrideQuotaForOrigin', { origin });
  }

  async function fullDisk() {
    await setUpDevice(page);
    await page.getByRole('link', { name: '访客' }).click();
    const register = async (name: string) => {
      await page.getByLabel('姓名', { exact: true }).fill(name);
      await page.getByLabel('证件类型').selectOption('none');
      await page.getByLabel('来自（地区）').fill('湖南省长沙市');
      await page.getByLabel('探访（住户/门牌）').fill('3栋2单元501');
      await page.getByLabel('事由').fill('送药');
      await page.getByRole('button', { name: '登记访客' }).click();
    };
    await register('王五');
    await expect(page.getByText('访客 王五 已登记')).toBeVisible();
    // The visitor's temperature, then the form is back for the next one.
    await page.getByRole('button', { name: '36.5', exact: true }).click();
    await page.getByRole('button', { name: '保存 36.5 °C' }).click();
    await expect(page.getByText('已记录 36.5 °C')).toBeVisible();

    // Something else on the phone takes the rest (here another database, written until refused).
    const filled = await page.evaluate(async () => {
      const db = await new Promise<IDBDatabase>((resolve) => {
        const open = indexedDB.open('filler', 1);
        open.onupgradeneeded = () => open.result.createObjectStore('blobs');
        open.onsuccess = () => resolve(open.result);
      });
      for (let i = 0; i < 2000; i++) {
        const refused = await new Promise<boolean>((resolve) => {
          const tx = db.transaction('blobs', 'readwrite');
          tx.objectStore('blobs').put(crypto.getRandomValues(new Uint8Array(20_000)), i);
          tx.oncomplete = () => resolve(false);
          tx.onabort = () => resolve(tx.error?.name === 'QuotaExceededError');
        });
        if (refused) {
          db.close();
          return i;
        }
      }
      db.close();
      return -1;
    });
    expect(filled).toBeGreaterThan(0);

    // A pass scanned at the gate (its own write path) is refused, asked for again, with no verdict.
    const scan = async () => {
      await page.getByLabel('通行证码（扫码枪 / 手输）').fill(kd1('a1b2c3d4-000777', 'hh-7'));
      await page.getByRole('button', { name: '核验', exact: true }).click();
    };
    await page.getByRole('link', { name: '卡口' }).click();
    await scan();
    await expect(
      page.getByText('没有记下：手机存储空间已满，请先清理空间。请再扫一次。'),
    ).toBeVisible();
    await expect(page.locator('.verdict')).toHaveCount(0);
    expect((await deviceState(page)).records).toBe(3);
    await page.getByRole('link', { name: '访客' }).click();

    await register('赵六');
    await expect(
      page.getByText('保存失败：手机存储空间已满，请先清理空间。已填写的内容仍在，请重试。'),
    ).toBeVisible();
    await expect(page.getByLabel('姓名', { exact: true })).toHaveValue('赵六');
    await expect(page.getByLabel('探访（住户/门牌）')).toHaveValue('3栋2单元501');
    // The setup's shift, the first visitor and the temperature are there; nothing of the refused one.
    expect((await deviceState(page)).records).toBe(3);

    // Space freed: the same form saves.
    await page.evaluate(
      () =>
        new Promise<void>((resolve) => {
          const request = indexedDB.deleteDatabase('filler');
          request.onsuccess = () => resolve();
        }),
    );
    await page.getByRole('button', { name: '登记访客' }).click();
    await expect(page.getByText('访客 赵六 已登记')).toBeVisible();
    expect((await deviceState(page)).records).toBe(4);
    await page.getByRole('link', { name: '卡口' }).click();
    await scan();
    await expect(page.locator('.verdict[data-pass-id="a1b2c3d4-000777"]')).toBeVisible();
    expect((await deviceState(page)).records).toBe(5);
  }
});
