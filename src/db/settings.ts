// The device's settings and form drafts, one meta row each. Provisioning and a change of the
// volunteer on duty are written with their `shift` records in one transaction.

import type { DeviceConfig } from '../domain/config';
import type { KadianRecord } from '../domain/records';
import type { PinHash } from '../domain/secrets';
import type { KadianDB, MetaEntries, MetaKey } from './database';
import { recordTables, saveRecords } from './records';

export async function readMeta<K extends MetaKey>(
  db: KadianDB,
  key: K,
): Promise<MetaEntries[K] | undefined> {
  return (await db.meta.get(key))?.value as MetaEntries[K] | undefined;
}

export async function writeMeta<K extends MetaKey>(
  db: KadianDB,
  key: K,
  value: MetaEntries[K],
): Promise<void> {
  await db.meta.put({ key, value });
}

/**
 * Saves the device's settings together with what comes with them, all or nothing: the shift
 * records a change of volunteer implies, the admin PIN an office's setup code brought, the PIN of
 * the volunteer starting a shift.
 */
export async function saveConfig(
  db: KadianDB,
  config: DeviceConfig,
  {
    shiftRecords = [],
    adminPin,
    shiftPin,
  }: { shiftRecords?: KadianRecord[]; adminPin?: PinHash; shiftPin?: PinHash } = {},
) {
  await db.transaction('rw', [db.meta, ...recordTables(db)], async () => {
    await db.meta.put({ key: 'config', value: config });
    if (adminPin) await db.meta.put({ key: 'adminPin', value: adminPin });
    if (shiftPin) {
      await db.meta.put({ key: 'shiftPin', value: shiftPin });
      await db.meta.put({ key: 'shiftPinAttempts', value: { wrong: 0, waitUntil: 0 } });
    }
    await saveRecords(db, shiftRecords);
  });
}
