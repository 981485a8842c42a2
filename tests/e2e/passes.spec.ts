import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, expect, type Page, test } from '@playwright/test';
import { chromiumArgs, chromiumPath } from '../../playwright.config';
import { y4mFrames } from './global-setup';
import {
  ADMIN_PIN,
  expectAccessible,
  GATE_SECRET,
  openSettings,
  setUpDevice,
  waitForServiceWorker,
  watchCspViolations,
} from './helpers';

/**
 * What a gate's camera sees held over the first card of the printed sheet: 640×480 of page 1
 * around the card's QR code (its centre in CSS pixels of the A4 page), rendered from the PDF by
 * poppler, as a Y4M video for Chromium's fake camera. A hand is never still: the frames come from
 * 180 to 220 dpi (the decoder can miss a code at one size and read it at another, as a phone
 * moving closer would).
 */
function sheetAsCameraVideo(pdf: string, video: string, qrCentre: { x: number; y: number }) {
  const [width, height] = [640, 480];
  // CSS pixels are 96 to the inch: the centre at 200 dpi.
  const [centreX, centreY] = [(qrCentre.x * 200) / 96, (qrCentre.y * 200) / 96];
  const frames = [200, 180, 210, 190, 220].map((dpi) => {
    const scale = dpi / 200;
    const pgm = execFileSync('pdftoppm', [
      ...['-r', String(dpi), '-gray', '-f', '1', '-l', '1', '-singlefile'],
      ...['-x', String(Math.round(centreX * scale - width / 2))],
      ...['-y', String(Math.max(0, Math.round(centreY * scale - height / 2)))],
      ...['-W', String(width), '-H', String(height)],
      pdf,
    ]);
    // Binary PGM: "P5\n640 480\n255\n", then one byte per pixel.
    const header = `P5\n${width} ${height}\n255\n`;
    expect(pgm.subarray(0, header.length).toString('latin1')).toBe(header);
    return pgm.subarray(header.length);
  });
  writeFileSync(video, y4mFrames(frames, width, height));
  return resolve(video);
}

