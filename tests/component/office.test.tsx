import { fireEvent, screen, waitFor } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { createIssuer, issuerSigner } from '../../src/app/office/keys';
import { OfficeScreen } from '../../src/app/office/office-screen';
import { SettingsScreen } from '../../src/app/settings/settings-screen';
import { writeMeta } from '../../src/db/settings';
import { DEFAULT_SYNC } from '../../src/domain/config';
import { parseKd1 } from '../../src/domain/pass';
import { encodeRevocations } from '../../src/domain/revocation-code';
import { hashPin } from '../../src/domain/secrets';
import { GATE_SECRET, renderInSession, testConfig, unlockSettings } from './session';

const type = (label: string, value: string) =>
  fireEvent.input(screen.getByLabelText(label, { exact: true }), { target: { value } });

const csvFile = (text: string) => new File([text], 'households.csv', { type: 'text/csv' });

async function openOffice(config = testConfig, officePhone?: string) {
  const view = renderInSession(<OfficeScreen />, { config });
  const { issuer } = await createIssuer('龙阳社区发证口令 2026', 1);
  await writeMeta(view.db, 'adminPin', await hashPin('135790'));
  await writeMeta(view.db, 'issuer', issuer);
  if (officePhone) await writeMeta(view.db, 'officePhone', officePhone);
  await screen.findByLabelText('管理员 PIN');
  type('管理员 PIN', '135790');
  fireEvent.click(screen.getByRole('button', { name: '进入' }));
  await screen.findByText('从表格批量签发');
  return { ...view, issuer };
}

describe('the office’s CSV import', () => {
  it('lists every bad row by line and issues nothing; a good file issues every household', async () => {
    const { db, issuer } = await openOffice();
    const pick = () => screen.getByLabelText('选择 CSV 文件并签发');

    fireEvent.change(pick(), {
      target: { files: [csvFile('户号,门牌,张数\nhh-1,1栋101,1\n,2栋202,1\nhh-3,3栋303,0\n')] },
    });
    expect(await screen.findByText('文件没有签发，请改正后再选一次：')).toBeTruthy();
    expect(screen.getByText('第 3 行：户号：必填')).toBeTruthy();
    expect(screen.getByText('第 4 行：张数：应为 1–50 的整数')).toBeTruthy();
    expect(document.querySelectorAll('.card')).toHaveLength(0);
    expect(await db.meta.get('passSeq')).toBeUndefined();

    // GB18030, as a Chinese spreadsheet program saves it: "户号,门牌\nhh-1,1栋101\nhh-2,2栋202\n".
    const gbk = new Uint8Array([
      0xbb, 0xa7, 0xba, 0xc5, 0x2c, 0xc3, 0xc5, 0xc5, 0xc6, 0x0a, 0x68, 0x68, 0x2d, 0x31, 0x2c,
      0x31, 0xb6, 0xb0, 0x31, 0x30, 0x31, 0x0a, 0x68, 0x68, 0x2d, 0x32, 0x2c, 0x32, 0xb6, 0xb0,
      0x32, 0x30, 0x32, 0x0a,
    ]);
    fireEvent.change(pick(), {
      target: { files: [new File([gbk], 'households.csv', { type: 'text/csv' })] },
    });
    const first = `${issuer.kid}-000001`;
    const last = `${issuer.kid}-000004`;
    expect(await screen.findByText(`已为 2 户签发 4 张：${first} 至 ${last}。`)).toBeTruthy();
    expect(screen.queryByText('文件没有签发，请改正后再选一次：')).toBeNull();
    const cards = [...document.querySelectorAll<HTMLElement>('.card')];
    expect(cards.map((card) => parseKd1(card.dataset.code ?? '')?.payload.addr)).toEqual([
      '1栋101',
      '1栋101',
      '2栋202',
      '2栋202',
    ]);
    expect(cards.map((card) => card.querySelector('.card__addr')?.textContent)).toEqual([
      '1栋101',
      '1栋101',
      '2栋202',
      '2栋202',
    ]);
    expect((await db.meta.get('passSeq'))?.value).toBe(4);
  });
});

