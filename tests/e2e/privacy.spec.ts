import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { checkIdNumber } from '../../src/domain/identity';
import { ADMIN_PIN, GATE_SECRET, setUpDevice, waitForServiceWorker } from './helpers';
import { storedBodies } from './receiver-db';

const ID = '11010519491231002X';
const PHONE = '13912345678';
const PASSPHRASE = '东岳社区数据密钥口令';

/** Every file of the built app, as text. */
function builtFiles(dir = 'dist'): { file: string; text: string }[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory()
      ? builtFiles(path)
      : [{ file: path, text: readFileSync(path, 'latin1') }];
  });
}

test('with the office’s data key, a visitor’s ID and phone number exist in full only for the key holder', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  // This run's own checkpoint: the receiver's page is searched for its row alone.
  const CHECKPOINT = `dy-${Date.now().toString(36)}`;
  // The office makes the data key (its file downloaded, nothing that decrypts kept) and a setup code.
  const office = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
  await setUpDevice(office);
  await office.goto('/#/office');
  await office.getByLabel('管理员 PIN', { exact: true }).fill(ADMIN_PIN);
  await office.getByLabel('再输入一次 PIN').fill(ADMIN_PIN);
  await office.getByRole('button', { name: '进入' }).click();
  await office.getByLabel('备份口令（至少 10 个字）').fill('东岳社区发证口令 2026');
  await office.getByLabel('再输入一次口令').fill('东岳社区发证口令 2026');
  await office.getByRole('button', { name: '创建密钥并下载备份' }).click();
  await expect(office.getByText(/^密钥编号 [0-9a-f]{8}/)).toBeVisible();
  await expect(
    office.getByText('未开启：证件号和手机号在本机只是在屏幕、打印和导出中打码显示。'),
  ).toBeVisible();
  await office.getByLabel('数据密钥文件的口令（至少 10 个字）').fill(PASSPHRASE);
  await office.getByLabel('再输入一次数据密钥口令').fill(PASSPHRASE);
  const keyDownload = office.waitForEvent('download');
  await office.getByRole('button', { name: '创建数据密钥并下载密钥文件' }).click();
  const keyFile = (await (await keyDownload).path()) ?? '';
  const { kid } = JSON.parse(readFileSync(keyFile, 'utf8'));
  await expect(
    office.getByText(`已开启：证件号和手机号一录入就加密（数据密钥 ${kid}）`, { exact: false }),
  ).toBeVisible();
  // The office keeps no key that decrypts: not in its database, not in its settings.
  const officeStorage = await office.evaluate(dumpStorage);
  expect(officeStorage).toContain(JSON.parse(readFileSync(keyFile, 'utf8')).publicKey);
  expect(officeStorage).not.toContain(JSON.parse(readFileSync(keyFile, 'utf8')).ciphertext);
  await office.getByLabel('卡点编号').last().fill(CHECKPOINT);
  await office.getByLabel('卡点名称').last().fill('东岳小区西门');
  await office.getByLabel('卡口管理口令（卡口进“设置”要用）').fill(GATE_SECRET);
  await office.getByRole('button', { name: '生成设置二维码' }).click();
  const setupLink = await office.getByLabel('设置链接').inputValue();

  // The gate is set up from it; everything its pages and worker log is kept for the search below.
  const gateContext = await browser.newContext({ locale: 'zh-CN' });
  const logged: string[] = [];
  gateContext.on('console', (message) => logged.push(message.text()));
  gateContext.on('weberror', (error) => logged.push(String(error.error())));
  const gate = await gateContext.newPage();
  await gate.goto('/');
  await waitForServiceWorker(gate);
  await gate.getByLabel('设置码或链接（粘贴）').fill(setupLink);
  await gate.getByRole('button', { name: '读取设置码' }).click();
  await gate.getByRole('button', { name: '已核对，使用这些设置' }).click();
  await gate.getByLabel('设备名称').fill('西门手机');
  await gate.getByLabel('志愿者姓名').fill('张敏');
  await gate.getByLabel('值守 PIN（至少 4 位数字，离开时锁屏用）').fill('1357');
  await gate.getByLabel('再输入一次值守 PIN').fill('1357');
  await gate.getByRole('button', { name: '开始值守' }).click();
  // Set up by the office's code: its Settings open with the office's gate admin secret.
  await gate.getByRole('link', { name: '设置' }).click();
  await gate.getByLabel('卡口管理口令（社区办公室给的）').fill(GATE_SECRET);
  await gate.getByRole('button', { name: '进入' }).click();
  await expect(
    gate.getByText(`已开启：证件号和手机号一录入就加密（数据密钥 ${kid}）`, { exact: false }),
  ).toBeVisible();
  const deviceId = ((await gate.getByText(/^设备编号：/).textContent()) ?? '').slice(5);

  // A visitor, first with a mistake in the number: the message names the field, not the number.
  await gate.getByRole('link', { name: '访客' }).click();
  await gate.getByLabel('姓名', { exact: true }).fill('王五');
  await gate.getByLabel('证件号码').fill('110105194912310021');
  await gate.getByLabel('手机号 （选填）').fill(PHONE);
  await gate.getByLabel('来自（地区）').fill('湖南省长沙市');
  await gate.getByLabel('探访（住户/门牌）').fill('3栋2单元501');
  await gate.getByLabel('事由').fill('送药');
  await gate.getByRole('button', { name: '登记访客' }).click();
  await expect(gate.locator('.field__error')).toHaveText(
    '证件号码：校验位（最后一位）不对，请核对号码',
  );
  await gate.getByLabel('证件号码').fill(ID);
  await gate.getByRole('button', { name: '登记访客' }).click();
  await expect(gate.getByText('访客 王五 已登记')).toBeVisible();
  await gate.getByRole('button', { name: '36.5', exact: true }).click();
  await gate.getByRole('button', { name: '保存 36.5 °C' }).click();
  await expect(gate.getByText('已记录 36.5 °C')).toBeVisible();
  // The log shows the masked forms only.
  await gate.getByRole('link', { name: '今日记录' }).click();
  await expect(gate.getByText('王五 · 1101**********002X', { exact: false })).toBeVisible();
  await expect(gate.locator('main')).not.toContainText(ID);
  // Uploaded: the receiver keeps the ciphertext and the masked forms.
  await gate.getByRole('link', { name: '上传' }).click();
  await expect(gate.getByText('全部已上传。')).toBeVisible();
  const stored = storedBodies(deviceId);
  expect(stored).toHaveLength(3);
  const visitor = JSON.parse(stored.find((body) => body.includes('"visitor-in"')) ?? '{}');
  expect(visitor.data.idNumber).toEqual({ enc: expect.any(String), masked: '1101**********002X' });
  expect(visitor.data.phone).toEqual({ enc: expect.any(String), masked: '139****5678' });

  // The search: the device's storage, everything logged, what was sent, and the built app.
  const unmasked = (text: string) =>
    [ID, ID.slice(4, 14), PHONE].filter((secret) => text.includes(secret));
  const gateStorage = await gate.evaluate(dumpStorage);
  expect(gateStorage).toContain('1101**********002X');
  expect(unmasked(gateStorage)).toEqual([]);
  // (What the pages log does reach this list.)
  await gate.evaluate(() => console.info('kadian-console-probe'));
  await expect.poll(() => logged.includes('kadian-console-probe')).toBe(true);
  expect(unmasked(logged.join('\n'))).toEqual([]);
  expect(unmasked(stored.join('\n'))).toEqual([]);
  const idsInBundle = builtFiles().flatMap(({ file, text }) =>
    (text.match(/(?<![0-9])[1-9]\d{16}[\dX](?![0-9])/g) ?? [])
      .filter((candidate) => checkIdNumber('resident', candidate, new Date()) === null)
      .map((id) => `${file}: ${id}`),
  );
  expect(idsInBundle).toEqual([]);
  expect(builtFiles().map(({ file }) => file)).toContain(join('dist', 'index.html'));

  // At the receiver, the office's visitors page shows the number masked, and in full only once the
  // data key file and its passphrase are given.
  const date = new Date().toLocaleDateString('sv');
  await office.goto(`/view/visitors?date=${date}`);
  const row = office.locator('tr', { hasText: CHECKPOINT });
  await expect(row).toContainText('居民身份证 1101**********002X');
  await expect(row).toContainText('139****5678');
  await office.getByLabel('数据密钥文件').setInputFiles(keyFile);
  await office.getByLabel('口令').fill('不是这个口令');
  await office.getByRole('button', { name: '查看完整号码' }).click();
  await expect(office.getByRole('alert')).toHaveText('口令不对，或者密钥文件损坏。');
  await expect(office.locator('body')).not.toContainText(ID);
  await office.getByLabel('数据密钥文件').setInputFiles(keyFile);
  await office.getByLabel('口令').fill(PASSPHRASE);
  await office.getByRole('button', { name: '查看完整号码' }).click();
  await expect(office.getByRole('status')).toContainText(`已用数据密钥 ${kid} 打开`);
  await expect(row).toContainText(`居民身份证 ${ID}`);
  await expect(row).toContainText(PHONE);
});

/** Everything this origin keeps in the page's reach: every IndexedDB database, Web Storage, caches' URLs. */
async function dumpStorage(): Promise<string> {
  const parts: unknown[] = [{ ...localStorage }, { ...sessionStorage }];
  for (const { name } of await indexedDB.databases()) {
    if (!name) continue;
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open(name);
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    for (const store of db.objectStoreNames) {
      parts.push(
        await new Promise((resolve, reject) => {
          const all = db.transaction(store).objectStore(store).getAll();
          all.onsuccess = () => resolve([name, store, all.result]);
          all.onerror = () => reject(all.error);
        }),
      );
    }
    db.close();
  }
  for (const cache of await caches.keys())
    parts.push((await (await caches.open(cache)).keys()).map((request) => request.url));
  return JSON.stringify(parts);
}
