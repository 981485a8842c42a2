// The command centre's dashboard in Chromium: drawn by the receiver (no script), within the strict
// policy, one column on a phone without sideways scrolling, and each chart's numbers a tap away.
import { expect, test } from '@playwright/test';
import { makeRecord } from '../../src/domain/make-record';
import { emptyCounts } from '../../src/domain/roll-up';
import { deviceConfig } from '../fixtures/device-config';
import { printedPages, watchCspViolations } from './helpers';
import { ownReceiver } from './own-receiver';

test('a county’s dashboard reads on a 360 px phone with no policy violation', async ({
  browser,
}) => {
  // The county's receiver keeps China's days (its own time zone), as the reports' dates do: not
  // this machine's, whose date differs from China's for eight hours a day.
  const receiver = await ownReceiver(
    { TZ: 'Asia/Shanghai' },
    { office: ['东岳社区', 'office'], county: ['县指挥部', 'viewer', '汉寿县'] },
  );
  try {
    // Four weeks of one gate's reports, arriving as they would.
    const records = Array.from({ length: 28 }, (_, i) => {
      const evening = Date.now() - (27 - i) * 86_400_000;
      const made = makeRecord(
        { config: deviceConfig, now: evening, newId: () => crypto.randomUUID() },
        'daily-report',
        {
          date: new Date(evening).toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' }),
          place: {
            county: '汉寿县',
            township: '龙阳街道',
            community: '东岳社区',
            courtyard: '龙阳小区',
          },
          counts: {
            ...emptyCounts(),
            passesIn: 300 + 10 * i,
            passesOut: 280 + 9 * i,
            passesDenied: i % 5,
            deniedByReason: { expired: i % 5 },
            temperatures: 120,
            fevers: i % 7 === 0 ? 1 : 0,
            visitorsIn: 20 - (i % 6),
            visitorsFromKeyAreas: i % 4 === 0 ? 1 : 0,
            outOfAreaVehicles: 5 + (i % 3),
          },
          zero: false,
          volunteers: [{ name: '李红' }],
        },
      );
      if (!made.ok) throw new Error(JSON.stringify(made.issues));
      return made.value;
    });
    const key = crypto.randomUUID();
    const sent = await fetch(`${receiver.origin}/api/v1/batches`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${receiver.tokens.office}`,
        'content-type': 'application/json',
        'idempotency-key': key,
      },
      body: JSON.stringify({ deviceId: deviceConfig.deviceId, batchId: key, frozenAt: 1, records }),
    });
    expect(sent.status).toBe(200);

    const context = await browser.newContext({
      baseURL: receiver.origin,
      locale: 'zh-CN',
      viewport: { width: 360, height: 640 },
      httpCredentials: { username: 'county', password: receiver.tokens.county ?? '' },
    });
    const violations = await watchCspViolations(context);
    const page = await context.newPage();
    await page.goto('/view/dashboard');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('汉寿县 防控概况');
    await expect(page.locator('svg[role="img"]')).toHaveCount(9);
    await expect(page.getByRole('img', { name: /^进出人次：进 \d+，出 \d+$/ })).toBeVisible();
    // One column: nothing wider than the phone.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      360,
    );
    // A chart's numbers, a tap away.
    const people = page.locator('#people');
    await people.getByText('数字').click();
    await expect(people.locator('tbody tr')).toHaveCount(28);
    await expect(people.locator('tbody tr').last().locator('td').nth(1)).toHaveText('570');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      360,
    );
    expect(await violations()).toEqual([]);
    // On paper (the numbers folded again): every chart and the period's sentence, on two A4 pages.
    await people.getByText('数字').click();
    await expect(people.locator('tbody')).toBeHidden();
    const printed = await printedPages(page, 'dashboard');
    expect(printed).toHaveLength(2);
    const text = printed.join('\n');
    for (const title of [
      '进出人次',
      '拒绝放行',
      '测温人次',
      '发热',
      '访客',
      '外地车辆',
      '卡点日报',
      '居家隔离',
      '发热警报',
    ])
      expect(text).toContain(title);
    expect(text).toMatch(/共排查 \d+ 人次/);
    await page.screenshot({ path: 'test-results/dashboard-360.png' });
    await context.close();
  } finally {
    await receiver.remove();
  }
});
