import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, expect, test } from '@playwright/test';
import QRCode from 'qrcode';
import { chromiumArgs, chromiumPath } from '../../playwright.config';
import { kd1 } from '../fixtures/passes';
import { fillSetup, waitForServiceWorker } from './helpers';

test.describe('the installed app', () => {
  test('has a manifest with 192, 512 and maskable icons that are served', async ({
    page,
    request,
  }) => {
    await page.goto('/');
    const href = await page.locator('link[rel="manifest"]').getAttribute('href');
    const manifest = await (await request.get(href ?? '')).json();
    expect(manifest).toMatchObject({
      name: '卡点 Kadian',
      short_name: '卡点',
      display: 'standalone',
      lang: 'zh-CN',
    });
    expect(
      manifest.icons.map(
        (icon: { sizes: string; purpose: string }) => `${icon.sizes} ${icon.purpose}`,
      ),
    ).toEqual(['192x192 any', '512x512 any', '512x512 maskable']);
    for (const icon of manifest.icons) {
      const response = await request.get(icon.src);
      expect(response.headers()['content-type']).toBe('image/png');
    }
  });

  test('keeps its records when the browser is closed and opened again, offline', async ({
    baseURL,
  }) => {
    const profile = mkdtempSync(join(tmpdir(), 'kadian-profile-'));
    const launch = () =>
      chromium.launchPersistentContext(profile, {
        executablePath: chromiumPath,
        args: chromiumArgs(),
        locale: 'zh-CN',
        baseURL,
      });
    try {
      const first = await launch();
      const page = first.pages()[0] ?? (await first.newPage());
      await page.goto('/');
      await waitForServiceWorker(page);
      await fillSetup(page);
      await page.getByRole('button', { name: '开始值守' }).click();

      // A pass read from a photo, as a volunteer does when the camera cannot focus.
      const photo = await QRCode.toBuffer(kd1('a1b2c3d4-000777', 'hh-0077'), {
        errorCorrectionLevel: 'M',
        scale: 8,
      });
      await page
        .getByLabel('从照片识别')
        .setInputFiles({ name: 'pass.png', mimeType: 'image/png', buffer: photo });
      await expect(page.locator('.verdict[data-pass-id="a1b2c3d4-000777"]')).toContainText(
        '无法核验 · 进',
      );
      await page.getByRole('button', { name: '36.6' }).click();
      await page.getByRole('button', { name: '保存 36.6 °C' }).click();
      await expect(page.getByText('已记录 36.6 °C')).toBeVisible();
      await first.close();

      const second = await launch();
      await second.setOffline(true);
      const reopened = second.pages()[0] ?? (await second.newPage());
      await reopened.goto('/#/log');
      await expect(reopened.getByRole('heading', { name: '今日记录（3）' })).toBeVisible();
      const kinds = reopened.getByRole('list', { name: '今日记录' }).getByRole('listitem');
      expect(
        await kinds.evaluateAll((items) => items.map((item) => item.getAttribute('data-kind'))),
      ).toEqual(['temperature', 'pass-scan', 'shift']);
      await second.close();
    } finally {
      rmSync(profile, { recursive: true, force: true });
    }
  });
});
