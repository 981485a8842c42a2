import { expect, type Page, test } from '@playwright/test';
import { ADMIN_PIN, officeWithKey, openSettings, setUpDevice } from './helpers';
import { ownReceiver } from './own-receiver';

/** The device id a page's app was set up with. */
const deviceIdOf = (page: Page) =>
  page.evaluate(
    () =>
      new Promise<string>((done) => {
        const request = indexedDB.open('kadian');
        request.onsuccess = () => {
          const read = request.result.transaction('meta').objectStore('meta').get('config');
          read.onsuccess = () => done(read.result.value.deviceId);
        };
      }),
  );

async function useToken(page: Page, token: string) {
  await openSettings(page);
  await page.getByLabel('设备令牌 （选填）').fill(token);
  await page.getByRole('button', { name: '保存', exact: true }).click();
  await expect(page.getByText('设置已保存')).toBeVisible();
}

async function uploadNow(page: Page) {
  await page.getByRole('link', { name: '上传' }).click();
  await page.getByRole('button', { name: '立即上传' }).click();
}

test('the office stops a gate mid-day: refused at its next upload, it keeps only what it never sent; the county’s audit log says who did it', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const receiver = await ownReceiver(
    {},
    {
      office: ['东岳社区办公室', 'office'],
      gate: ['龙阳北门', 'device'],
      county: ['县疫情办', 'viewer', '汉寿县'],
    },
  );
  try {
    const context = () => browser.newContext({ baseURL: receiver.origin, locale: 'zh-CN' });
    const gate = await (await context()).newPage();
    await setUpDevice(gate);
    await useToken(gate, receiver.tokens.gate ?? '');
    await uploadNow(gate);
    await expect(gate.getByText('全部已上传。')).toBeVisible();
    const gateId = await deviceIdOf(gate);

    const office = await (await context()).newPage();
    await officeWithKey(office);
    await useToken(office, receiver.tokens.office ?? '');
    await office.goto('/#/office');
    await office.getByLabel('管理员 PIN', { exact: true }).fill(ADMIN_PIN);
    await office.getByRole('button', { name: '进入' }).click();
    const row = office.getByRole('listitem').filter({ hasText: gateId });
    await expect(row).toContainText('未上传 0 条');
    await row.getByRole('button', { name: '停用…' }).click();
    await row.getByRole('button', { name: `确认停用 ${gateId}` }).click();
    await expect(row).toContainText(`已停用 ${gateId}：它的令牌立即失效。`);

    // Mid-day, after the stop: a reading is made, and the next upload is refused.
    await gate.getByRole('link', { name: '卡口' }).click();
    await gate.getByRole('button', { name: '无证人员测温' }).click();
    await gate.getByRole('button', { name: '36.5' }).click();
    await gate.getByRole('button', { name: '保存 36.5 °C' }).click();
    await uploadNow(gate);
    await expect(gate.getByRole('heading', { name: '本设备已停用' })).toBeVisible();
    await expect(
      gate.getByText(
        '还有 1 条记录没有上传，仍保存在本机：请把手机交给社区办公室，用管理员 PIN 导出后再清除。',
      ),
    ).toBeVisible();
    await expect(gate.getByRole('link', { name: '卡口' })).toHaveCount(0);

    // The county reads who stopped it, and who made the tokens, when.
    const county = await (
      await browser.newContext({
        baseURL: receiver.origin,
        locale: 'zh-CN',
        httpCredentials: { username: 'county', password: receiver.tokens.county ?? '' },
      })
    ).newPage();
    await county.goto('/view/audit');
    const rows = county.locator('tbody tr');
    await expect(rows.filter({ hasText: gateId })).toContainText([
      /东岳社区办公室作废令牌.*device stopped/,
    ]);
    await expect(rows.filter({ hasText: '创建令牌' })).toHaveCount(3);
    await expect(rows.filter({ hasText: '创建令牌' }).first()).toContainText(
      /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}command line/,
    );
  } finally {
    await receiver.remove();
  }
});
