import { describe, expect, it } from 'vitest';
import { DEFAULT_SYNC, SyncSettings, storedConfig } from '../../src/domain/config';
import { deviceConfig } from '../fixtures/device-config';

const sync = {
  ...DEFAULT_SYNC,
  adapter: 'plain' as const,
  endpoint: 'http://127.0.0.1:3000/records',
};

describe('the plain adapter’s duplicate status', () => {
  it.each([
    [409, true],
    [499, true],
    [500, false],
    [503, false],
  ])('%i is %s', (status, allowed) => {
    const parsed = SyncSettings.safeParse({ ...sync, duplicateStatus: status });
    expect(parsed.success).toBe(allowed);
    if (!parsed.success)
      expect(parsed.error.issues.map((issue) => issue.path.join('.'))).toEqual(['duplicateStatus']);
  });

  it('is dropped from a configuration an earlier version stored with a 5xx, which stays provisioned', () => {
    const stored = { ...deviceConfig, sync: { ...sync, duplicateStatus: 500 } };
    const parsed = storedConfig(stored);
    expect(parsed.success && parsed.data.sync).toEqual(sync);
    expect(
      storedConfig({ ...deviceConfig, sync: { ...sync, duplicateStatus: 409 } }).data?.sync
        ?.duplicateStatus,
    ).toBe(409);
  });
});
