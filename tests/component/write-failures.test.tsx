import { fireEvent, screen } from '@testing-library/preact';
import Dexie from 'dexie';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createIssuer, issuerSigner } from '../../src/app/office/keys';
import { SettingsScreen } from '../../src/app/settings/settings-screen';
import { WipeSection } from '../../src/app/settings/wipe';
import { encodeSetup, type SetupPayload } from '../../src/domain/setup-code';
import { renderInSession, testConfig, unlockSettings } from './session';

const CLOSED =
  '保存失败：另一个页面开着旧版卡点，请关闭其他卡点页面后重试。已填写的内容仍在，请重试。';
const type = (label: string, value: string) =>
  fireEvent.input(screen.getByLabelText(label, { exact: true }), { target: { value } });

afterEach(() => vi.restoreAllMocks());

describe('writes that fail say so and keep what was typed', () => {
  it('a setup code applied in Settings while the database is closed under the page', async () => {
    const { issuer } = await createIssuer('龙阳社区发证口令 2026', 1);
    const config = { ...testConfig, issuerKeys: [issuer.publicKey] };
    const payload: SetupPayload = {
      v: 1,
      kid: issuer.kid,
      issuedAt: 1,
      checkpoint: { id: 'lj-04', name: '龙阳小区南门' },
      place: config.place,
      rules: config.rules,
      hotlines: config.hotlines,
      issuerKeys: [issuer.publicKey],
    };
    const code = await encodeSetup(payload, issuerSigner(issuer));
    const { db, currentConfig } = renderInSession(<SettingsScreen />, { config });
    await unlockSettings(db);
    type('设置码或链接（粘贴）', code);
    db.close();
    fireEvent.click(screen.getByRole('button', { name: '读取设置码' }));
    expect(await screen.findByText(CLOSED)).toBeTruthy();
    expect((screen.getByLabelText('设置码或链接（粘贴）') as HTMLInputElement).value).toBe(code);
    expect(currentConfig().checkpoint.id).toBe('lj-03');
    await db.open();
    // Once the database is back, the same code applies.
    fireEvent.click(screen.getByRole('button', { name: '读取设置码' }));
    expect(await screen.findByText('已按设置码更新。')).toBeTruthy();
    expect(currentConfig().checkpoint.id).toBe('lj-04');
  });

  it('a first admin PIN saved while the database is closed under the page', async () => {
    const { db } = renderInSession(<SettingsScreen />);
    await screen.findByLabelText('再输入一次 PIN');
    type('管理员 PIN', '246810');
    type('再输入一次 PIN', '246810');
    db.close();
    fireEvent.click(screen.getByRole('button', { name: '进入' }));
    expect(await screen.findByText(CLOSED)).toBeTruthy();
    expect((screen.getByLabelText('管理员 PIN') as HTMLInputElement).value).toBe('246810');
    expect(screen.queryByLabelText('卡点编号')).toBeNull();
  });

  it('a wipe the browser refuses: nothing lost, and the volunteer is told', async () => {
    vi.spyOn(Dexie, 'delete').mockRejectedValueOnce(new Error('数据库正被占用'));
    const { db } = renderInSession(<WipeSection />);
    fireEvent.click(await screen.findByRole('button', { name: '清除本设备的全部数据' }));
    fireEvent.click(await screen.findByRole('button', { name: '确认清除' }));
    expect(
      await screen.findByText('没有清除：数据库正被占用。数据都还在；请关闭其他卡点页面后重试。'),
    ).toBeTruthy();
    expect(await Dexie.exists(db.name)).toBe(true);
  });
});
