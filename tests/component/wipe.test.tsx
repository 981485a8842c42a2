import { fireEvent, screen } from '@testing-library/preact';
import Dexie from 'dexie';
import { describe, expect, it, vi } from 'vitest';
import { WipeSection } from '../../src/app/settings/wipe';
import { saveRecords } from '../../src/db/records';
import { makeRecord } from '../../src/domain/make-record';
import { renderInSession, testConfig } from './session';

const shift = () => {
  const made = makeRecord(
    { config: testConfig, now: Date.now(), newId: () => crypto.randomUUID() },
    'shift',
    { action: 'start' },
  );
  if (!made.ok) throw new Error('invalid');
  return made.value;
};

describe('WipeSection', () => {
  it('with records not uploaded asks twice before it wipes', async () => {
    const reload = vi.fn();
    vi.stubGlobal('location', { ...window.location, reload });
    const { db } = renderInSession(<WipeSection />);
    await saveRecords(db, [shift(), shift()]);
    expect(
      await screen.findByText(
        '还有 2 条记录没上传。清除前请先导出（用口令加密的文件，交给社区办公室导入），否则这些记录会丢失。',
      ),
    ).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: '清除本设备的全部数据' }));
    expect(
      await screen.findByText('真的要清除吗？2 条没上传的记录会丢失。再点一次确认。'),
    ).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: '确认清除' }));
    expect(await screen.findByText('最后一次确认：2 条没上传的记录会永久丢失。')).toBeTruthy();
    expect(await Dexie.exists(db.name)).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: '确认清除' }));
    await vi.waitFor(() => expect(reload).toHaveBeenCalled());
    expect(await Dexie.exists(db.name)).toBe(false);
    vi.unstubAllGlobals();
  });

  it('asks once when nothing would be lost', async () => {
    const reload = vi.fn();
    vi.stubGlobal('location', { ...window.location, reload });
    const { db } = renderInSession(<WipeSection />);
    await screen.findByRole('button', { name: '清除本设备的全部数据' });
    fireEvent.click(screen.getByRole('button', { name: '清除本设备的全部数据' }));
    expect(await screen.findByText('真的要清除本设备的全部数据吗？再点一次确认。')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: '确认清除' }));
    await vi.waitFor(() => expect(reload).toHaveBeenCalled());
    expect(await Dexie.exists(db.name)).toBe(false);
    vi.unstubAllGlobals();
  });
});