describe('the pass cards', () => {
  const cardText = (card: Element | undefined) =>
    [...(card?.querySelectorAll('.card__text p') ?? [])].map((line) => line.textContent);

  it('print the address, household, rules in words, validity and the office’s phone, in the language chosen', async () => {
    // The checkpoint's curfew applies to passes without their own; this household has its own quota.
    const { db, issuer } = await openOffice({
      ...testConfig,
      rules: { ...testConfig.rules, curfew: '22:00-06:00' },
    });
    type('社区办公室电话（印在卡上）', '');
    type('户号', 'hh-0501');
    type('门牌（如 3栋2单元501）', '5栋1单元101');
    type('张数', '1');
    type('生效日期', '2026-12-04');
    type('截止日期', '2027-01-03');
    type('每户外出次数（留空不限）', '1');
    type('按多少天计', '2');
    fireEvent.click(screen.getByRole('button', { name: '签发并生成二维码' }));
    expect(
      await screen.findByText('社区办公室电话（印在卡上）：必填', { selector: 'li' }),
    ).toBeTruthy();
    expect(document.querySelectorAll('.card')).toHaveLength(0);

    type('社区办公室电话（印在卡上）', '0736-289 1234');
    fireEvent.click(screen.getByRole('button', { name: '签发并生成二维码' }));
    await screen.findByText(`已为 1 户签发 1 张：${issuer.kid}-000001 至 ${issuer.kid}-000001。`);
    const card = () => document.querySelector('.card') ?? undefined;
    expect(card()?.querySelector('.card__title')?.textContent).toBe('出入证 · 龙阳小区');
    expect(cardText(card())).toEqual([
      '5栋1单元101',
      '户号 hh-0501',
      '每 2 天可外出 1 次',
      '22:00–06:00 不得外出',
      '有效期 2026-12-04 至 2027-01-03',
      '社区办公室 0736-2891234',
      `编号 ${issuer.kid}-000001`,
    ]);
    expect(document.querySelector('.sheet')?.getAttribute('lang')).toBe('zh-CN');
    expect((await db.meta.get('officePhone'))?.value).toBe('0736-2891234');

    fireEvent.change(screen.getByLabelText('卡片文字'), { target: { value: 'en' } });
    await waitFor(() => expect(document.querySelector('.sheet')?.getAttribute('lang')).toBe('en'));
    expect(card()?.querySelector('.card__title')?.textContent).toBe('Entry pass · 龙阳小区');
    expect(cardText(card())).toEqual([
      '5栋1单元101',
      'Household hh-0501',
      'Out 1 time in 2 days',
      'No going out 22:00–06:00',
      'Valid 2026-12-04 to 2027-01-03',
      'Community office 0736-2891234',
      `No. ${issuer.kid}-000001`,
    ]);
    // The codes are the same whatever the card's words.
    expect(parseKd1((card() as HTMLElement).dataset.code ?? '')?.payload.pid).toBe(
      `${issuer.kid}-000001`,
    );
  });

  it('lays N cards on ceil(N/8) pages and remembers the office’s phone', async () => {
    // Saved when the office last issued; the hotline of its settings (0736-2891234) is only the default.
    await openOffice(testConfig, '0736-1234567');
    await waitFor(() =>
      expect((screen.getByLabelText('社区办公室电话（印在卡上）') as HTMLInputElement).value).toBe(
        '0736-1234567',
      ),
    );
    type('户号', 'hh-0601');
    type('门牌（如 3栋2单元501）', '6栋101');
    type('张数', '17');
    fireEvent.click(screen.getByRole('button', { name: '签发并生成二维码' }));
    await waitFor(() => expect(document.querySelectorAll('.card')).toHaveLength(17));
    expect(
      [...document.querySelectorAll('.sheet__page')].map(
        (page) => page.querySelectorAll('.card').length,
      ),
    ).toEqual([8, 8, 1]);
    expect(cardText(document.querySelector('.card') ?? undefined)).toContain(
      '社区办公室 0736-1234567',
    );
  });
});

