import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import { App } from '../../src/app/app';
import { ShiftLock } from '../../src/app/shift/shift-lock';
import { KadianDB } from '../../src/db/database';
import { readMeta, saveConfig, writeMeta } from '../../src/db/settings';
import { hashPin, pinMatches } from '../../src/domain/secrets';
import { renderInSession, storedRecords, testConfig } from './session';

const type = (label: string, value: string) =>
  fireEvent.input(screen.getByLabelText(label), { target: { value } });

describe('the shift lock', () => {
  it('opens locked when the app was left alone longer than the idle time, until the volunteer’s PIN', async () => {
    const db = new KadianDB();
    await saveConfig(db, testConfig, { shiftPin: await hashPin('2468') });
    await writeMeta(db, 'lastActive', Date.now() - 6 * 60_000);
    db.close();
    render(<App secure />);
    expect(await screen.findByRole('heading', { name: '卡点已锁定' })).toBeTruthy();
    expect(screen.getByText('值守志愿者：李红')).toBeTruthy();
    expect(screen.queryByRole('link', { name: '访客' })).toBeNull();
    type('你的值守 PIN', '1111');
    fireEvent.click(screen.getByRole('button', { name: '解锁' }));
    expect(await screen.findByText('PIN 不对。')).toBeTruthy();
    type('你的值守 PIN', '2468');
    fireEvent.click(screen.getByRole('button', { name: '解锁' }));
    expect(await screen.findByRole('heading', { name: '卡口核验' })).toBeTruthy();
    // Locking by hand (a hand-over) needs the PIN again.
    fireEvent.click(screen.getByRole('button', { name: '锁屏 / 换班' }));
    expect(await screen.findByRole('heading', { name: '卡点已锁定' })).toBeTruthy();
  });

  it('lets the next volunteer sign in with a PIN of their own, ending one shift and starting theirs', async () => {
    const onUnlocked = vi.fn();
    const { db, currentConfig } = renderInSession(<ShiftLock onUnlocked={onUnlocked} />);
    fireEvent.click(screen.getByRole('button', { name: '换班：下一位志愿者登记' }));
    type('志愿者姓名', '王芳');
    type('志愿者手机号 （选填）', '139 1234 5678');
    type('值守 PIN（至少 4 位数字，离开时锁屏用）', '13');
    type('再输入一次值守 PIN', '13');
    fireEvent.click(screen.getByRole('button', { name: '开始值守' }));
    expect(await screen.findByText('值守 PIN 至少 4 位数字。')).toBeTruthy();
    type('值守 PIN（至少 4 位数字，离开时锁屏用）', '1357');
    type('再输入一次值守 PIN', '1357');
    fireEvent.click(screen.getByRole('button', { name: '开始值守' }));
    await waitFor(() => expect(onUnlocked).toHaveBeenCalled());
    expect(currentConfig().volunteer).toEqual({ name: '王芳', phone: '13912345678' });
    const shifts = (await storedRecords(db)).filter((record) => record.kind === 'shift');
    expect(shifts.map((record) => [record.volunteer.name, record.data])).toEqual([
      ['李红', { action: 'end' }],
      ['王芳', { action: 'start' }],
    ]);
    const pin = await readMeta(db, 'shiftPin');
    expect(pin && (await pinMatches('1357', pin))).toBe(true);
  });
});