async function typeCode(page: Page, code: string) {
  await page.getByLabel('通行证码（扫码枪 / 手输）').fill(code);
  await page.keyboard.press('Enter');
}

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
  const officeContext = await browser.newContext({ locale: 'zh-CN' });
  // The office inserts QR codes as SVG markup: still nothing the policy refuses.
  const cspViolations = await watchCspViolations(officeContext);
  const office = await officeContext.newPage();
  await setUpDevice(office);
  // Settings open with the admin PIN (set on first entry); the office asks for it again.
  await openSettings(office);
  await office.getByRole('link', { name: '社区办公室（需要管理员 PIN）' }).click();
  await office.getByLabel('管理员 PIN', { exact: true }).fill(ADMIN_PIN);
  await office.getByRole('button', { name: '进入' }).click();

  await office.getByLabel('备份口令（至少 10 个字）').fill('龙阳社区发证口令 2026');
  await office.getByLabel('再输入一次口令').fill('龙阳社区发证口令 2026');
  const downloaded = office.waitForEvent('download');
  await office.getByRole('button', { name: '创建密钥并下载备份' }).click();
  const backupPath = (await (await downloaded).path()) ?? '';
  const backup = JSON.parse(readFileSync(backupPath, 'utf8'));
  expect(backup).toMatchObject({
    format: 'kadian-issuer-key-1',
    kid: expect.stringMatching(/^[0-9a-f]{8}$/),
  });
  await expect(office.getByText(`密钥编号 ${backup.kid}`, { exact: false })).toBeVisible();

  await office.getByLabel('社区办公室电话（印在卡上）').fill('0736-2891234');
  await office.getByLabel('户号').fill('hh-0501');
  await office.getByLabel('门牌（如 3栋2单元501）').fill('5栋1单元101');
  await office.getByLabel('张数').fill('1');
  await office.getByLabel('每户外出次数（留空不限）').fill('1');
  await office.getByLabel('按多少天计', { exact: true }).fill('2');
  await office.getByLabel('禁止外出时段（如 22:00-06:00，留空不限）').fill('22:00-06:00');
  await office.getByRole('button', { name: '签发并生成二维码' }).click();
  const passId = `${backup.kid}-000001`;
  await expect(office.getByText(`已为 1 户签发 1 张：${passId} 至 ${passId}。`)).toBeVisible();
  await expectAccessible(office, 'office with an issued sheet');

  // On paper: an A4 PDF of the sheet, as Chromium prints it. Laid out at the page's width, the
  // QR code's box is where it lands on paper.
  await office.emulateMedia({ media: 'print' });
  const screenSize = office.viewportSize();
  await office.setViewportSize({ width: 794, height: 1123 });
  const qrBox = await office.locator(`.card[data-pass-id="${passId}"] .card__qr svg`).boundingBox();
  writeFileSync(
    'tests/.generated/passes.pdf',
    await office.pdf({ format: 'A4', printBackground: true }),
  );
  if (screenSize) await office.setViewportSize(screenSize);
  // One card, one page: the office screen behind it adds no blank pages.
  expect(
    execFileSync('pdfinfo', ['tests/.generated/passes.pdf'], { encoding: 'utf8' }).match(
      /^Pages:\s+(\d+)$/m,
    )?.[1],
  ).toBe('1');
  // -raw: text in the order it was drawn (CJK and Latin runs come from different fonts).
  const printed = execFileSync('pdftotext', ['-raw', 'tests/.generated/passes.pdf', '-'], {
    encoding: 'utf8',
  });
  for (const line of [
    '出入证 · 龙阳小区',
    '5栋1单元101',
    '户号 hh-0501',
    '每 2 天可外出 1 次',
    '22:00–06:00 不得外出',
    '社区办公室 0736-2891234',
    `编号 ${passId}`,
  ])
    expect(printed).toContain(line);
  expect(printed).toMatch(/有效期 \d{4}-\d{2}-\d{2} 至 \d{4}-\d{2}-\d{2}/);
  expect(printed).not.toContain('签发并生成二维码');
  const qr = await office.locator(`.card[data-pass-id="${passId}"] .card__qr`).screenshot();
  await office.emulateMedia({ media: 'screen' });
  const video = sheetAsCameraVideo('tests/.generated/passes.pdf', 'tests/.generated/sheet.y4m', {
    x: (qrBox?.x ?? 0) + (qrBox?.width ?? 0) / 2,
    y: (qrBox?.y ?? 0) + (qrBox?.height ?? 0) / 2,
  });

  // The office's own gate trusts its key already.
  await scanPhoto(office, qr);
  await expect(office.locator('.verdict')).toContainText('通过 · 进');
  await expect(office.locator('.verdict')).toContainText('通过 · 进5栋1单元101');

  // Another gate, given the office's public key, whose camera is held over the printed sheet.
  const cameraBrowser = await chromium.launch({
    executablePath: chromiumPath,
    args: chromiumArgs(video),
  });
  const gate = await (
    await cameraBrowser.newContext({
      locale: 'zh-CN',
      baseURL: test.info().project.use.baseURL,
      permissions: ['camera'],
    })
  ).newPage();
  await setUpDevice(gate);
  await openSettings(gate);
  await gate.getByLabel('信任的发证公钥（每行一个） （选填）').fill(backup.publicKey);
  await gate.getByRole('button', { name: '保存', exact: true }).click();
  await expect(gate.getByText('设置已保存')).toBeVisible();
  const scanWithCamera = async (verdict: string) => {
    await gate.getByRole('link', { name: '卡口' }).click();
    await gate.getByRole('button', { name: '打开摄像头扫码' }).click();
    // A cold camera and decoder can take a while on a loaded machine.
    await expect(gate.locator(`.verdict[data-pass-id="${passId}"]`)).toContainText(verdict, {
      timeout: 30_000,
    });
    // Leaving the gate screen (next) stops the camera.
  };
  await scanWithCamera('通过 · 进');
  await expect(gate.locator('.verdict')).toContainText('通过 · 进5栋1单元101');

  // The office revokes it; once both have synced, the other gate refuses it too.
  await openSettings(office);
  await office.getByRole('link', { name: '社区办公室（需要管理员 PIN）' }).click();
  await office.getByLabel('管理员 PIN', { exact: true }).fill(ADMIN_PIN);
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
  await scanWithCamera('禁止通行 · 进');
  await expect(gate.locator('.verdict')).toContainText('通行证已作废（挂失或收回）');

  // A second office computer takes over the key from its backup file and issues with it.
  const office2 = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
  await setUpDevice(office2);
  await office2.goto('/#/office');
  await office2.getByLabel('管理员 PIN', { exact: true }).fill('246810');
  await office2.getByLabel('再输入一次 PIN').fill('246810');
  await office2.getByRole('button', { name: '进入' }).click();
  await office2.getByLabel('选择备份文件').setInputFiles(backupPath);
  await office2.getByLabel('备份时设的口令').fill('龙阳社区发证口令 2025');
  await office2.getByRole('button', { name: '恢复密钥' }).click();
  await expect(office2.getByText('口令不对。')).toBeVisible();
  await office2.getByLabel('备份时设的口令').fill('龙阳社区发证口令 2026');
  await office2.getByRole('button', { name: '恢复密钥' }).click();
  await expect(office2.getByText(`密钥编号 ${backup.kid}`, { exact: false })).toBeVisible();
  await office2.getByLabel('社区办公室电话（印在卡上）').fill('0736-2891234');
  await office2.getByLabel('户号').fill('hh-0502');
  await office2.getByLabel('门牌（如 3栋2单元501）').fill('5栋1单元102');
  await office2.getByLabel('张数').fill('9');
  await office2.getByRole('button', { name: '签发并生成二维码' }).click();
  await expect(office2.locator('.card')).toHaveCount(9);
  const restoredCard = office2.locator('.card').first();
  // Nine cards in English: two A4 pages, the second with one card and no blank page after it.
  await office2.getByLabel('卡片文字').selectOption({ label: 'English' });
  await expect(office2.locator('.sheet')).toHaveAttribute('lang', 'en');
  await office2.emulateMedia({ media: 'print' });
  writeFileSync('tests/.generated/passes-en.pdf', await office2.pdf({ format: 'A4' }));
  await office2.emulateMedia({ media: 'screen' });
  expect(
    execFileSync('pdfinfo', ['tests/.generated/passes-en.pdf'], { encoding: 'utf8' }).match(
      /^Pages:\s+(\d+)$/m,
    )?.[1],
  ).toBe('2');
  const english = execFileSync(
    'pdftotext',
    ['-raw', '-f', '2', '-l', '2', 'tests/.generated/passes-en.pdf', '-'],
    { encoding: 'utf8' },
  );
  expect(english).toContain('Entry pass · 龙阳小区');
  expect(english).toContain('Household hh-0502');
  expect(english).toContain('Community office 0736-2891234');
  expect(english.match(/Household hh-0502/g)).toHaveLength(1);
  // Its own series of numbers: never one the first office computer already gave out.
  expect(await restoredCard.getAttribute('data-pass-id')).toMatch(
    new RegExp(`^${backup.kid}-r[0-9a-z]{4}-000001$`),
  );
  await gate.getByRole('link', { name: '卡口' }).click();
  await typeCode(gate, (await restoredCard.getAttribute('data-code')) ?? '');
  await expect(gate.locator('.verdict')).toContainText('通过 · 进');
  await expect(gate.locator('.verdict')).toContainText('通过 · 进5栋1单元102');
  expect(await cspViolations()).toEqual([]);
  await cameraBrowser.close();
});

