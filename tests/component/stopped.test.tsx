import { render, screen, waitFor } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { App } from '../../src/app/app';
import { KadianDB } from '../../src/db/database';
import { writeSyncStatus } from '../../src/db/outbox';
import { saveRecords } from '../../src/db/records';
import { saveConfig, writeMeta } from '../../src/db/settings';
import { makeRecord } from '../../src/domain/make-record';
import { testConfig } from './session';

describe('a device the office stopped', () => {
  it('is not used at the gate any more: it says so, counts what it has not sent, and offers the export behind the admin PIN', async () => {
    const db = new KadianDB();
    await saveConfig(db, testConfig);
    await writeMeta(db, 'lastActive', Date.now());
    const made = makeRecord(
      { config: testConfig, now: Date.now(), newId: () => '0192f0a4-3b7d-7c35-9a51-000000000001' },
      'shift',
      { action: 'start' },
    );
    if (!made.ok) throw new Error('invalid');
    await saveRecords(db, [made.value]);
    render(<App secure />);
    await screen.findByRole('heading', { name: '卡口核验' });
    await writeSyncStatus(db, { failures: 0, paused: 'revoked' });
    db.close();
    expect(await screen.findByRole('heading', { name: '本设备已停用' })).toBeTruthy();
    expect(
      await screen.findByText(
        '还有 1 条记录没有上传，仍保存在本机：请把手机交给社区办公室，用管理员 PIN 导出后再清除。',
      ),
    ).toBeTruthy();
    expect(screen.queryByRole('heading', { name: '卡口核验' })).toBeNull();
    expect(screen.queryByRole('link', { name: '卡口' })).toBeNull();
    await waitFor(() => expect(screen.getByLabelText('管理员 PIN')).toBeTruthy());
  });
});
