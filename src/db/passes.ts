// What a pass check needs from the device's history: revocations, a household's recent exits and a
// pass's last passage, each read through an index (never a scan of all records). A voided scan
// never happened, for quotas and duplicates alike.
import Dexie from 'dexie';
import type { KadianDB, Revocation, StoredRecord } from './database';

type Verdict = 'allowed' | 'denied' | 'unverified';

const passage = (direction: 'in' | 'out', verdicts: readonly Verdict[]) => (stored: StoredRecord) =>
  stored.record.kind === 'pass-scan' &&
  stored.record.data.direction === direction &&
  verdicts.includes(stored.record.data.verdict);

/** The rows among these that no void points at. */
async function notVoided(db: KadianDB, rows: StoredRecord[]): Promise<StoredRecord[]> {
  if (rows.length === 0) return rows;
  const voided = new Set(
    (
      await db.records
        .where('targetId')
        .anyOf(rows.map((row) => row.id))
        .filter((row) => row.kind === 'void')
        .toArray()
    ).map((row) => row.targetId),
  );
  return rows.filter((row) => !voided.has(row.id));
}

export async function isRevoked(db: KadianDB, passId: string): Promise<boolean> {
  return (await db.revocations.get(passId)) !== undefined;
}

/**
 * Allowed exits of a household at this device at or after `since` (ms), voided ones left out.
 * Fewer than `enough` before voids are looked up is the answer as it stands: voids only lower it.
 */
export async function exitsSince(
  db: KadianDB,
  householdId: string,
  since: number,
  enough = 0,
): Promise<number> {
  const exits = await db.records
    .where('[householdId+recordedAt]')
    .between([householdId, since], [householdId, Dexie.maxKey], true, true)
    .filter(passage('out', ['allowed']))
    .toArray();
  if (exits.length < enough) return exits.length;
  return (await notVoided(db, exits)).length;
}

/**
 * When a pass last went through in a direction (allowed, or unverified on a device without issuer
 * keys) at or after `since` (ms), if it did; voided passages left out. Only the window asked for
 * is read: a pass's whole history can be hundreds of records.
 */
export async function lastPassage(
  db: KadianDB,
  passId: string,
  direction: 'in' | 'out',
  since: number,
): Promise<number | undefined> {
  const passages = await db.records
    .where('[passId+recordedAt]')
    .between([passId, since], [passId, Dexie.maxKey], true, true)
    .filter(passage(direction, ['allowed', 'unverified']))
    .toArray();
  return (await notVoided(db, passages)).at(-1)?.recordedAt;
}

/** Every pass this device knows to be revoked, oldest revocation first. */
export async function allRevocations(db: KadianDB): Promise<Revocation[]> {
  return (await db.revocations.toArray()).sort((a, b) => a.revokedAt - b.revokedAt);
}
