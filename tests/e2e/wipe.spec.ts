import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { E2E_DATABASE } from '../../playwright.config';
import { deviceState, openSettings, scanPasses, setUpDevice } from './helpers';
import { storedFor } from './receiver-db';

test('a phone that never uploaded is wiped after its records are exported and imported by the receiver', async ({
  page,
  context,
}) => {
  await setUpDevice(page);
  // Set up with a signal (its shift record goes up), then no signal: the passes stay on the phone.
  await expect.poll(async () => (await deviceState(page)).pending).toBe(0);
  await context.setOffline(true);
  await scanPasses(page, 2, 'a1b2c3d4-wipe');
  const { deviceId, pending } = await deviceState(page);
  expect(pending).toBe(2);
  const uploadedBefore = storedFor(deviceId).rows;
  expect(uploadedBefore).toBe(1);

  await openSettings(page);
  await expect(page.getByText(`还有 ${pending} 条记录没上传。`, { exact: false })).toBeVisible();
  await page.getByLabel('导出口令（至少 10 个字，告诉社区办公室）').fill('北门手机导出口令 2026');
  const downloaded = page.waitForEvent('download');
  await page.getByRole('button', { name: '导出未上传的记录' }).click();
  const file = (await (await downloaded).path()) ?? '';
  await expect(page.getByText(`已导出 ${pending} 条记录。`, { exact: false })).toBeVisible();
  expect(readFileSync(file, 'utf8')).not.toContain('a1b2c3d4-wipe');

  // At the office: the receiver's import, with the passphrase the volunteer passed on.
  const output = execFileSync('node', ['dist-server/import.js', file], {
    encoding: 'utf8',
    env: {
      ...process.env,
      KADIAN_DB: E2E_DATABASE,
      KADIAN_EXPORT_PASSPHRASE: '北门手机导出口令 2026',
    },
  });
  expect(output.trim()).toBe(`${deviceId}: ${pending} new, 0 already here, 0 refused`);
  expect(storedFor(deviceId)).toEqual({
    rows: uploadedBefore + pending,
    distinct: uploadedBefore + pending,
  });

  // Exported: one confirmation, and the phone starts afresh.
  await page.getByRole('button', { name: '清除本设备的全部数据' }).click();
  await expect(page.getByText('真的要清除本设备的全部数据吗？再点一次确认。')).toBeVisible();
  await page.getByRole('button', { name: '确认清除' }).click();
  await expect(page.getByRole('heading', { name: '首次设置' })).toBeVisible();
  await context.setOffline(false);
});
