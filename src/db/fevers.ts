// The fevers a gate still has to act on, read from the last day of a checkpoint's records.
import type { Of } from '../domain/daily-summary';
import { DAY_MS, localDay } from '../domain/day';
import { type PendingFever, pendingFevers } from '../domain/fever-pending';
import type { KadianDB } from './database';
import { recordsPointingAt } from './records';

const TALLIES = [
  'temperature/fever',
  'temperature/fever/again',
  'temperature/normal/again',
  'fever-follow-up',
];

/** The checkpoint's fevers of the last 24 hours with no referral or isolation recorded. */
export async function feversPending(
  db: KadianDB,
  checkpointId: string,
  now: number,
): Promise<PendingFever[]> {
  // A day back, not from midnight: a night shift's fever stays in view past it.
  const since = now - DAY_MS;
  const days = [...new Set([localDay(since), localDay(now)])];
  // Few rows: fevers, re-measurements and follow-ups only, through the day-and-tally index. Each key
  // read on its own: a live query then wakes for these tallies only, not for every pass scanned
  // (anyOf would watch the whole range between the lowest key and the highest, scans included).
  const keys = days.flatMap((day) => TALLIES.map((tally) => [checkpointId, day, tally]));
  const rows = (
    await Promise.all(
      keys.map((key) => db.records.where('[checkpointId+day+tally]').equals(key).toArray()),
    )
  )
    .flat()
    .filter((row) => row.recordedAt >= since);
  const voided = new Set(
    (
      await recordsPointingAt(
        db,
        rows.map((row) => row.id),
      )
    )
      .filter((row) => row.kind === 'void')
      .map((row) => row.targetId),
  );
  const live = rows.map((row) => row.record).filter((record) => !voided.has(record.id));
  return pendingFevers(
    live.filter((record): record is Of<'temperature'> => record.kind === 'temperature'),
    live.filter((record): record is Of<'fever-follow-up'> => record.kind === 'fever-follow-up'),
  );
}
