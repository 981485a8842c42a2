import { expect, test } from '@playwright/test';
import { CAMERA_PASS } from '../fixtures/passes';
import {
  expectAccessible,
  openSettings,
  storedRecords,
  typeSetup,
  waitForServiceWorker,
  watchCspViolations,
} from './helpers';

test.describe('a gate with no signal', () => {
  test('setup, camera scan, fever, visitor, reload: every record kept in order', async ({
    page,
    context,
  }) => {
    const cspViolations = await watchCspViolations(context);
    const shell = await page.goto('/');
    // The receiver sends the policy; the built page carries its fallback too.
    expect(shell?.headers()['content-security-policy']).toContain("script-src 'self'");
    expect(shell?.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
    await expect(page.locator('meta[http-equiv="Content-Security-Policy"]')).toHaveAttribute(
      'content',
      /connect-src 'self' https: http:\/\/127\.0\.0\.1:\*/,
    );
    await waitForServiceWorker(page);

    await context.setOffline(true);
    await page.reload();
    await expect(page.getByRole('heading', { name: '首次设置' })).toBeVisible();
    await expectAccessible(page, 'setup');
    await typeSetup(page);
    await page.getByRole('button', { name: '开始值守' }).click();
    await expect(page.getByRole('heading', { name: '卡口核验' })).toBeVisible();

    await openSettings(page);
    await page
      .getByLabel('发热报告电话（每行：名称 号码） （选填）')
      .fill('社区防控办 0736-2891234');
    await page.getByRole('button', { name: '保存', exact: true }).click();
    await expect(page.getByText('设置已保存')).toBeVisible();
    await expectAccessible(page, 'settings');

    await page.getByRole('link', { name: '卡口' }).click();
    await expectAccessible(page, 'gate');
    await page.getByRole('button', { name: '打开摄像头扫码' }).click();
    const verdict = page.locator(`.verdict[data-pass-id="${CAMERA_PASS.passId}"]`);
    await expect(verdict).toContainText('无法核验 · 进请人工查看证件');
    // Read by zxing-wasm (Linux Chromium has no BarcodeDetector), its .wasm from the precache,
    // compiled under the page's policy.
    await expect(page.locator('.scanner')).toHaveAttribute('data-decoder', 'zxing-wasm');

    for (const key of ['3', '8', '2'])
      await page.getByRole('button', { name: key, exact: true }).click();
    await page.getByRole('button', { name: '保存 38.2 °C' }).click();
    const alert = page.locator('.fever');
    await expect(alert.getByRole('heading')).toHaveText('发热！38.2 °C');
    await expect(alert.getByRole('link', { name: '拨打 社区防控办 0736-2891234' })).toHaveAttribute(
      'href',
      'tel:0736-2891234',
    );
    await expectAccessible(page, 'fever alert');
    await alert.getByRole('button', { name: '已送发热门诊' }).click();
    await expect(alert).toContainText('已记录：送发热门诊');
    await page.getByRole('button', { name: '下一位' }).click();
    await page.getByRole('button', { name: '关闭摄像头' }).click();
    await expect(page.getByRole('button', { name: '打开摄像头扫码' })).toBeVisible();

    await page.getByRole('link', { name: '访客' }).click();
    await page.getByLabel('姓名', { exact: true }).fill('王五');
    await page.getByLabel('证件号码').fill('430102199003071235');
    await page.getByLabel('来自（地区）').fill('湖南省长沙市');
    await page.getByLabel('探访（住户/门牌）').fill('3栋2单元501');
    await page.getByLabel('事由').fill('送药');
    await page.getByRole('button', { name: '登记访客' }).click();
    await expect(page.locator('.field__error')).toHaveText(
      '证件号码：校验位（最后一位）不对，请核对号码',
    );
    await expect(page.getByLabel('证件号码')).toHaveAttribute('aria-invalid', 'true');
    await expectAccessible(page, 'visitor form with an error');
    await page.getByLabel('证件号码').fill('430102199003071234');
    await page.getByRole('button', { name: '登记访客' }).click();
    await expect(page.getByText('访客 王五 已登记')).toBeVisible();
    await expect(page.getByRole('heading', { name: '仍在院内的访客（1）' })).toBeVisible();

    await page.reload();
    await page.getByRole('link', { name: '今日记录' }).click();
    await expect(page.getByRole('heading', { name: '今日记录（5）' })).toBeVisible();
    const kinds = page.getByRole('list', { name: '今日记录' }).getByRole('listitem');
    await expect(kinds).toHaveCount(5);
    expect(
      await kinds.evaluateAll((items) => items.map((item) => item.getAttribute('data-kind'))),
    ).toEqual(['visitor-in', 'fever-follow-up', 'temperature', 'pass-scan', 'shift']);
    await expect(kinds.first()).toContainText(
      '王五 · 4301**********1234 · 来自 湖南省长沙市 · 探访 3栋2单元501',
    );
    await expectAccessible(page, 'log');

    const records = await storedRecords(page);
    expect(records.map((record) => record.kind)).toEqual([
      'shift',
      'pass-scan',
      'temperature',
      'fever-follow-up',
      'visitor-in',
    ]);
    expect(records[1]?.data).toEqual({ ...CAMERA_PASS, direction: 'in', verdict: 'unverified' });
    expect(records[2]?.data).toEqual({
      subject: { type: 'pass', ref: CAMERA_PASS.passId },
      celsius: 38.2,
      method: 'forehead',
      fever: true,
    });
    expect(records[4]?.data).toEqual({
      name: '王五',
      idType: 'resident',
      idNumber: '430102199003071234',
      from: { region: '湖南省长沙市', keyArea: false },
      visiting: '3栋2单元501',
      purpose: '送药',
    });
    expect(await cspViolations()).toEqual([]);
    await context.setOffline(false);
  });
});
