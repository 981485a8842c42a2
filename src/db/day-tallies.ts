// A checkpoint-day's figures, one row kept up to date in the transaction of every write, so the
// daily report reads them at once instead of counting the day's records through an index.
import type { Table } from 'dexie';
import { LISTED_TALLIES } from '../domain/tally';
import type { DayTally, StoredRecord } from './database';

/** What of a stored record its day's figures count. */
export type Counted = Pick<StoredRecord, 'checkpointId' | 'day' | 'tally' | 'targetId' | 'voidOf'>;

const bump = (counts: Record<string, number>, tally: string) => {
  counts[tally] = (counts[tally] ?? 0) + 1;
};

/**
 * What records being saved add to their days' rows: each under its own tally, and each void under
 * the tally of what it voids, on that record's day (with the voided record's id when the report
 * lists such records). A record voided again (`voidedBefore` holds the targets voided already) is
 * taken off once.
 */
function dayChanges(rows: readonly Counted[], voidedBefore: ReadonlySet<string>): DayTally[] {
  const changed = new Map<string, DayTally>();
  const entry = (checkpointId: string, day: string) => {
    const key = JSON.stringify([checkpointId, day]);
    const row = changed.get(key) ?? { checkpointId, day, tallies: {}, voided: {}, voidedIds: [] };
    changed.set(key, row);
    return row;
  };
  const voided = new Set(voidedBefore);
  for (const row of rows) {
    bump(entry(row.checkpointId, row.day).tallies, row.tally);
    if (!row.voidOf || !row.targetId || voided.has(row.targetId)) continue;
    voided.add(row.targetId);
    const [checkpointId, day, tally] = row.voidOf;
    const target = entry(checkpointId, day);
    bump(target.voided, tally);
    if (LISTED_TALLIES.includes(tally)) target.voidedIds.push(row.targetId);
  }
  return [...changed.values()];
}

/** A day's stored row (undefined: none yet) with a change added. */
export function withChange(stored: DayTally | undefined, change: DayTally): DayTally {
  const sum = stored ?? { ...change, tallies: {}, voided: {}, voidedIds: [] };
  sum.voidedIds.push(...change.voidedIds);
  for (const [tally, n] of Object.entries(change.tallies))
    sum.tallies[tally] = (sum.tallies[tally] ?? 0) + n;
  for (const [tally, n] of Object.entries(change.voided))
    sum.voided[tally] = (sum.voided[tally] ?? 0) + n;
  return sum;
}

/** Adds records being saved to their days' rows (see dayChanges), inside the caller's transaction. */
export async function addToDayTallies(
  days: Table<DayTally, [string, string]>,
  rows: readonly Counted[],
  voidedBefore: ReadonlySet<string>,
): Promise<void> {
  const changes = dayChanges(rows, voidedBefore);
  const stored = await days.bulkGet(changes.map((row) => [row.checkpointId, row.day]));
  await days.bulkPut(changes.map((change, i) => withChange(stored[i], change)));
}
