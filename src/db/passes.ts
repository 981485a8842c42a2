// What a pass check needs from the device's history (see HistoryQuestion): revocations, a
// household's recent exits and a pass's last passage, each read through an index range (never a
// scan of all records), natively: they are on the gate's hot path (see native.ts). A voided scan
// never happened, for quotas and duplicates alike.
import Dexie from 'dexie';
import type { HistoryQuestion, PassHistory } from '../domain/pass';
import { EXIT_TALLY } from '../domain/tally';
import type { KadianDB, Revocation, StoredRecord } from './database';
import { answer, nativeDb } from './native';

/** The stores a pass's history is read from. */
export const HISTORY_STORES = ['records', 'revocations'];

/** The answers to a pass's history question, read in a transaction of their own. */
export async function passHistory(db: KadianDB, question: HistoryQuestion): Promise<PassHistory> {
  return readHistory((await nativeDb(db)).transaction(HISTORY_STORES, 'readonly'), question);
}

/**
 * The answers to a pass's history question, all asked at once in `tx` (which may go on to write:
 * see scan-decision.ts).
 */
export async function readHistory(
  tx: IDBTransaction,
  { passId, direction, passagesSince, revocation, exits }: HistoryQuestion,
): Promise<PassHistory> {
  const records = tx.objectStore('records');
  const [revoked, exitCount, lastPassage] = await Promise.all([
    revocation ? answer(tx.objectStore('revocations').getKey(passId)) : undefined,
    exits ? exitsSince(records, exits.householdId, exits.since) : undefined,
    lastPassageSince(records, passId, direction, passagesSince),
  ]);
  return { revoked: revoked !== undefined, exits: exitCount, lastPassage };
}

/** Allowed exits of a household at this device at or after `since` (ms), voided ones left out. */
async function exitsSince(
  records: IDBObjectStore,
  householdId: string,
  since: number,
): Promise<number> {
  const index = records.index('[householdId+tally+recordedAt]');
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
  const targets = await Promise.all(
    [...voidedExits].map((id) => answer(records.get(id) as IDBRequest<StoredRecord | undefined>)),
  );
  return exits - targets.filter((target) => target && target.recordedAt >= since).length;
}

/**
 * When a pass last went through in a direction (allowed, or unverified on a device without issuer
 * keys) at or after `since` (ms), if it did; voided passages left out. Only the window asked for
 * is read: a pass's whole history can be hundreds of records. A scan's void is filed under the
 * same pass, later than the scan, so the range holds it too.
 */
async function lastPassageSince(
  records: IDBObjectStore,
  passId: string,
  direction: 'in' | 'out',
  since: number,
): Promise<number | undefined> {
  const rows = (await answer(
    records
      .index('[passId+recordedAt]')
      .getAll(IDBKeyRange.bound([passId, since], [passId, Dexie.maxKey])),
  )) as StoredRecord[];
  const voided = new Set(rows.flatMap((row) => (row.kind === 'void' ? [row.targetId] : [])));
  return rows
    .filter(
      (row) =>
        row.record.kind === 'pass-scan' &&
        row.record.data.direction === direction &&
        row.record.data.verdict !== 'denied' &&
        !voided.has(row.id),
    )
    .at(-1)?.recordedAt;
}

/** Every pass this device knows to be revoked, oldest revocation first. */
export async function allRevocations(db: KadianDB): Promise<Revocation[]> {
  return (await db.revocations.toArray()).sort((a, b) => a.revokedAt - b.revokedAt);
}