test('a gate set up from the office’s setup code allows the office’s pass and refuses a forged one, all offline', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  // A sharp screen, as a phone held to the office PC's monitor would see the long setup code.
  const officeContext = await browser.newContext({ locale: 'zh-CN', deviceScaleFactor: 2 });
  const office = await officeContext.newPage();
  await setUpDevice(office);
  // The office works with the network off as well.
  await officeContext.setOffline(true);
  await office.goto('/#/office');
  await office.getByLabel('管理员 PIN', { exact: true }).fill('135790');
  await office.getByLabel('再输入一次 PIN').fill('135790');
  await office.getByRole('button', { name: '进入' }).click();
  await office.getByLabel('备份口令（至少 10 个字）').fill('龙阳社区发证口令 2026');
  await office.getByLabel('再输入一次口令').fill('龙阳社区发证口令 2026');
  await office.getByRole('button', { name: '创建密钥并下载备份' }).click();
  const kid = ((await office.getByText(/^密钥编号 [0-9a-f]{8}/).textContent()) ?? '').slice(5, 13);

  await office.getByLabel('社区办公室电话（印在卡上）').fill('0736-2891234');
  // Households from a spreadsheet: a file with a bad row issues nothing; the corrected one issues all.
  const households = (rows: string) => ({
    name: 'households.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(`\uFEFF户号,门牌,张数\r\n${rows}`),
  });
  await office
    .getByLabel('选择 CSV 文件并签发')
    .setInputFiles(households('hh-0777,7栋3单元702,1\r\nhh-0778,,1\r\n'));
  await expect(office.getByText('第 3 行：门牌（如 3栋2单元501）：必填')).toBeVisible();
  await expect(office.locator('.card')).toHaveCount(0);
  await office
    .getByLabel('选择 CSV 文件并签发')
    .setInputFiles(households('hh-0777,7栋3单元702,1\r\nhh-0778,7栋3单元703,2\r\n'));
  await expect(
    office.getByText(`已为 2 户签发 3 张：${kid}-000001 至 ${kid}-000003。`),
  ).toBeVisible();
  const passCode =
    (await office.locator(`.card[data-pass-id="${kid}-000001"]`).getAttribute('data-code')) ?? '';
  await office.getByLabel('卡点编号').last().fill('lj-04');
  await office.getByLabel('卡点名称').last().fill('龙阳小区南门');
  await office.getByLabel('卡口管理口令（卡口进“设置”要用）').fill(GATE_SECRET);
  await office.getByRole('button', { name: '生成设置二维码' }).click();
  await expect(office.locator('.setup-code__qr svg')).toBeVisible();
  // What the gate's camera takes of the office screen: the setup QR (the link carries the same code).
  const setupPhoto = await office.locator('.setup-code__qr').screenshot();
  expect(await office.getByLabel('设置链接').inputValue()).toMatch(
    /^http:\/\/127\.0\.0\.1:\d+\/#setup=KDS1\./,
  );

  // A forger knows the office's key id but not its private key.
  const { getPublicKeyAsync: _, signAsync, utils } = await import('@noble/ed25519');
  const now = Math.floor(Date.now() / 1000);
  const forgedPayload = {
    v: 1,
    kid,
    pid: `${kid}-999999`,
    hh: 'hh-0777',
    cp: ['ly-xq'],
    addr: '7栋3单元702',
    nb: now - 60,
    na: now + 86400,
  };
  const head = `KD1.${Buffer.from(JSON.stringify(forgedPayload)).toString('base64url')}`;
  const forgedSignature = Buffer.from(
    await signAsync(new TextEncoder().encode(head), utils.randomSecretKey()),
  ).toString('base64url');
  const forgedCode = `${head}.${forgedSignature}`;

  const gateContext = await browser.newContext({ locale: 'zh-CN' });
  const gate = await gateContext.newPage();
  await gate.goto('/');
  await waitForServiceWorker(gate);
  await gateContext.setOffline(true);
  await gate.reload();
  await gate
    .getByLabel('从照片读取设置二维码')
    .setInputFiles({ name: 'setup.png', mimeType: 'image/png', buffer: setupPhoto });
  await expect(
    gate.getByText(`请与社区办公室核对密钥编号：${kid.slice(0, 4)} ${kid.slice(4)}`, {
      exact: false,
    }),
  ).toBeVisible();
  await gate.getByRole('button', { name: '已核对，使用这些设置' }).click();
  await expect(gate.getByText('已读取“龙阳小区南门”的设置。', { exact: false })).toBeVisible();
  // The code says which checkpoint this is: its name is shown, its ids kept under "advanced".
  await expect(gate.locator('.picked')).toHaveText(/^龙阳小区南门 · /);
  await expect(gate.getByLabel('卡点编号')).toBeHidden();
  await expect(gate.getByLabel('卡点编号')).toHaveValue('lj-04');
  await gate.getByLabel('设备名称').fill('南门手机');
  await gate.getByLabel('志愿者姓名').fill('王芳');
  await gate.getByLabel('值守 PIN（至少 4 位数字，离开时锁屏用）').fill('1357');
  await gate.getByLabel('再输入一次值守 PIN').fill('1357');
  await gate.getByRole('button', { name: '开始值守' }).click();

  // This gate has a barcode scanner: the code field takes what the camera would read.
  await typeCode(gate, passCode);
  await expect(gate.locator('.verdict')).toContainText('通过 · 进');
  await expect(gate.locator('.verdict')).toContainText('通过 · 进7栋3单元702');
  await typeCode(gate, forgedCode);
  await expect(gate.locator('.verdict')).toContainText('禁止通行 · 进');
  await expect(gate.locator('.verdict')).toContainText('通行证是伪造或被改过的');

  // The card is reported lost: the office revokes it and hands the list over as a file.
  await office.getByLabel('通行证号').fill(`${kid}-000001`);
  await office.getByLabel('作废原因（如 挂失）').fill('挂失');
  await office.getByRole('button', { name: '作废', exact: true }).click();
  const listDownload = office.waitForEvent('download');
  await office.getByRole('button', { name: '生成作废名单' }).click();
  const listPath = (await (await listDownload).path()) ?? '';
  // The list holds every revocation the office knows, also those its sync pulled from the receiver.
  const listed = readFileSync(listPath, 'utf8')
    .trim()
    .split('\n')
    .flatMap(
      (code) => JSON.parse(Buffer.from(code.split('.')[1] ?? '', 'base64url').toString()).pids,
    );
  expect(listed).toContain(`${kid}-000001`);
  const codes = Math.ceil(listed.length / 40);
  await expect(
    office.getByText(`作废名单含 ${listed.length} 张通行证，共 ${codes} 个二维码。`),
  ).toBeVisible();
  await expect(office.locator('.revocation-codes svg')).toHaveCount(codes);

  // The setup brought the office's gate admin secret: it alone opens this gate's settings (no new
  // PIN can be set here), where the list is imported.
  await gate.getByRole('link', { name: '设置' }).click();
  await expect(gate.getByLabel('卡口管理口令（社区办公室给的）')).toBeVisible();
  await expect(gate.getByLabel('再输入一次 PIN')).toHaveCount(0);
  await openSettings(gate);
  await gate.getByLabel('从文件导入').setInputFiles(listPath);
  await expect(gate.getByText(`已导入 ${listed.length} 张作废的通行证。`)).toBeVisible();
  await gate.getByRole('link', { name: '卡口' }).click();
  await typeCode(gate, passCode);
  await expect(gate.locator('.verdict')).toContainText('禁止通行 · 进');
  await expect(gate.locator('.verdict')).toContainText('通行证已作废（挂失或收回）');
  await gateContext.setOffline(false);
});
