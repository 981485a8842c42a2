import { expect, type Page, test } from '@playwright/test';
import { expectAccessible } from './helpers';
import { dutyPage, gateOn, ownReceiver } from './own-receiver';

async function feverAtGate(gate: Page, digits: string[]) {
  await gate.getByRole('link', { name: '卡口' }).click();
  await gate.getByRole('button', { name: '无证人员测温' }).click();
  for (const key of digits) await gate.getByRole('button', { name: key, exact: true }).click();
  await gate.getByRole('button', { name: `保存 ${digits[0]}${digits[1]}.${digits[2]} °C` }).click();
  await expect(gate.locator('.fever').getByRole('heading')).toHaveText(
    `发热！${digits[0]}${digits[1]}.${digits[2]} °C`,
  );
}

test('a fever at a gate with no signal reaches the duty page, is taken there, and the gate sees by whom', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const receiver = await ownReceiver(
    {
      // An alert nobody takes goes up the chain after 3 s at the community, 3 s at the township.
      KADIAN_ESCALATE_MINUTES: '0.05,0.05',
      // Today's reports were due at midnight: every checkpoint without one is listed at once.
      KADIAN_REPORT_DEADLINE: '00:00',
    },
    {
      gate: ['龙阳北门', 'device'],
      community: ['东岳社区值班', 'duty', '东岳社区'],
      township: ['龙阳街道值班', 'duty', '龙阳街道'],
      otherCommunity: ['西湖社区查看', 'viewer', '西湖社区'],
    },
  );
  try {
    const { context: gateContext, gate } = await gateOn(
      browser,
      receiver.origin,
      receiver.tokens.gate,
      (page) =>
        page.getByLabel('发热短信号码（值班，接收端未确认时发） （选填）').fill('13900139000'),
    );

    const community = await dutyPage(browser, receiver.origin, receiver.tokens.community);
    const township = await dutyPage(browser, receiver.origin, receiver.tokens.township);
    const elsewhere = await dutyPage(browser, receiver.origin, receiver.tokens.otherCommunity);

    // No signal at the gate: the fever waits on the phone, and says so.
    await gateContext.setOffline(true);
    await feverAtGate(gate, ['3', '8', '6']);
    await expect(gate.locator('.alert-status')).toContainText('已存本机，正在送往值班');
    await expect(community.locator('#due')).toHaveText('无');

    // The network returns: the alert is on the community's page at once, with a notification.
    await gateContext.setOffline(false);
    const card = community.locator('#due [data-alert-id]');
    await expect(card).toHaveCount(1, { timeout: 15_000 });
    await expect(card.getByRole('heading')).toHaveText('龙阳小区北门 · 38.6 °C');
    await expect(gate.locator('.alert-status')).toContainText('已送达，等值班人员接手');
    const notified = await community.evaluate(
      () => (window as unknown as { notified: string[] }).notified,
    );
    expect(notified.filter((shown) => shown.startsWith('发热警报'))).toEqual([
      '发热警报|龙阳小区北门 38.6 °C',
    ]);

    await expectAccessible(community, 'duty page with an alert');
    await community.getByLabel('我的姓名').fill('王值班');
    await card.getByRole('button', { name: '我来处理' }).click();
    await expect(community.locator('#done [data-alert-id]')).toContainText('王值班 接手处理');
    // The gate learns it within seconds while its alert is open.
    await expect(gate.locator('.alert-status')).toContainText('警报：王值班', { timeout: 15_000 });
    await expect(gate.locator('.alert-status')).toContainText('已接手');
    await gate.getByRole('button', { name: '已送发热门诊' }).click();
    await gate.getByRole('button', { name: '下一位' }).click();

    // The receiver restarts while the pages are open; a fever made meanwhile is neither missed nor shown twice.
    await receiver.stop();
    await expect(community.getByRole('status')).toContainText('连接中断');
    await feverAtGate(gate, ['3', '9', '1']);
    await receiver.start();
    await expect(community.locator('#due [data-alert-id]')).toHaveCount(1, { timeout: 20_000 });
    await expect(community.locator('[data-alert-id]')).toHaveCount(2);
    await expect(community.locator('#due [data-alert-id]').getByRole('heading')).toHaveText(
      '龙阳小区北门 · 39.1 °C',
    );

    // Nobody takes it: it is raised to the township's page, louder.
    const raised = township.locator('#due .alert.raised');
    await expect(raised).toHaveCount(1, { timeout: 15_000 });
    await expect(raised.getByRole('heading')).toHaveText('龙阳小区北门 · 39.1 °C');
    await expect
      .poll(() => township.evaluate(() => (window as unknown as { notified: string[] }).notified))
      .toContain('发热警报（已升级）|龙阳小区北门 39.1 °C');
    await township.getByLabel('我的姓名').fill('李街道');
    await raised.getByRole('button', { name: '我来处理' }).click();
    await expect(township.locator('#done [data-alert-id]')).toHaveCount(2);
    await expect(community.locator('#done [data-alert-id]')).toHaveCount(2);

    // The community's checkpoints without today's report, past the deadline, are on its page.
    await expect(community.locator('#missing li')).toHaveText([
      /^龙阳小区北门（龙阳小区）：00:00 前没有交 \d{4}-\d{2}-\d{2} 的日报$/,
      /^詹家小区东门（詹家小区）：00:00 前没有交 /,
    ]);
    await expect
      .poll(() => community.evaluate(() => (window as unknown as { notified: string[] }).notified))
      .toContain('日报未交|龙阳小区北门、詹家小区东门');

    // Another community sees none of it, on the page or through its list.
    await expect(elsewhere.locator('[data-alert-id]')).toHaveCount(0);
    const list = await elsewhere.evaluate(async () => (await fetch('/view/alerts/list')).json());
    expect(list.alerts).toEqual([]);
    for (const page of [community, township, elsewhere])
      expect(await page.cspViolations()).toEqual([]);
  } finally {
    await receiver.remove();
  }
});
