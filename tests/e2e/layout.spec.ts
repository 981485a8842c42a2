import { expect, type Page, test } from '@playwright/test';
import { kd1 } from '../fixtures/passes';
import { ADMIN_PIN, expectAccessible, fillSetup, waitForServiceWorker } from './helpers';

// A small old phone, held in a glove: every screen, both languages.
test.use({ viewport: { width: 360, height: 640 }, hasTouch: true, isMobile: true });

/**
 * What is wrong with the screen's layout: the page scrolling sideways, anything reaching past the
 * screen's edges, a control's label cut off, a word (or a short Chinese label) broken over lines.
 */
function layoutProblems(page: Page, screen: string): Promise<string[]> {
  return page.evaluate((screen) => {
    const problems: string[] = [];
    const width = document.documentElement.clientWidth;
    const name = (element: Element) =>
      `${screen}: <${element.tagName.toLowerCase()} class="${element.className}"> "${(element.textContent ?? '').trim().slice(0, 30)}"`;
    if (document.documentElement.scrollWidth > width)
      problems.push(`${screen}: the page is ${document.documentElement.scrollWidth} px wide`);
    const visible = (element: Element) => {
      const box = element.getBoundingClientRect();
      return box.width > 1 && box.height > 1 && !element.closest('.visually-hidden');
    };
    const shown = [
      ...document.querySelectorAll(
        'button, a, input, select, textarea, label, legend, p, h1, h2, h3, li, th, td, output, summary',
      ),
    ].filter(visible);
    for (const element of shown) {
      const box = element.getBoundingClientRect();
      if (box.left < -0.5 || box.right > width + 0.5)
        problems.push(`${name(element)} reaches ${Math.round(box.left)}–${Math.round(box.right)}`);
      if (
        element.matches('button, a, label, legend') &&
        element.scrollWidth > element.clientWidth + 1
      )
        problems.push(`${name(element)} is cut off`);
    }
    // Latin words never break; a short Chinese label (a tab, a button) stays on one line. A long
    // Chinese label may wrap like a sentence.
    const labels = shown.filter((element) =>
      element.matches('button, a, label, legend, th, h1, h2'),
    );
    for (const element of labels) {
      const short = (element.textContent ?? '').trim().length <= 10;
      const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = node.textContent ?? '';
        const words = short ? /[A-Za-z0-9'’.°-]+|[\u4e00-\u9fff]+/g : /[A-Za-z0-9'’.°-]+/g;
        for (const match of text.matchAll(words)) {
          const range = document.createRange();
          range.setStart(node, match.index ?? 0);
          range.setEnd(node, (match.index ?? 0) + match[0].length);
          const lines = new Set([...range.getClientRects()].map((rect) => Math.round(rect.top)));
          if (lines.size > 1) problems.push(`${name(element)} breaks "${match[0]}" over lines`);
        }
      }
    }
    return problems;
  }, screen);
}

async function check(page: Page, screen: string) {
  expect(await layoutProblems(page, screen)).toEqual([]);
  await expectAccessible(page, screen);
}

/** The bottom of what the volunteer must reach is above the tab bar: in view with no scrolling. */
async function inView(page: Page, name: string) {
  const target = await page.getByRole('button', { name, exact: true }).boundingBox();
  const tabs = await page.locator('.tabs').boundingBox();
  expect(
    target && tabs && target.y + target.height - tabs.y,
    `${name} below the tab bar`,
  ).toBeLessThanOrEqual(0);
}

const TEXT = {
  'zh-CN': {
    gate: '卡口',
    visitors: '访客',
    isolation: '隔离',
    newIsolation: '登记居家隔离',
    address: '门牌（如 3栋2单元501）',
    name: '姓名',
    mobile: '手机号',
    reason: '原因',
    startIsolation: '开始隔离',
    log: '今日记录',
    report: '日报',
    sync: '上传',
    settings: '设置',
    later: '稍后处置',
    pending: '1 人发热待处置',
    noPass: '无证人员测温',
    pin: '管理员 PIN',
    pinAgain: '再输入一次 PIN',
    enter: '进入',
    office: '社区办公室（需要管理员 PIN）',
    lock: '锁屏 / 换班',
    referred: '已送发热门诊',
    next: '下一位',
    unlock: '你的值守 PIN',
    unlockButton: '解锁',
  },
  en: {
    gate: 'Gate',
    visitors: 'Visitors',
    isolation: 'Isolated',
    newIsolation: 'Register home isolation',
    address: 'Address label (e.g. 3栋2单元501)',
    name: 'Name',
    mobile: 'Mobile',
    reason: 'Reason',
    startIsolation: 'Start isolation',
    log: 'Log',
    report: 'Report',
    sync: 'Upload',
    settings: 'Settings',
    later: 'Handle later',
    pending: '1 person with fever to handle',
    noPass: 'Temperature, no pass',
    pin: 'Admin PIN',
    pinAgain: 'The PIN again',
    enter: 'Enter',
    office: 'Community office (admin PIN)',
    lock: 'Lock / hand over',
    referred: 'Sent to fever clinic',
    next: 'Next person',
    unlock: 'Your shift PIN',
    unlockButton: 'Unlock',
  },
} as const;