describe('a device set up by an office’s setup code', () => {
  const provisioned = {
    ...testConfig,
    provisionedBy: '1a2b3c4d',
    sync: {
      endpoint: 'https://report.example.cn/api/v1',
      adapter: 'native' as const,
      token: 'device-token-1',
      batchSize: 200,
      backoffBaseMs: 1000,
      backoffCapMs: 300_000,
      timeoutMs: 30_000,
    },
  };

  it('opens its settings, upload address included, only with the gate admin secret the setup brought', async () => {
    const { db, currentConfig } = renderInSession(<SettingsScreen />, { config: provisioned });
    await writeMeta(db, 'adminPin', await hashPin('135790'));
    await screen.findByLabelText(GATE_SECRET);
    expect(screen.queryByLabelText('上传地址 （选填）')).toBeNull();
    // A provisioned device offers no "set a PIN": only the office's opens it.
    expect(screen.queryByLabelText('再输入一次 PIN')).toBeNull();
    type(GATE_SECRET, '135791');
    fireEvent.click(screen.getByRole('button', { name: '进入' }));
    expect(await screen.findByText('PIN 不对。')).toBeTruthy();
    expect(screen.queryByLabelText('上传地址 （选填）')).toBeNull();

    type(GATE_SECRET, '135790');
    fireEvent.click(screen.getByRole('button', { name: '进入' }));
    expect(((await screen.findByLabelText('上传地址 （选填）')) as HTMLInputElement).value).toBe(
      'https://report.example.cn/api/v1',
    );
    type('上传地址 （选填）', 'https://report2.example.cn/api/v1');
    expect(screen.queryByText('设置已保存')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: '保存' }));
    await screen.findByText('设置已保存');
    expect(currentConfig().sync?.endpoint).toBe('https://report2.example.cn/api/v1');
  });

  it('makes each try wait longer after three wrong secrets, even the right PIN, across reloads', async () => {
    const { db } = renderInSession(<SettingsScreen />, { config: provisioned });
    await writeMeta(db, 'adminPin', await hashPin('135790'));
    await screen.findByLabelText(GATE_SECRET);
    const wrong = async () => (await db.meta.get('adminPinAttempts'))?.value as { wrong: number };
    const attempt = async (pin: string, answer: string, count: number) => {
      type(GATE_SECRET, pin);
      fireEvent.click(screen.getByRole('button', { name: '进入' }));
      await waitFor(async () => expect((await wrong())?.wrong).toBe(count));
      await waitFor(() => expect(document.querySelector('p.issues')?.textContent).toBe(answer));
    };
    await attempt('000001', 'PIN 不对。', 1);
    await attempt('000002', 'PIN 不对。', 2);
    await attempt('000003', 'PIN 不对。错误次数太多，请 2 秒后再试。', 3);
    // Even the right PIN waits; the count does not move.
    await attempt('135790', 'PIN 错误次数太多，请 2 秒后再试。', 3);
    expect(screen.queryByLabelText('上传地址 （选填）')).toBeNull();
    expect(await db.meta.get('adminPinAttempts')).toMatchObject({ value: { wrong: 3 } });
  });

  it('offers no way to set a PIN of one’s own when the setup brought none', async () => {
    renderInSession(<SettingsScreen />, { config: provisioned });
    expect(
      await screen.findByText(
        '这台设备由社区办公室的设置码设置，设置码里没有管理员 PIN：只能用社区办公室的新设置码修改。',
      ),
    ).toBeTruthy();
    expect(screen.queryByLabelText('再输入一次 PIN')).toBeNull();
  });

  it('imports a signed revocation list and refuses an altered one', async () => {
    const { issuer } = await createIssuer('龙阳社区发证口令 2026', 1);
    const { db } = renderInSession(<SettingsScreen />, {
      config: { ...provisioned, issuerKeys: [issuer.publicKey] },
    });
    await unlockSettings(db);
    const codes = await encodeRevocations(
      Array.from({ length: 45 }, (_, i) => `${issuer.kid}-${String(i + 1).padStart(6, '0')}`),
      { kid: issuer.kid, sign: issuerSigner(issuer) },
      1_764_403_200_000,
    );
    const [first = '', second = ''] = codes;
    const [prefix, payload, signature] = first.split('.');
    const list = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString());
    list.pids[0] = `${issuer.kid}-999999`;
    const altered = `${prefix}.${Buffer.from(JSON.stringify(list)).toString('base64url')}.${signature}`;
    type('作废码（粘贴，每行一个）', `${altered}\n${second}`);
    fireEvent.click(screen.getByRole('button', { name: '导入' }));
    expect(await screen.findByText('作废名单被改动过，不能使用。')).toBeTruthy();
    expect(await db.revocations.count()).toBe(0);

    type('作废码（粘贴，每行一个）', codes.join('\n'));
    fireEvent.click(screen.getByRole('button', { name: '导入' }));
    expect(await screen.findByText('已导入 45 张作废的通行证。')).toBeTruthy();
    expect(await db.revocations.get(`${issuer.kid}-000045`)).toEqual({
      passId: `${issuer.kid}-000045`,
      reason: '',
      revokedAt: 1_764_403_200_000,
    });
  });
});

