// The daily reports this device made, apart from the report's own reads so the reminder shown on
// every screen does not load them.
import Dexie from 'dexie';
import { dayBounds } from '../domain/day';
import type { KadianRecord } from '../domain/records';
import type { KadianDB } from './database';

/** The daily reports this device made for a day (made on it or later), oldest first. */
export async function reportsOf(db: KadianDB, date: string): Promise<KadianRecord[]> {
  const [start] = dayBounds(date);
  const rows = await db.records
    .where('[kind+recordedAt]')
    .between(['daily-report', start], ['daily-report', Dexie.maxKey], true, true)
    .toArray();
  return rows
    .map((stored) => stored.record)
    .filter((record) => record.kind === 'daily-report' && record.data.date === date);
}
