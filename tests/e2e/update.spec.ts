import { readFileSync, writeFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { expectAccessible, fillSetup, storedRecords, waitForServiceWorker } from './helpers';

const WORKER = 'dist/sw.js';

test.describe('an app update', () => {
  const original = readFileSync(WORKER, 'utf8');
  test.afterEach(() => writeFileSync(WORKER, original));

  test('waits for the volunteer, keeps the visitor being typed and every record', async ({
    page,
  }) => {
    await page.goto('/');
    await waitForServiceWorker(page);
    await fillSetup(page);
    await page.getByRole('button', { name: '开始值守' }).click();
    await page.getByRole('link', { name: '访客' }).click();
    await page.getByLabel('姓名', { exact: true }).fill('赵六');
    await page.getByLabel('事由').fill('修水管');

    // A new release: the worker script changes, and the browser finds it on its next update check.
    writeFileSync(WORKER, `${original}\n// release 2\n`);
    await page.evaluate(async () => (await navigator.serviceWorker.ready).update());
    const banner = page.getByRole('status').filter({ hasText: '卡点有新版本。' });
    await expect(banner).toContainText('正在填写的内容会保留。');
    await expectAccessible(page, 'update banner');
    // Nothing happens until the volunteer chooses: the form is still there, as typed.
    await expect(page.getByLabel('姓名', { exact: true })).toHaveValue('赵六');

    const reloaded = page.waitForEvent('framenavigated');
    await banner.getByRole('button', { name: '立即更新' }).click();
    await reloaded;
    await expect(page.getByLabel('姓名', { exact: true })).toHaveValue('赵六');
    await expect(page.getByLabel('事由')).toHaveValue('修水管');
    await expect(page.getByRole('status').filter({ hasText: '卡点有新版本。' })).toHaveCount(0);
    expect((await storedRecords(page)).map((record) => record.kind)).toEqual(['shift']);
    expect(
      await page.evaluate(async () => {
        const registration = await navigator.serviceWorker.ready;
        return (await (await fetch(registration.active?.scriptURL ?? '')).text()).endsWith(
          '// release 2\n',
        );
      }),
    ).toBe(true);
  });
});
