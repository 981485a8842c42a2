// Reading and writing records. A record and its outbox entry are written in one transaction, so
// a record is either saved and queued for sync, or not saved at all (tab closed, disk full).

import Dexie, { liveQuery } from 'dexie';
import { inAlertLane } from '../domain/alerts';
import { localDay } from '../domain/day';
import { isUrgent, type KadianRecord, type RecordOfKind, targetOf } from '../domain/records';
import { READ_TALLIES, tallyOf } from '../domain/tally';
import {
  type DayTally,
  fileVoids,
  type KadianDB,
  type OutboxEntry,
  type StoredRecord,
} from './database';
import { addToDayTallies, withChange } from './day-tallies';
import { RefusedWrite } from './errors';
import { applyToIsolations } from './isolation-rows';
import { announce, committed, nativeDb, stillOpen } from './native';
import { applyToVisits } from './visits';

function toStored(record: KadianRecord): StoredRecord {
  const data = record.data as { passId?: string; householdId?: string };
  const tally = tallyOf(record);
  return {
    id: record.id,
    kind: record.kind,
    checkpointId: record.checkpointId,
    day: localDay(record.recordedAt),
    recordedAt: record.recordedAt,
    targetId: targetOf(record),
    passId: record.kind === 'pass-scan' ? data.passId : undefined,
    householdId: record.kind === 'pass-scan' ? data.householdId : undefined,
    tally,
    ...(READ_TALLIES.includes(tally) && { inReport: 1 as const }),
    record,
  };
}

/** A stored record's entry in the sync queue. */
const queueEntry = ({ id, checkpointId, day, record }: StoredRecord): OutboxEntry => ({
  recordId: id,
  lane: isUrgent(record) ? 0 : 1,
  record,
  checkpointId,
  day,
});

/** The tables a record's save writes (a caller saving inside its own transaction includes them). */
export const recordTables = (db: KadianDB) => [
  db.records,
  db.outbox,
  db.days,
  db.visits,
  db.express,
  db.isolations,
];

/**
 * Saves records and queues them for sync, all or nothing. `add` (not `put`) makes a second write
 * of the same id fail instead of replacing the first: records are append-only.
 */
export async function saveRecords(db: KadianDB, records: KadianRecord[]): Promise<void> {
  const [scan, ...more] = records;
  if (scan?.kind === 'pass-scan' && more.length === 0) return saveScan(db, scan);
  await db.transaction('rw', recordTables(db), async () => {
    const rows = records.map(toStored);
    const voids = rows.filter((row) => row.kind === 'void' && row.targetId);
    // A void counts under the day and tally of what it voids, once: not for a record voided before.
    const voidedBefore = new Set<string>();
    let targets = new Map<string, StoredRecord>();
    if (voids.length > 0) {
      const [found, earlier] = await Promise.all([
        fileVoids(db.records, voids, new Map(rows.map((row) => [row.id, row]))),
        db.records
          .where('targetId')
          .anyOf(voids.map((row) => row.targetId ?? ''))
          .filter((row) => row.kind === 'void')
          .toArray(),
      ]);
      targets = found;
      // A correction is corrected by voiding the record again, never by voiding the void.
      if ([...targets.values()].some((target) => target.kind === 'void'))
        throw new RefusedWrite('void-of-void');
      for (const row of earlier) voidedBefore.add(row.targetId ?? '');
    }
    await Promise.all([
      db.records.bulkAdd(rows),
      addToDayTallies(db.days, rows, voidedBefore),
      applyToVisits(db.visits, rows, targets),
      applyToIsolations(db.isolations, records),
      db.outbox.bulkAdd(rows.map(queueEntry)),
      // A fever's records also leave at once, each on its own (the alert lane).
      db.express.bulkAdd(
        records.filter(inAlertLane).map((record) => ({
          recordId: record.id,
          batchId: `alert-${record.id}`,
          frozenAt: record.recordedAt,
          record,
          attempts: 0,
        })),
      ),
    ]);
  });
}

/** The stores a pass scan's save writes. */
export const SCAN_STORES = ['records', 'outbox', 'days'];