describe('the office revoking a pass', () => {
  it('signs the revocation with its issuer key, so a gate trusting the key counts it when pulled', async () => {
    const { db, issuer } = await openOffice();
    const passId = `${issuer.kid}-000009`;
    type('通行证号', passId);
    type('作废原因（如 挂失）', '挂失');
    fireEvent.click(screen.getByRole('button', { name: '作废', exact: true }));
    expect(await screen.findByText(`已作废 ${passId}。同步后，各卡口都会拒绝它。`)).toBeTruthy();
    const [stored] = await db.records.toArray();
    const data = stored?.record.data as { passId: string; reason: string; signed?: string };
    expect([data.passId, data.reason]).toEqual([passId, '挂失']);
    const { issuerMap, verifyEd25519 } = await import('../../src/domain/ed25519');
    const { verifiedRevocations } = await import('../../src/domain/revocation-code');
    const pulled = { passId, reason: '挂失', revokedAt: 1, signed: data.signed };
    expect(
      await verifiedRevocations([pulled], await issuerMap([issuer.publicKey]), verifyEd25519),
    ).toEqual([{ passId, reason: '挂失', revokedAt: 1 }]);
  });
});

describe('the office’s setup code', () => {
  it('carries the hash of a gate admin secret long enough to withstand guessing, and never the office’s token', async () => {
    // The office uploads with its own token; its receiver cannot be reached just now.
    const sync = {
      ...DEFAULT_SYNC,
      endpoint: 'http://127.0.0.1:9/api/v1',
      token: 'office-secret-token',
    };
    await openOffice({ ...testConfig, sync });
    const secretField = '卡口管理口令（卡口进“设置”要用）';
    await screen.findByLabelText(secretField);
    // The gate's checkpoint starts empty (never the office's own) and must be named.
    const [checkpointId, checkpointName] = ['卡点编号', '卡点名称'].map(
      (label) => screen.getAllByLabelText(label).at(-1) as HTMLInputElement,
    );
    expect([checkpointId?.value, checkpointName?.value]).toEqual(['', '']);
    fireEvent.input(checkpointId as HTMLInputElement, { target: { value: 'lj-04' } });
    fireEvent.input(checkpointName as HTMLInputElement, { target: { value: '龙阳小区南门' } });
    type(secretField, '135790');
    fireEvent.click(screen.getByRole('button', { name: '生成设置二维码' }));
    // Said at the field and in the summary above the button.
    expect(
      await screen.findAllByText(
        '卡口管理口令（卡口进“设置”要用）：至少 12 位，字母和数字都要有（设置码被人拍下，也猜不出）',
      ),
    ).toHaveLength(2);
    expect(screen.queryByLabelText('设置链接')).toBeNull();
    type(secretField, '龙阳北门2026cold');
    fireEvent.click(screen.getByRole('button', { name: '生成设置二维码' }));
    const link = (await screen.findByLabelText('设置链接')) as HTMLInputElement;
    const { checkSetup } = await import('../../src/domain/setup-code');
    const { keyId, verifyEd25519 } = await import('../../src/domain/ed25519');
    const { fromBase64Url } = await import('../../src/domain/base64url');
    const { pinMatches } = await import('../../src/domain/secrets');
    const read = await checkSetup(
      link.value,
      undefined,
      (key) => keyId(fromBase64Url(key)),
      verifyEd25519,
    );
    if (!read.ok) throw new Error(read.reason);
    expect(read.payload.checkpoint).toEqual({ id: 'lj-04', name: '龙阳小区南门' });
    expect(
      await pinMatches(
        '龙阳北门2026cold',
        read.payload.adminPin ?? { salt: '', hash: '', iterations: 100_000 },
      ),
    ).toBe(true);
    expect(
      await pinMatches(
        '135790',
        read.payload.adminPin ?? { salt: '', hash: '', iterations: 100_000 },
      ),
    ).toBe(false);
    const { token: _, ...withoutToken } = sync;
    expect(read.payload.sync).toEqual(withoutToken);
    expect(screen.getByRole('status').textContent).toBe(
      '设置码是机密：带着卡口管理口令的校验值，可能还有上传许可。只在设备前当面展示，不要截图转发；打印的用完就销毁。 连不上接收端，这个设置码不带上传许可。设备设置好后，请在它的“设置”里填设备令牌，或联网后重新生成设置码。',
    );
  });
});