test('every screen fits a 360×640 phone in Chinese and English, with nothing to scroll at the gate', async ({
  page,
}) => {
  test.setTimeout(120_000);
  // What this phone records stays on it: the households it puts in isolation would otherwise reach
  // the shared receiver, and every later test's gate at the same checkpoint would pull them.
  await page.context().route('**/api/v1/**', (route) => route.abort('internetdisconnected'));
  await page.goto('/');
  await waitForServiceWorker(page);
  // The ids and place a volunteer rarely types, opened so that they are checked too.
  await page.getByText('高级：手动填写编号和所属层级').click();
  await check(page, 'setup');
  await fillSetup(page);
  await page.getByRole('button', { name: '开始值守' }).click();

  for (const lang of ['zh-CN', 'en'] as const) {
    const words = TEXT[lang];
    const tab = (name: string) => page.getByRole('link', { name, exact: true }).click();
    await tab(words.gate);
    await check(page, `${lang} gate`);

    // A resident going in: the verdict and the common readings together, nothing to scroll.
    const passId = `a1b2c3d4-00${lang === 'en' ? 2 : 1}001`;
    await page.locator('#gate-code').fill(kd1(passId, 'hh-0001'));
    await page.locator('#gate-code').press('Enter');
    await expect(page.locator(`.verdict[data-pass-id="${passId}"]`)).toBeVisible();
    await inView(page, '36.5');
    await inView(page, lang === 'en' ? 'Skip temperature' : '跳过测温');
    await check(page, `${lang} gate after a scan`);
    await page.getByRole('button', { name: '36.5', exact: true }).click();
    await page
      .getByRole('button', { name: lang === 'en' ? 'Save 36.5 °C' : '保存 36.5 °C' })
      .click();

    // A fever takes the screen, its headline and actions in view; "later" leaves the bar.
    await page.getByRole('button', { name: words.noPass }).click();
    for (const key of ['3', '8', '6'])
      await page.getByRole('button', { name: key, exact: true }).click();
    await page
      .getByRole('button', { name: lang === 'en' ? 'Save 38.6 °C' : '保存 38.6 °C' })
      .click();
    const alert = page.locator('.takeover');
    await expect(alert.getByRole('heading')).toBeInViewport();
    await expect(alert.getByRole('button', { name: words.later })).toBeInViewport();
    await check(page, `${lang} fever alert`);
    await alert.getByRole('button', { name: words.later }).click();
    await expect(page.getByRole('button', { name: words.pending })).toBeVisible();

    for (const [name, label] of [
      ['visitors', words.visitors],
      ['isolation', words.isolation],
      ['log', words.log],
      ['report', words.report],
      ['sync', words.sync],
    ] as const) {
      // The screen before has gone, and this one is drawn.
      const before = await page.locator('.screen h1').textContent();
      await tab(label);
      await expect(page.locator('.screen h1')).toBeVisible();
      await expect(page.locator('.screen h1')).not.toHaveText(before ?? '');
      await check(page, `${lang} ${name}`);
    }
    // The home-isolation form.
    await tab(words.isolation);
    await tab(words.newIsolation);
    await expect(page.locator('.screen h1')).toHaveText(words.newIsolation);
    await check(page, `${lang} new isolation`);
    // A household's page: its check-in form, three members' readings and symptoms.
    await page.getByLabel(words.address, { exact: true }).fill(`${lang === 'en' ? 7 : 8}栋101`);
    await page.getByLabel(words.name, { exact: true }).fill('张三丰');
    await page.getByLabel(words.mobile, { exact: true }).fill('13912345678');
    await page.getByLabel(words.reason, { exact: true }).fill('密切接触者');
    await page.getByRole('button', { name: words.startIsolation }).click();
    await expect(page.locator('.screen h1')).toHaveText(`${lang === 'en' ? 7 : 8}栋101`);
    await check(page, `${lang} household in isolation`);
    await tab(words.settings);
    const pin = page.getByLabel(words.pin, { exact: true });
    await expect(pin).toBeVisible();
    await check(page, `${lang} settings, locked`);
    await pin.fill(ADMIN_PIN);
    const again = page.getByLabel(words.pinAgain, { exact: true });
    if (await again.isVisible()) await again.fill(ADMIN_PIN);
    await page.getByRole('button', { name: words.enter, exact: true }).click();
    await expect(page.getByRole('link', { name: words.office })).toBeVisible();
    await check(page, `${lang} settings`);
    await page.getByRole('link', { name: words.office }).click();
    await expect(page.locator('.office')).toBeVisible();
    await check(page, `${lang} office`);

    // The bar opens the alert again; a referral settles it.
    await page.getByRole('button', { name: words.pending }).click();
    await alert.getByRole('button', { name: words.referred }).click();
    await alert.getByRole('button', { name: words.next, exact: true }).click();
    await expect(page.getByRole('button', { name: words.pending })).toHaveCount(0);

    await page.getByRole('button', { name: words.lock }).click();
    await expect(page.getByLabel(words.unlock)).toBeVisible();
    await check(page, `${lang} shift lock`);
    await page.getByLabel(words.unlock).fill('2468');
    await page.getByRole('button', { name: words.unlockButton }).click();
    if (lang === 'zh-CN') await page.getByRole('button', { name: 'English' }).click();
  }
  // Nothing of it reached the shared receiver (its worker's uploads included).
  const shared = await fetch(new URL('/api/v1/isolations?since=0', page.url()));
  const { records } = (await shared.json()) as { records: { data: { address?: string } }[] };
  expect(records.filter((record) => /^[78]栋101$/.test(record.data.address ?? ''))).toEqual([]);
});
