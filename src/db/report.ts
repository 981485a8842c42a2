// What the daily report reads: one checkpoint-day through its index, the voids made since, and the
// visitors who could still be inside. Never a scan of all records.
import Dexie from 'dexie';
import type { DayInput } from '../domain/daily-summary';
import { dayBounds } from '../domain/day';
import type { KadianRecord, RecordKind } from '../domain/records';
import type { KadianDB } from './database';
import { syncStates } from './outbox';
import { recordsOfDay } from './records';

/** Visitors who came in this many days before the day (and did not sign out) still count as inside. */
export const VISITOR_LOOKBACK_DAYS = 7;

const ofKind = (db: KadianDB, kind: RecordKind, from: number, to?: number) =>
  db.records
    .where('[kind+recordedAt]')
    .between([kind, from], [kind, to ?? Dexie.maxKey], true, true)
    .toArray();

export async function dayInput(
  db: KadianDB,
  checkpointId: string,
  date: string,
  localPlatePrefix?: string,
): Promise<DayInput> {
  const [start, end] = dayBounds(date);
  const since = start - VISITOR_LOOKBACK_DAYS * 24 * 3600 * 1000;
  return db.transaction('r', db.records, async () => {
    const [day, voids, arrivals, departures] = await Promise.all([
      recordsOfDay(db, checkpointId, date),
      ofKind(db, 'void', start),
      ofKind(db, 'visitor-in', since, end),
      ofKind(db, 'visitor-out', since, end),
    ]);
    const here = (stored: { record: KadianRecord }) => stored.record.checkpointId === checkpointId;
    return {
      date,
      records: day.map((stored) => stored.record),
      voided: new Set(voids.flatMap((stored) => (stored.targetId ? [stored.targetId] : []))),
      arrivals: arrivals.filter(here).map((stored) => stored.record),
      departures: departures.filter(here).map((stored) => stored.record),
      ...(localPlatePrefix && { localPlatePrefix }),
    };
  });
}

/** How many of these records have not reached the endpoint yet (queued or in a batch in flight). */
export async function unsentCount(db: KadianDB, ids: string[]): Promise<number> {
  const states = await syncStates(db, ids);
  return [...states.values()].filter((state) => state.state === 'pending').length;
}

/** The daily reports this device made for a day (made on it or later), oldest first. */
export async function reportsOf(db: KadianDB, date: string): Promise<KadianRecord[]> {
  const [start] = dayBounds(date);
  return (await ofKind(db, 'daily-report', start))
    .map((stored) => stored.record)
    .filter((record) => record.kind === 'daily-report' && record.data.date === date);
}
