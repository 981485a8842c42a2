// What the daily report reads of a checkpoint-day: its figures and which of its listed records
// were voided (one row kept up to date by every write), the few records it shows in full (one
// range of the [checkpointId+day+inReport] index), the visitors who could still be inside, and how
// many of its records are still to be sent. Never a scan of all records, nor of the sync queue;
// read natively, in one transaction (see native.ts).
import Dexie from 'dexie';
import { DEFAULT_RULES } from '../domain/config';
import type { DayInput } from '../domain/daily-summary';
import { DAY_MS, dayBounds, localDay } from '../domain/day';
import type { KadianRecord } from '../domain/records';
import type { DayTally, FrozenBatch, KadianDB, StoredRecord, Visit } from './database';
import { answer, nativeDb } from './native';
import { insideAt, NOT_LEFT } from './visits';

/** The stores the report reads. */
export const REPORT_STORES = ['records', 'days', 'visits', 'outbox', 'batches'];

/**
 * A checkpoint-day as the report counts it. Visitors still inside at its end are everyone who came
 * in within the retention period (`retentionDays` days up to the day's end, as the device keeps
 * them) and had not signed out by then: the visitors screen's list, as of that moment.
 */
export async function dayInput(
  db: KadianDB,
  checkpointId: string,
  date: string,
  localPlatePrefix?: string,
  retentionDays = DEFAULT_RULES.retentionDays,
): Promise<DayInput> {
  const tx = (await nativeDb(db)).transaction(REPORT_STORES, 'readonly');
  return readDayInput(tx, checkpointId, date, localPlatePrefix, retentionDays);
}

/** dayInput, read natively in `tx` (the report screen's hot path: see native.ts). */
async function readDayInput(
  tx: IDBTransaction,
  checkpointId: string,
  date: string,
  localPlatePrefix?: string,
  retentionDays = DEFAULT_RULES.retentionDays,
): Promise<DayInput> {
  const [start] = dayBounds(date);
  const records = tx.objectStore('records');
  const [figures, details, lastShift, inside] = await Promise.all([
    answer(tx.objectStore('days').get([checkpointId, date]) as IDBRequest<DayTally | undefined>),
    answer(
      records.index('[checkpointId+day+inReport]').getAll([checkpointId, date, 1]) as IDBRequest<
        StoredRecord[]
      >,
    ),
    // Whoever's shift was still open when the day began (a night shift) was on duty too.
    lastOf(
      records.index('[kind+recordedAt]'),
      IDBKeyRange.bound(['shift', Dexie.minKey], ['shift', start], false, true),
      (stored) => stored.checkpointId === checkpointId,
    ),
    insideAtEnd(tx, checkpointId, date, retentionDays),
  ]);
  const read = details.map((stored) => stored.record);
  // The day's own arrivals are among the details; those of other days were read with the visits.
  const arrivals = [
    ...inside.otherDays,
    ...read.filter((record) => record.kind === 'visitor-in' && inside.ids.has(record.id)),
  ];
  const onDuty =
    lastShift?.record.kind === 'shift' && lastShift.record.data.action === 'start'
      ? [lastShift.record.volunteer.name]
      : [];
  return {
    date,
    tallies: new Map(Object.entries(figures?.tallies ?? {})),
    voidedTallies: new Map(Object.entries(figures?.voided ?? {})),
    voided: new Set(figures?.voidedIds ?? []),
    details: read,
    names: [...new Set([...onDuty, ...read.map((record) => record.volunteer.name)])],
    // Only those still inside at the day's end: their departures are already taken into account.
    arrivals,
    departures: [],
    ...(localPlatePrefix && { localPlatePrefix }),
  };
}

/**
 * Who was inside at a day's end: everyone who came within the retention period up to then and had
 * not left by then (those who left since, and those still inside: a few small rows). The arrivals
 * of other days are read as soon as the visits are, in the same wave as the report's other reads.
 */
async function insideAtEnd(
  tx: IDBTransaction,
  checkpointId: string,
  date: string,
  retentionDays: number,
): Promise<{ ids: Set<string>; otherDays: KadianRecord[] }> {
  const [start, end] = dayBounds(date);
  const from = start - (retentionDays - 1) * DAY_MS;
  const visits = tx.objectStore('visits');
  const [leftSince, stillInside] = await Promise.all([
    answer(visits.index('nights').getAll([checkpointId, date]) as IDBRequest<Visit[]>),
    answer(
      visits.index('[checkpointId+leftAt]').getAll([checkpointId, NOT_LEFT]) as IDBRequest<Visit[]>,
    ),
  ]);
  const inside = [...leftSince, ...stillInside].filter(
    (visit) => visit.arrivedAt >= from && insideAt(visit, end),
  );
  const records = tx.objectStore('records');
  const otherDays = await Promise.all(
    inside
      .filter((visit) => visit.arrivedAt < start || visit.arrivedAt >= end)
      .map((visit) => answer(records.get(visit.id) as IDBRequest<StoredRecord | undefined>)),
  );
  return {
    ids: new Set(inside.map((visit) => visit.id)),
    otherDays: otherDays.flatMap((stored) => (stored ? [stored.record] : [])),
  };
}

/** The last row of an index range that `matches`, walking back from its end. */
function lastOf(
  index: IDBIndex,
  range: IDBKeyRange,
  matches: (stored: StoredRecord) => boolean,
): Promise<StoredRecord | undefined> {
  return new Promise((resolve, reject) => {
    const walk = index.openCursor(range, 'prev');
    walk.onerror = () => reject(walk.error);
    walk.onsuccess = () => {
      const cursor = walk.result;
      if (!cursor || matches(cursor.value)) resolve(cursor?.value);
      else cursor.continue();
    };
  });
}

/**
 * How many of a checkpoint-day's records have not reached the endpoint yet: queued (counted by the
 * queue's checkpoint-day index) or in a batch in flight (a few batches, read whole; a record's day
 * told from its time as the day's records are, the same unless the device's time zone changed).
 */
async function unsentOfDay(tx: IDBTransaction, checkpointId: string, date: string) {
  const [queued, frozen] = await Promise.all([
    answer(tx.objectStore('outbox').index('[checkpointId+day]').count([checkpointId, date])),
    answer(tx.objectStore('batches').getAll() as IDBRequest<FrozenBatch[]>),
  ]);
  const inFlight = frozen.flatMap((batch) =>
    batch.records.filter(
      (record) => record.checkpointId === checkpointId && localDay(record.recordedAt) === date,
    ),
  );
  return queued + inFlight.length;
}

/** Everything the report screen shows of a day, read natively in one transaction. */
export async function readReportDay(
  db: KadianDB,
  checkpointId: string,
  date: string,
  localPlatePrefix?: string,
  retentionDays?: number,
) {
  const tx = (await nativeDb(db)).transaction(REPORT_STORES, 'readonly');
  const [start] = dayBounds(date);
  const [input, unsent, reports] = await Promise.all([
    readDayInput(tx, checkpointId, date, localPlatePrefix, retentionDays),
    unsentOfDay(tx, checkpointId, date),
    answer(
      tx
        .objectStore('records')
        .index('[kind+recordedAt]')
        .getAll(
          IDBKeyRange.bound(['daily-report', start], ['daily-report', Dexie.maxKey]),
        ) as IDBRequest<StoredRecord[]>,
    ),
  ]);
  const submitted = reports.filter(
    ({ record }) => record.kind === 'daily-report' && record.data.date === date,
  ).length;
  return { input, unsent, submitted };
}
