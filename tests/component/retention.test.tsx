import { screen } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { SyncScreen } from '../../src/app/sync/sync-screen';
import { saveRecords } from '../../src/db/records';
import { makeRecord } from '../../src/domain/make-record';
import { renderInSession, testConfig } from './session';

describe('SyncScreen', () => {
  it('warns of records past the retention days that are still not uploaded', async () => {
    const { db } = renderInSession(<SyncScreen />);
    const old = makeRecord(
      {
        config: testConfig,
        now: Date.now() - 40 * 24 * 3600 * 1000,
        newId: () => crypto.randomUUID(),
      },
      'shift',
      { action: 'start' },
    );
    if (!old.ok) throw new Error('invalid');
    await saveRecords(db, [old.value]);
    expect(
      await screen.findByText(
        '有 1 条超过 28 天的记录还没上传。它们不会被删除，请尽快联网上传，或请社区办公室处理被拒收的记录。',
      ),
    ).toBeTruthy();
  });
});
