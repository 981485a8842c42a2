import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { expect, type Page, test } from '@playwright/test';
import { parseCsv } from '../../src/domain/csv';
import {
  deviceState,
  expectAccessible,
  fillSetup,
  scanPasses,
  waitForServiceWorker,
  watchCspViolations,
} from './helpers';

/** The report as Chromium prints it on A4, read back by poppler's pdftotext. */
async function printedText(page: Page, name: string): Promise<string> {
  await page.emulateMedia({ media: 'print' });
  const file = `tests/.generated/${name}.pdf`;
  writeFileSync(file, await page.pdf({ format: 'A4', printBackground: true }));
  await page.emulateMedia({ media: 'screen' });
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
}

/** Every "label   number" pair on the page (the figures print two to a line). */
const figures = (text: string) =>
  Object.fromEntries(
    [...text.matchAll(/(\S+)\s+(\d+)(?=\s|$)/g)].map((match) => [match[1], Number(match[2])]),
  );

test('a day at the gate with no signal becomes a printed report whose numbers match, then the roll-up', async ({
  page,
  context,
}) => {
  test.setTimeout(120_000);
  const cspViolations = await watchCspViolations(context);
  // Set up where there is a signal (the county's preset points it at the receiver), then to the gate.
  await page.goto('/');
  await waitForServiceWorker(page);
  await fillSetup(page);
  await page.getByRole('button', { name: '开始值守' }).click();
  await expect(page.getByRole('heading', { name: '卡口核验' })).toBeVisible();
  // The shift's start is uploaded while there is a signal: what the day makes offline is all unsent.
  await expect.poll(async () => (await deviceState(page)).pending, { timeout: 15_000 }).toBe(0);
  await context.setOffline(true);
  await page.reload();

  // Nothing happened yet: the report says so plainly, on paper too.
  await page.getByRole('link', { name: '日报', exact: true }).click();
  await expect(page.getByText('零报告：今日无发热，无异常。')).toBeVisible();
  await expectAccessible(page, 'report');
  expect(await printedText(page, 'report-zero')).toContain('零报告：今日无发热，无异常。');

  // The day: four passes in (no issuer keys here: recorded as unverified), one unreadable code,
  // a normal temperature, a fever sent to the clinic, and a visitor from a key area.
  await scanPasses(page, 3, 'a1b2c3d4-rep');
  await page.getByRole('button', { name: '36.5', exact: true }).click();
  await page.getByRole('button', { name: '保存 36.5 °C' }).click();
  await expect(page.getByText('已记录 36.5 °C')).toBeVisible();
  await scanPasses(page, 1, 'a1b2c3d4-fev');
  for (const key of ['3', '8', '2'])
    await page.getByRole('button', { name: key, exact: true }).click();
  await page.getByRole('button', { name: '保存 38.2 °C' }).click();
  await page.locator('.fever').getByRole('button', { name: '已送发热门诊' }).click();
  await page.getByRole('button', { name: '下一位' }).click();
  await page.getByLabel('通行证码（扫码枪 / 手输）').fill('not a pass');
  await page.keyboard.press('Enter');
  await expect(page.locator('.verdict')).toContainText('无法识别这个码');
  await page.getByRole('link', { name: '访客' }).click();
  await page.getByLabel('姓名', { exact: true }).fill('王五');
  await page.getByLabel('证件号码').fill('430102199003071234');
  await page.getByLabel('来自（地区）').fill('湖北省武汉市');
  await page.getByLabel('来自重点地区').check();
  await page.getByLabel('探访（住户/门牌）').fill('3栋2单元501');
  await page.getByLabel('事由').fill('送药');
  await page.getByRole('button', { name: '登记访客' }).click();
  await expect(page.getByText('访客 王五 已登记')).toBeVisible();

  const expected = {
    passesIn: 4,
    passesOut: 0,
    passesDenied: 1,
    temperatures: 2,
    fevers: 1,
    visitorsIn: 1,
    visitorsFromKeyAreas: 1,
    visitorsStillInside: 1,
    outOfAreaVehicles: 0,
    visitorsWithFlaggedHealthCode: 0,
  };
  await page.getByRole('link', { name: '日报', exact: true }).click();
  await expect(page.getByText('今日有异常：发热 1 人；来自重点地区的访客 1 人。')).toBeVisible();
  // Four passes let in, the unreadable code refused, two readings, the fever's referral, the visitor.
  await expect(page.getByText(/^这一天还有 9 条记录没上传/)).toBeVisible();
  await page.getByLabel('备注 （选填）').fill('发热者已由 120 送县医院');

  const printed = await printedText(page, 'report-day');
  const labels: Record<keyof typeof expected, string> = {
    passesIn: '通行证放行·进',
    passesOut: '通行证放行·出',
    passesDenied: '拒绝通行',
    temperatures: '测温人次',
    fevers: '发热',
    visitorsIn: '访客登记',
    visitorsFromKeyAreas: '其中来自重点地区',
    visitorsStillInside: '日终仍在院内的访客',
    outOfAreaVehicles: '外地车辆',
    visitorsWithFlaggedHealthCode: '黄码或红码的访客',
  };
  const onPaper = figures(printed);
  for (const [key, label] of Object.entries(labels))
    expect([label, onPaper[label]]).toEqual([label, expected[key as keyof typeof expected]]);
  expect(printed).not.toContain('零报告：今日无发热');
  expect(printed).toContain('王*'); // the visitor inside, masked
  expect(printed).not.toContain('王五');
  expect(printed).toContain('李红');
  expect(printed).toContain('发热者已由 120 送县医院');
  expect(printed).not.toContain('提交日报'); // only the report goes on paper

  // The CSV a clerk opens in a spreadsheet reads back to the same numbers.
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: '导出 CSV' }).click();
  const csv = readFileSync((await (await download).path()) ?? '', 'utf8');
  expect(csv.startsWith('\uFEFF')).toBe(true);
  const rows = new Map(parseCsv(csv).map(({ cells }) => [cells[0], cells[2]]));
  for (const [key, value] of Object.entries(expected))
    expect([key, rows.get(key)]).toEqual([key, String(value)]);
  expect(rows.get('deniedByReason.unreadable')).toBe('1');

  // The picture for the chat group: headless Chromium cannot share, so it is downloaded.
  const picture = page.waitForEvent('download');
  await page.getByRole('button', { name: '分享图片' }).click();
  const png = readFileSync((await (await picture).path()) ?? '');
  expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
  expect(png.readUInt32BE(16)).toBe(1080); // width, from the IHDR chunk
  await expect(page.getByText('日报图片已保存到下载。')).toBeVisible();

  // Submitted offline, sent first once the network is back; the roll-up shows this checkpoint as
  // reported and the registry's other checkpoint as missing.
  await page.getByRole('button', { name: '提交日报' }).click();
  const date = await page.getByLabel('日期').inputValue();
  await expect(page.getByText(`${date} 的日报已提交，会优先上传。`)).toBeVisible();
  await context.setOffline(false);
  // Coming back online starts the upload by itself.
  await page.getByRole('link', { name: '上传' }).click();
  await expect(page.getByText('全部已上传。')).toBeVisible();

  const day = await (await page.request.get(`/api/v1/reports/daily?date=${date}`)).json();
  expect(day.missing.map((checkpoint: { id: string }) => checkpoint.id)).toContain('zj-01');
  expect(day.missing.map((checkpoint: { id: string }) => checkpoint.id)).not.toContain('lj-03');
  const community = day.counties[0].children[0].children[0];
  expect(community.name).toBe('东岳社区');
  const gate = community.children.find((checkpoint: { id: string }) => checkpoint.id === 'lj-03');
  expect(gate).toMatchObject({ name: '龙阳小区北门', devices: 1, zero: false, counts: expected });
  const page2 = await (await page.request.get(`/view/daily?date=${date}`)).text();
  expect(page2).toContain('詹家小区东门（zj-01）');
  expect(await cspViolations()).toEqual([]);
});
