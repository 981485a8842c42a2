import { expect, type Page, test } from '@playwright/test';
import { addDays, format } from 'date-fns';
import { printedPages } from './helpers';
import { gateOn, ownReceiver } from './own-receiver';

/**
 * Fourteen days of one household's home isolation, the gate's clock moved day by day; the days lie
 * in the past, so the receiver (on the real clock) has judged every one of them.
 */
const FIRST = addDays(new Date(), -17);
const day = (n: number) => format(addDays(FIRST, n - 1), 'yyyy-MM-dd');
/** Days without any check-in, and the day a member has a fever. */
const MISSED = [4, 5];
const FEVER_DAY = 8;

type Counts = Record<'households' | 'checkedIn' | 'missed' | 'symptomatic' | 'released', number>;

/** The gate's clock set to a moment of a simulated day; the idle lock (a day passed) is lifted. */
async function clockAt(gate: Page, n: number, time: string) {
  await gate.clock.setFixedTime(new Date(`${day(n)}T${time}`));
  await gate.evaluate(() => window.dispatchEvent(new PointerEvent('pointerdown')));
  const pin = gate.getByLabel('你的值守 PIN');
  if (await pin.isVisible()) {
    await pin.fill('2468');
    await gate.getByRole('button', { name: '解锁' }).click();
  }
}

async function openHousehold(gate: Page) {
  await gate.getByRole('link', { name: '隔离', exact: true }).click();
  await gate.getByRole('link', { name: /^5栋1单元101/ }).click();
  await expect(gate.getByRole('heading', { level: 1 })).toHaveText('5栋1单元101');
}

async function checkIn(gate: Page, celsius: string[]) {
  await gate.getByRole('button', { name: '打卡', exact: true }).click();
  const fields = gate.getByLabel('体温', { exact: true });
  if (celsius.length === 1) {
    await fields.first().fill(celsius[0] as string);
    await gate.getByRole('button', { name: '全家和张三丰一样' }).click();
  } else for (const [i, value] of celsius.entries()) await fields.nth(i).fill(value);
  await gate.getByRole('button', { name: '保存打卡' }).click();
}

