import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { expect, type Page, test } from '@playwright/test';
import { setUpDevice } from './helpers';

async function scanPhoto(page: Page, png: Buffer) {
  await page.getByRole('link', { name: '卡口' }).click();
  await page
    .getByLabel('从照片识别')
    .setInputFiles({ name: 'pass.png', mimeType: 'image/png', buffer: png });
}

test('the office issues and prints a pass that gates allow, then revokes it everywhere', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const office = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
  await setUpDevice(office);
  await office.getByRole('link', { name: '设置' }).click();
  await office.getByRole('link', { name: '社区办公室（需要管理员 PIN）' }).click();
  await office.getByLabel('管理员 PIN', { exact: true }).fill('135790');
  await office.getByLabel('再输入一次 PIN').fill('135790');
  await office.getByRole('button', { name: '进入' }).click();

  await office.getByLabel('备份口令（至少 10 个字）').fill('龙阳社区发证口令 2026');
  await office.getByLabel('再输入一次口令').fill('龙阳社区发证口令 2026');
  const downloaded = office.waitForEvent('download');
  await office.getByRole('button', { name: '创建密钥并下载备份' }).click();
  const backup = JSON.parse(readFileSync((await (await downloaded).path()) ?? '', 'utf8'));
  expect(backup).toMatchObject({
    format: 'kadian-issuer-key-1',
    kid: expect.stringMatching(/^[0-9a-f]{8}$/),
  });
  await expect(office.getByText(`密钥编号 ${backup.kid}`, { exact: false })).toBeVisible();

  await office.getByLabel('户号').fill('hh-0501');
  await office.getByLabel('门牌（如 3栋2单元501）').fill('5栋1单元101');
  await office.getByLabel('张数').fill('1');
  await office.getByRole('button', { name: '签发并生成二维码' }).click();
  const passId = `${backup.kid}-000001`;
  await expect(office.getByText(`已签发 1 张：${passId} 至 ${passId}。`)).toBeVisible();

  // On paper: an A4 PDF of the sheet, as Chromium prints it.
  await office.emulateMedia({ media: 'print' });
  writeFileSync(
    'tests/.generated/passes.pdf',
    await office.pdf({ format: 'A4', printBackground: true }),
  );
  // -raw: text in the order it was drawn (CJK and Latin runs come from different fonts).
  const printed = execFileSync('pdftotext', ['-raw', 'tests/.generated/passes.pdf', '-'], {
    encoding: 'utf8',
  });
  expect(printed).toContain('5栋1单元101');
  expect(printed).toContain(passId);
  expect(printed).not.toContain('签发并生成二维码');
  const qr = await office.locator(`.card[data-pass-id="${passId}"] .card__qr`).screenshot();
  await office.emulateMedia({ media: 'screen' });

  // The office's own gate trusts its key already.
  await scanPhoto(office, qr);
  await expect(office.locator('.verdict')).toContainText('通过 · 进');
  await expect(office.locator('.verdict')).toContainText('5栋1单元101 · 有效至');

  // Another gate, given the office's public key.
  const gate = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
  await setUpDevice(gate);
  await gate.getByRole('link', { name: '设置' }).click();
  await gate.getByLabel('信任的发证公钥（每行一个） （选填）').fill(backup.publicKey);
  await gate.getByRole('button', { name: '保存', exact: true }).click();
  await expect(gate.getByText('设置已保存')).toBeVisible();
  await scanPhoto(gate, qr);
  await expect(gate.locator('.verdict')).toContainText('通过 · 进');

  // The office revokes it; once both have synced, the other gate refuses it too.
  await office.getByRole('link', { name: '设置' }).click();
  await office.getByRole('link', { name: '社区办公室（需要管理员 PIN）' }).click();
  await office.getByLabel('管理员 PIN', { exact: true }).fill('135790');
  await office.getByRole('button', { name: '进入' }).click();
  await office.getByLabel('通行证号').fill(passId);
  await office.getByLabel('作废原因（如 挂失）').fill('挂失');
  await office.getByRole('button', { name: '作废', exact: true }).click();
  await expect(office.getByText(`已作废 ${passId}。`, { exact: false })).toBeVisible();
  await office.getByRole('link', { name: '上传' }).click();
  await office.getByRole('button', { name: '立即上传' }).click();
  await expect(office.getByText('全部已上传。')).toBeVisible();

  await gate.getByRole('link', { name: '上传' }).click();
  await gate.getByRole('button', { name: '立即上传' }).click();
  await expect(gate.getByText('全部已上传。')).toBeVisible();
  await scanPhoto(gate, qr);
  await expect(gate.locator('.verdict')).toContainText('不通过 · 进');
  await expect(gate.locator('.verdict')).toContainText('通行证已作废（挂失或收回）');
});
