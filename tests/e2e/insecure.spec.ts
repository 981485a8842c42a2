import { chromium, expect, test } from '@playwright/test';
import { chromiumArgs, chromiumPath, INSECURE_HOST } from '../../playwright.config';
import { expectAccessible } from './helpers';

test('outside a secure context the app says it needs HTTPS and what to do', async ({ baseURL }) => {
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: [...chromiumArgs(), `--host-resolver-rules=MAP ${INSECURE_HOST} 127.0.0.1`],
  });
  try {
    const page = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
    await page.goto(`http://${INSECURE_HOST}:${new URL(baseURL ?? '').port}/`);
    expect(await page.evaluate(() => window.isSecureContext)).toBe(false);
    await expect(page.getByRole('heading', { name: '需要安全连接（HTTPS）' })).toBeVisible();
    await expect(
      page.getByText('请改用 https:// 开头的地址打开卡点', { exact: false }),
    ).toBeVisible();
    expect(await page.evaluate(() => navigator.serviceWorker === undefined)).toBe(true);
    await expectAccessible(page, 'insecure notice');
  } finally {
    await browser.close();
  }
});
