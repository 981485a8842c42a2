// The device's settings and form drafts, one meta row each. Provisioning and a change of the
// volunteer on duty are written with their `shift` records in one transaction.
import type { DeviceConfig } from '../domain/config';
import type { KadianRecord } from '../domain/records';
import type { PinHash } from '../domain/secrets';
import type { KadianDB, MetaEntries, MetaKey } from './database';
import { saveRecords } from './records';

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
 * Saves the device's settings together with the shift records they imply (and the admin PIN an
 * office's setup code brought), all or nothing.
 */
export async function saveConfig(
  db: KadianDB,
  config: DeviceConfig,
  shiftRecords: KadianRecord[] = [],
  adminPin?: PinHash,
) {
  await db.transaction('rw', db.meta, db.records, db.outbox, async () => {
    await db.meta.put({ key: 'config', value: config });
    if (adminPin) await db.meta.put({ key: 'adminPin', value: adminPin });
    await saveRecords(db, shiftRecords);
  });
}
