// What a pass check needs from the device's history: revocations, a household's recent exits and a
// pass's last passage, each read through an index range (never a scan of all records), natively:
// they are on the gate's hot path (see native.ts). A voided scan never happened, for quotas and
// duplicates alike.
import Dexie from 'dexie';
import { EXIT_TALLY } from '../domain/tally';
import type { KadianDB, Revocation, StoredRecord } from './database';
import { answer, nativeDb } from './native';

/** A native read-only transaction over the records (and revocations). */
const reading = async (db: KadianDB) =>
  (await nativeDb(db)).transaction(['records', 'revocations'], 'readonly');

type Verdict = 'allowed' | 'denied' | 'unverified';

const passage = (direction: 'in' | 'out', verdicts: readonly Verdict[]) => (stored: StoredRecord) =>
  stored.record.kind === 'pass-scan' &&
  stored.record.data.direction === direction &&
  verdicts.includes(stored.record.data.verdict);

/**
 * The passages among a pass's rows of a time range that no void points at: a scan's void is filed
 * under the same pass, later than the scan, so the range holds it too.
 */
function notVoided(rows: StoredRecord[], passage: (row: StoredRecord) => boolean) {
  const voided = new Set(rows.flatMap((row) => (row.kind === 'void' ? [row.targetId] : [])));
  return rows.filter((row) => passage(row) && !voided.has(row.id));
}

export async function isRevoked(db: KadianDB, passId: string): Promise<boolean> {
  const tx = await reading(db);
  return (await answer(tx.objectStore('revocations').getKey(passId))) !== undefined;
}

/** Allowed exits of a household at this device at or after `since` (ms), voided ones left out. */
export async function exitsSince(
  db: KadianDB,
  householdId: string,
  since: number,
): Promise<number> {
  const index = (await reading(db)).objectStore('records').index('[householdId+tally+recordedAt]');
  const ofTally = (tally: string) =>
    IDBKeyRange.bound([householdId, tally, since], [householdId, tally, Dexie.maxKey]);
  // The exits counted by the index (no row read: a household may have hundreds); its voids of the
  // same time are few. A void comes after its scan, so every void of an exit counted is among them.
  const [exits, voids] = await Promise.all([
    answer(index.count(ofTally(EXIT_TALLY))),
    answer(index.getAll(ofTally('void')) as IDBRequest<StoredRecord[]>),
  ]);
  const voidedExits = new Set(
    voids.flatMap((row) => (row.voidOf?.[2] === EXIT_TALLY && row.targetId ? [row.targetId] : [])),
  );
  if (voidedExits.size === 0) return exits;
  const targets = await db.records.bulkGet([...voidedExits]);
  return exits - targets.filter((target) => target && target.recordedAt >= since).length;
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
  const rows = await answer(
    (await reading(db))
      .objectStore('records')
      .index('[passId+recordedAt]')
      .getAll(IDBKeyRange.bound([passId, since], [passId, Dexie.maxKey])) as IDBRequest<
      StoredRecord[]
    >,
  );
  return notVoided(rows, passage(direction, ['allowed', 'unverified'])).at(-1)?.recordedAt;
}

/** Every pass this device knows to be revoked, oldest revocation first. */
export async function allRevocations(db: KadianDB): Promise<Revocation[]> {
  return (await db.revocations.toArray()).sort((a, b) => a.revokedAt - b.revokedAt);
}
