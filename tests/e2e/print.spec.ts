import { expect, type Page, test } from '@playwright/test';
import { kd1 } from '../fixtures/passes';
import { printedPages, setUpDevice } from './helpers';

async function visitor(page: Page, i: number) {
  await page.getByLabel('姓名', { exact: true }).fill(`访客${i}号`);
  await page.getByLabel('证件类型').selectOption({ label: '无证件（如儿童）' });
  await page.getByLabel('来自（地区）').fill('湖南省长沙市');
  await page.getByLabel('探访（住户/门牌）').fill(`${(i % 9) + 1}栋${100 + i}`);
  await page.getByLabel('事由').fill('探亲');
  await page.getByRole('button', { name: '登记访客' }).click();
  await expect(page.getByText(`访客 访客${i}号 已登记`)).toBeVisible();
  await page.getByRole('button', { name: '36.5', exact: true }).click();
  await page.getByRole('button', { name: '保存 36.5 °C' }).click();
  await expect(page.getByText('已记录 36.5 °C')).toBeVisible();
}

async function handOver(page: Page, name: string) {
  await page.getByRole('button', { name: '锁屏 / 换班' }).click();
  await page.getByRole('button', { name: '换班：下一位志愿者登记' }).click();
  await page.getByLabel('志愿者姓名').fill(name);
  await page.getByLabel('值守 PIN（至少 4 位数字，离开时锁屏用）').fill('1357');
  await page.getByLabel('再输入一次值守 PIN').fill('1357');
  await page.getByRole('button', { name: '开始值守' }).click();
  await expect(page.getByText(`· ${name}`)).toBeVisible();
}

async function fever(page: Page, i: number) {
  await page.getByLabel('通行证码（扫码枪 / 手输）').fill(kd1(`a1b2c3d4-fev${i}`, `hh-${i}`));
  await page.keyboard.press('Enter');
  for (const key of ['3', '8', String(i % 10)])
    await page.getByRole('button', { name: key, exact: true }).click();
  await page.getByRole('button', { name: `保存 38.${i % 10} °C` }).click();
  await page.locator('.fever').getByRole('button', { name: '已送发热门诊' }).click();
  await page.getByRole('button', { name: '下一位' }).click();
}

/** A busy day: 5 fevers, `visitors` visitors still inside, 8 volunteers on duty. */
async function busyDay(page: Page, visitors: number) {
  await setUpDevice(page);
  for (let i = 1; i <= 5; i++) await fever(page, i);
  await page.getByRole('link', { name: '访客' }).click();
  for (let i = 1; i <= visitors; i++) await visitor(page, i);
  for (const name of ['王芳', '张敏', '刘洋', '陈静', '杨帆', '赵磊', '黄丽'])
    await handOver(page, name);
  await page.getByRole('link', { name: '日报', exact: true }).click();
  await expect(page.locator('.report')).toBeVisible();
}

test.describe('the printed daily report', () => {
  test('a busy ordinary day fits one A4 page with its signatures', async ({ page }) => {
    test.setTimeout(180_000);
    await busyDay(page, 20);
    const pages = await printedPages(page, 'report-busy');
    expect(pages).toHaveLength(1);
    expect(pages[0]?.match(/访\*+/g)).toHaveLength(20);
    expect(pages[0]?.match(/签名/g)).toHaveLength(8);
  });

  test('a longer day breaks between rows, repeats the table header, and keeps rows with the signatures', async ({
    page,
  }) => {
    test.setTimeout(180_000);
    await busyDay(page, 31);
    const pages = await printedPages(page, 'report-long');
    expect(pages.length).toBe(2);
    const [first = '', last = ''] = pages;
    // Every visitor's row is printed whole, once.
    expect((first + last).match(/访\*+号/g)).toHaveLength(31);
    // The second page starts with the table's header again, then rows, then the signatures.
    expect(last).toContain('进入时间');
    expect(last.match(/访\*+号/g)?.length).toBeGreaterThan(0);
    expect(last.match(/签名/g)).toHaveLength(8);
    expect(last.indexOf('进入时间')).toBeLessThan(last.indexOf('值守志愿者'));
  });
});