/**
 * A read-write transaction over SCAN_STORES a scan may be saved in, with its checkpoint-day's
 * figures row asked for already (see scan-decision.ts): its write then waits for no answer.
 */
export interface ScanTransaction {
  tx: IDBTransaction;
  day?: { key: [string, string]; row: IDBRequest<DayTally | undefined> };
}

/**
 * A pass scan, the gate's hot path, saved in one native transaction: its record, its queue entry and
 * its day's figures, which is all a scan writes (it voids nothing, and is no visitor's, isolation's
 * or fever's record). Saved in `within` while that is still open; in a transaction of its own
 * otherwise.
 */
export async function saveScan(
  db: KadianDB,
  record: RecordOfKind<'pass-scan'>,
  within?: ScanTransaction,
): Promise<void> {
  const row = toStored(record);
  const entry = queueEntry(row);
  const key: [string, string] = [row.checkpointId, row.day];
  const change = { checkpointId: key[0], day: key[1], tallies: { [row.tally]: 1 }, voided: {} };
  let figures: DayTally | undefined;
  const write = (tx: IDBTransaction, day?: ScanTransaction['day']) => {
    tx.objectStore('records').add(row);
    const queued = tx.objectStore('outbox').add(entry);
    const days = tx.objectStore('days');
    const add = (stored: DayTally | undefined) => {
      figures = withChange(stored, { ...change, voidedIds: [] });
      days.put(figures);
    };
    // The row read with the history, in this transaction, is this one's (unless midnight passed).
    const read = day?.key.join() === key.join() && day.row.readyState === 'done' && !day.row.error;
    if (read) add(day.row.result);
    else {
      const stored = days.get(key);
      stored.onsuccess = () => add(stored.result);
    }
    return committed(tx).then(() => queued.result as number);
  };
  const seq = await (stillOpen(within?.tx, (tx) => write(tx, within?.day)) ??
    write((await nativeDb(db)).transaction(SCAN_STORES, 'readwrite')));
  announce(db, {
    records: [[row.id, row]],
    outbox: [[seq, { ...entry, seq }]],
    days: [[key, figures ?? {}]],
  });
}

export const saveRecord = (db: KadianDB, record: KadianRecord) => saveRecords(db, [record]);

/** A checkpoint's records of one device-local day, newest first. */
export async function recordsOfDay(db: KadianDB, checkpointId: string, day: string) {
  // Read forwards and turned in memory: a forward range is one getAll(); a reversed one walks a cursor.
  const rows = await db.records
    .where('[checkpointId+day+recordedAt]')
    .between([checkpointId, day, Dexie.minKey], [checkpointId, day, Dexie.maxKey])
    .toArray();
  return rows.reverse();
}

/** The records pointing at any of these ids (voids, check-outs, follow-ups, re-measurements). */
export function recordsPointingAt(db: KadianDB, ids: string[]) {
  return db.records.where('targetId').anyOf(ids).toArray();
}

/** Visitors of a checkpoint who came in and have neither left nor been voided, oldest first. */
export async function visitorsInside(db: KadianDB, checkpointId: string) {
  const arrivals = (
    await db.records
      .where('[kind+recordedAt]')
      .between(['visitor-in', 0], ['visitor-in', Infinity])
      .toArray()
  ).filter((stored) => stored.checkpointId === checkpointId);
  const closed = new Set(
    (
      await recordsPointingAt(
        db,
        arrivals.map((stored) => stored.id),
      )
    )
      .filter((stored) => stored.kind === 'visitor-out' || stored.kind === 'void')
      .map((stored) => stored.targetId),
  );
  return arrivals.filter((stored) => !closed.has(stored.id));
}

/** Calls back with a query's result now and after every change to what it read (any tab or worker). */
export function watch<T>(
  query: () => Promise<T>,
  onValue: (value: T) => void,
  onError: (error: unknown) => void,
) {
  const subscription = liveQuery(query).subscribe({ next: onValue, error: onError });
  return () => subscription.unsubscribe();
}
