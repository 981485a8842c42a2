import { expect, test } from '@playwright/test';

test.describe('the app shell', () => {
  test('is served by the service worker after one visit, with the network off', async ({
    page,
    context,
  }) => {
    await page.goto('/');
    await page.waitForFunction(async () => {
      const registration = await navigator.serviceWorker.ready;
      return registration.active?.state === 'activated';
    });
    await context.setOffline(true);
    await page.reload();
    await expect(page.locator('#app')).not.toBeEmpty();
    expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    await context.setOffline(false);
  });
});
