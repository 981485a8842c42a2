// How much work the volunteer's main flows take on a phone: taps, scrolls (a target out of view
// or under the tab bar before its tap) and sideways scrolls, at 360×640 and 390×844; and the
// time from a scanned code to its verdict on screen.

import { signAsync } from '@noble/ed25519';
import { expect, type Locator, type Page, test } from '@playwright/test';
import { hashPin } from '../src/domain/secrets';
import { encodeSetup } from '../src/domain/setup-code';
import { submitCodes, waitForServiceWorker } from '../tests/e2e/helpers';
import { deviceConfig } from '../tests/fixtures/device-config';
import { issuerKey, signKd1 } from './shared';

type Count = { taps: number; scrolls: number; sideways: number };

/** Taps what a person taps, counting a scroll first whenever the target is not in view. */
function counter(page: Page) {
  const count: Count = { taps: 0, scrolls: 0, sideways: 0 };
  const tap = async (target: Locator) => {
    const box = await target.boundingBox();
    const view = page.viewportSize() ?? { width: 0, height: 0 };
    const bar = page.locator('.tabs');
    const tabs = (await bar.count()) ? await bar.boundingBox() : null;
    const inTabs = (await target.evaluate((element) => element.closest('.tabs') !== null)) === true;
    const bottom = tabs && !inTabs ? tabs.y : view.height;
    if (!box) throw new Error('nothing to tap');
    if (box.y < 0 || box.y + box.height > bottom) count.scrolls++;
    if (box.x < 0 || box.x + box.width > view.width) count.sideways++;
    count.taps++;
    await target.click();
  };
  /** A field: one tap to focus it, then typing (not counted). */
  const type = async (target: Locator, text: string) => {
    await tap(target);
    await target.fill(text);
  };
  return { count, tap, type };
}

// The office key the benchmark's gate is set up with, and passes it signs.
const OFFICE_SECRET = new Uint8Array(32).fill(9);

async function signedPass(serial: number) {
  const { kid } = await issuerKey(OFFICE_SECRET);
  const now = Math.floor(Date.now() / 1000);
  const passId = `${kid}-${String(serial).padStart(6, '0')}`;
  const payload = {
    v: 1,
    kid,
    pid: passId,
    hh: `hh-${serial}`,
    cp: ['lj-09'],
    addr: '3栋2单元501',
    nb: now - 60,
    na: now + 86400,
  };
  return { passId, text: await signKd1(OFFICE_SECRET, payload) };
}

/** A setup link from the office key, as the office's setup form makes it. */
async function setupLink(): Promise<string> {
  const { publicKey, kid } = await issuerKey(OFFICE_SECRET);
  const code = await encodeSetup(
    {
      v: 1,
      kid,
      issuedAt: Date.now(),
      checkpoint: { id: 'lj-09', name: '龙阳小区西门' },
      place: deviceConfig.place,
      rules: deviceConfig.rules,
      hotlines: deviceConfig.hotlines,
      issuerKeys: [publicKey],
      adminPin: await hashPin('龙阳西门2026cold'),
    },
    (message) => signAsync(message, OFFICE_SECRET),
  );
  return `/#setup=${code}`;
}

for (const viewport of [
  { width: 360, height: 640 },
  { width: 390, height: 844 },
]) {
  test.describe(`${viewport.width}×${viewport.height}`, () => {
    test.use({ viewport, hasTouch: true, isMobile: true });

    test('taps and scrolls of the main flows', async ({ page }) => {
      const lines: string[] = [];
      const measure = async (
        name: string,
        flow: (c: ReturnType<typeof counter>) => Promise<void>,
      ) => {
        const c = counter(page);
        await flow(c);
        const { taps, scrolls, sideways } = c.count;
        lines.push(`${name}: ${taps} taps, ${scrolls} scrolls, ${sideways} sideways`);
      };
      page.on('dialog', (dialog) => void dialog.dismiss());
      await page.addInitScript(() => {
        // Printing opens the system dialog, which a headless browser cannot show: count the call.
        window.print = () => document.body.setAttribute('data-printed', 'yes');
      });

      await measure('device set up from the office’s code (link)', async ({ tap, type }) => {
        await page.goto(await setupLink());
        await waitForServiceWorker(page);
        await tap(page.getByRole('button', { name: '已核对，使用这些设置' }));
        await type(page.getByLabel('设备名称'), '西门手机');
        await type(page.getByLabel('志愿者姓名'), '王芳');
        await type(page.getByLabel('值守 PIN（至少 4 位数字，离开时锁屏用）'), '1357');
        await type(page.getByLabel('再输入一次值守 PIN'), '1357');
        await tap(page.getByRole('button', { name: '开始值守' }));
        await expect(page.getByRole('heading', { name: '卡口核验' })).toBeAttached();
      });

      let verdictMs = 0;
      await measure('resident in (code scanned)', async ({ tap }) => {
        [verdictMs = 0] = (await submitCodes(page, [await signedPass(1)])).fromSubmit;
        await tap(page.getByRole('button', { name: '36.5', exact: true }));
        await tap(page.getByRole('button', { name: '保存 36.5 °C' }));
        await expect(page.getByText('已记录 36.5 °C')).toBeVisible();
      });
      await measure('resident out (出 set and back to 进; no tap per person)', async ({ tap }) => {
        await tap(page.getByRole('button', { name: '出', exact: true }));
        await submitCodes(page, [await signedPass(2)]);
        await tap(page.getByRole('button', { name: '进', exact: true }));
      });
      await measure('fever with a re-measurement', async ({ tap }) => {
        await tap(page.getByRole('button', { name: '无证人员测温' }));
        for (const key of ['3', '8', '2'])
          await tap(page.getByRole('button', { name: key, exact: true }));
        await tap(page.getByRole('button', { name: '保存 38.2 °C' }));
        await tap(page.getByRole('button', { name: '复测', exact: true }));
        for (const key of ['3', '6', '8'])
          await tap(page.getByRole('button', { name: key, exact: true }));
        await tap(page.getByRole('button', { name: '保存 36.8 °C' }));
        await tap(page.getByRole('button', { name: '复测正常，解除' }));
        await expect(page.getByText('已记录 36.8 °C')).toBeVisible();
      });
      await measure('visitor from scratch, with a temperature', async ({ tap, type }) => {
        await tap(page.getByRole('link', { name: '访客' }));
        await type(page.getByLabel('姓名', { exact: true }), '王五');
        await type(page.getByLabel('证件号码'), '430102199003071234');
        await type(page.getByLabel('来自（地区）'), '湖南省长沙市');
        await type(page.getByLabel('探访（住户/门牌）'), '3栋2单元501');
        await type(page.getByLabel('事由'), '送药');
        await tap(page.getByRole('button', { name: '登记访客' }));
        await tap(page.getByRole('button', { name: '36.5', exact: true }));
        await tap(page.getByRole('button', { name: '保存 36.5 °C' }));
        await expect(page.getByText('已记录 36.5 °C')).toBeVisible();
      });
      await measure('daily report printed', async ({ tap }) => {
        await tap(page.getByRole('link', { name: '日报', exact: true }));
        await tap(page.getByRole('button', { name: '打印（A4）' }));
        await expect(page.locator('body[data-printed="yes"]')).toBeAttached();
      });
      lines.push(`code scanned → verdict on screen (record committed): ${verdictMs.toFixed(1)} ms`);
      console.log(`\n${viewport.width}×${viewport.height}\n${lines.join('\n')}\n`);
    });
  });
}