test('a household isolated for 14 days: missed after the cutoff only, a fever alerted, released with its last check-in, and counted the same on the gate and up the chain', async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const receiver = await ownReceiver(
    {},
    {
      gate: ['龙阳北门', 'device'],
      county: ['汉寿县查看', 'viewer', '汉寿县'],
      duty: ['东岳社区值班', 'duty', '东岳社区'],
    },
  );
  try {
    const { gate } = await gateOn(browser, receiver.origin, receiver.tokens.gate);

    // Day 1: the household of three is put in isolation by hand.
    await clockAt(gate, 1, '10:00:00');
    await gate.getByRole('link', { name: '隔离', exact: true }).click();
    await expect(gate.getByText('本卡点没有居家隔离的住户。')).toBeVisible();
    await gate.getByRole('link', { name: '登记居家隔离' }).click();
    await gate.getByLabel('门牌（如 3栋2单元501）').fill('5栋1单元101');
    await gate.getByLabel('姓名', { exact: true }).fill('张三丰');
    for (const name of ['张翠山', '殷素素']) {
      await gate.getByRole('button', { name: '加一人' }).click();
      await gate.getByLabel('姓名', { exact: true }).last().fill(name);
    }
    await gate.getByLabel('手机号', { exact: true }).fill('13912345678');
    await expect(gate.getByLabel('第一天')).toHaveValue(day(1));
    await expect(gate.getByLabel('隔离天数')).toHaveValue('14');
    await gate.getByLabel('原因', { exact: true }).fill('密切接触者');
    await gate.getByRole('button', { name: '开始隔离' }).click();
    await expect(gate.getByText(`第 1 天，到 ${day(14)}`)).toBeVisible();

    for (let n = 1; n <= 14; n++) {
      if (MISSED.includes(n)) {
        // Not checked in: still due just before the cutoff, missed (a door to knock on) from it.
        await clockAt(gate, n, '19:59:00');
        await gate.getByRole('link', { name: '隔离', exact: true }).click();
        await expect(gate.getByRole('heading', { name: '待打卡 · 1' })).toBeVisible();
        await clockAt(gate, n, '20:00:00');
        await gate.getByRole('link', { name: '日报', exact: true }).click();
        await gate.getByRole('link', { name: '隔离', exact: true }).click();
        await expect(gate.getByRole('heading', { name: '未报 · 1' })).toBeVisible();
        await expect(gate.getByText('请上门敲门查看，或打电话：')).toBeVisible();
        await expect(gate.getByRole('link', { name: '打电话 139****5678' })).toHaveAttribute(
          'href',
          'tel:13912345678',
        );
        continue;
      }
      await clockAt(gate, n, '09:00:00');
      await openHousehold(gate);
      if (n === 14) {
        // The last day: release is refused until the day's check-in.
        await gate.getByRole('button', { name: '解除', exact: true }).click();
        await expect(gate.getByText(`期满解除要先在最后一天（${day(14)}）打卡。`)).toBeVisible();
        await expect(gate.getByRole('button', { name: '解除隔离' })).toBeDisabled();
      }
      if (n === FEVER_DAY) {
        await checkIn(gate, ['36.6', '38.2', '36.5']);
        await expect(
          gate.getByText('09:00 已打卡：有发热或呼吸困难，已报告值班人员'),
        ).toBeVisible();
        await expect(gate.locator('.alert-status')).toContainText('已送达，等值班人员接手', {
          timeout: 15_000,
        });
      } else {
        await checkIn(gate, ['36.5']);
        await expect(gate.getByText('09:00 已打卡', { exact: true })).toBeVisible();
      }
    }

    // The ledger: fourteen days, two of them missed, the fever day's readings member by member.
    await gate.getByRole('button', { name: '台帐' }).click();
    const rows = gate.locator('.ledger tbody tr');
    await expect(rows).toHaveCount(14);
    await expect(gate.locator('.ledger tr.missed')).toHaveCount(2);
    await expect(rows.nth(FEVER_DAY - 1)).toContainText('36.6');
    await expect(rows.nth(FEVER_DAY - 1)).toContainText('38.2');
    // On one A4 page for the office's files: the ledger alone, its fourteen days.
    const [printed, ...more] = await printedPages(gate, 'isolation-ledger');
    expect(more).toEqual([]);
    expect(printed).toContain('健康台帐 · 5栋1单元101');
    expect(printed).not.toContain('保存打卡');
    expect(printed?.match(/未报/g)).toHaveLength(2);
    expect(printed?.match(/第 \d+ 天/g)).toHaveLength(14);

    // Released on day 14 at noon, after that day's check-in.
    await clockAt(gate, 14, '12:00:00');
    await gate.getByRole('button', { name: '解除', exact: true }).click();
    await gate.getByLabel('原因', { exact: true }).fill('期满无症状');
    await gate.getByRole('button', { name: '解除隔离' }).click();
    await expect(gate.getByText('本卡点没有居家隔离的住户。')).toBeVisible();

    // The gate's report of day 5 is not a zero-report: the household missed its check-in.
    await gate.getByRole('link', { name: '日报', exact: true }).click();
    await gate.getByLabel('日期', { exact: true }).fill(day(5));
    await expect(gate.locator('.report__zero')).toHaveText('今日有异常：居家隔离未报 1 户。');
    await expect(gate.locator('[data-count="isolation.households"] td')).toHaveText('1');
    await expect(gate.locator('[data-count="isolation.missed"] td')).toHaveText('1');

    // Up the chain, each day's figures are what this script expects from its own plan.
    const api = (path: string, token: string) =>
      fetch(`${receiver.origin}/api/v1${path}`, { headers: { authorization: `Bearer ${token}` } });
    const expected = (n: number): Counts => ({
      households: 1,
      checkedIn: MISSED.includes(n) ? 0 : 1,
      missed: MISSED.includes(n) ? 1 : 0,
      symptomatic: n === FEVER_DAY ? 1 : 0,
      released: n === 14 ? 1 : 0,
    });
    await expect
      .poll(
        async () =>
          (
            (await (
              await api(`/reports/daily?date=${day(14)}`, receiver.tokens.county)
            ).json()) as { isolation: Counts }
          ).isolation,
        { timeout: 20_000 },
      )
      .toEqual(expected(14));
    for (let n = 1; n <= 14; n++) {
      const rollUp = (await (
        await api(`/reports/daily?date=${day(n)}`, receiver.tokens.county)
      ).json()) as {
        isolation: Counts;
        nonReporting: { address: string; missedDays: number; twoDaysRunning: boolean }[];
      };
      expect(rollUp.isolation, day(n)).toEqual(expected(n));
      expect(
        rollUp.nonReporting.map(({ address, missedDays, twoDaysRunning }) => [
          address,
          missedDays,
          twoDaysRunning,
        ]),
      ).toEqual(MISSED.includes(n) ? [['5栋1单元101', MISSED.indexOf(n) + 1, n === 5]] : []);
    }
    expect(
      (
        (await (await api(`/reports/daily?date=${day(15)}`, receiver.tokens.county)).json()) as {
          isolation: Counts;
        }
      ).isolation,
    ).toEqual({ households: 0, checkedIn: 0, missed: 0, symptomatic: 0, released: 0 });

    // The fever day's check-in is an alert on the community's duty list, masked.
    const { alerts } = (await (await api('/alerts', receiver.tokens.duty)).json()) as {
      alerts: { celsius: number; subject: object }[];
    };
    expect(alerts.map(({ celsius, subject }) => ({ celsius, subject }))).toEqual([
      { celsius: 38.2, subject: { type: 'isolation', ref: '5栋1单元101', name: '张*山' } },
    ]);
  } finally {
    await receiver.remove();
  }
});
