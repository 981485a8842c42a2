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

/** Allowed exits of a household at this device at or after `since` (ms), voided ones left out. */
export async function exitsSince(
  db: KadianDB,
  householdId: string,
  since: number,
): Promise<number> {
  const exits = await db.records
    .where('[householdId+recordedAt]')
    .between([householdId, since], [householdId, Dexie.maxKey], true, true)
    .filter(passage('out', ['allowed']))
    .toArray();
  return (await notVoided(db, exits)).length;
}

/**
 * When a pass last went through in a direction (allowed, or unverified on a device without issuer
 * keys), if ever; voided passages left out.
 */
export async function lastPassage(
  db: KadianDB,
  passId: string,
  direction: 'in' | 'out',
): Promise<number | undefined> {
  const passages = await db.records
    .where('[passId+recordedAt]')
    .between([passId, Dexie.minKey], [passId, Dexie.maxKey])
    .filter(passage(direction, ['allowed', 'unverified']))
    .toArray();
  return (await notVoided(db, passages)).at(-1)?.recordedAt;
}

/** Every pass this device knows to be revoked, oldest revocation first. */
export async function allRevocations(db: KadianDB): Promise<Revocation[]> {
  return (await db.revocations.toArray()).sort((a, b) => a.revokedAt - b.revokedAt);
}
