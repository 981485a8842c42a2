// What a pass check needs from the device's history: revocations, a household's recent exits and a
// pass's last passage, each read through an index (never a scan of all records).
import Dexie from 'dexie';
import type { KadianDB, Revocation, StoredRecord } from './database';

const allowedPassage = (direction: 'in' | 'out') => (stored: StoredRecord) =>
  stored.record.kind === 'pass-scan' &&
  stored.record.data.direction === direction &&
  stored.record.data.verdict === 'allowed';

export async function isRevoked(db: KadianDB, passId: string): Promise<boolean> {
  return (await db.revocations.get(passId)) !== undefined;
}

/** Allowed exits of a household at this device at or after `since` (ms). */
export function exitsSince(db: KadianDB, householdId: string, since: number): Promise<number> {
  return db.records
    .where('[householdId+recordedAt]')
    .between([householdId, since], [householdId, Dexie.maxKey], true, true)
    .filter(allowedPassage('out'))
    .count();
}

/** When a pass was last allowed through in a direction, if ever. */
export async function lastPassage(
  db: KadianDB,
  passId: string,
  direction: 'in' | 'out',
): Promise<number | undefined> {
  const last = await db.records
    .where('[passId+recordedAt]')
    .between([passId, Dexie.minKey], [passId, Dexie.maxKey])
    .reverse()
    .filter(allowedPassage(direction))
    .first();
  return last?.recordedAt;
}

/** Every pass this device knows to be revoked, oldest revocation first. */
export async function allRevocations(db: KadianDB): Promise<Revocation[]> {
  return (await db.revocations.toArray()).sort((a, b) => a.revokedAt - b.revokedAt);
}
