import { describe, expect, it } from 'vitest';
import type { KadianDB } from '../../src/db/database';
import { recordsOfDay, saveRecord, watch } from '../../src/db/records';
import { unsentRecords } from '../../src/db/retention';
import { freshDatabase } from '../fixtures/fresh-db';
import { make } from '../fixtures/stored-records';

// A single pass scan is saved natively, not through Dexie (see saveScan): the same rows, the same
// all-or-nothing, and the same wake-up of live queries as any other save.
let db: KadianDB;
const scan = (time: string, passId: string) =>
  make('pass-scan', time, { passId, householdId: 'hh-1', direction: 'in', verdict: 'allowed' });

freshDatabase((fresh) => {
  db = fresh;
});

describe('a pass scan saved on its own', () => {
  it('is counted in its day’s figures and queued, once; saved again it is refused whole', async () => {
    const first = scan('28T07:00', 'a1b2c3d4-000001');
    await saveRecord(db, first);
    await saveRecord(db, scan('28T07:01', 'a1b2c3d4-000002'));
    await expect(saveRecord(db, first)).rejects.toMatchObject({ name: 'ConstraintError' });
    expect(await db.records.count()).toBe(2);
    expect((await db.outbox.toArray()).map((entry) => [entry.seq, entry.lane])).toEqual([
      [1, 1],
      [2, 1],
    ]);
    expect(await db.days.toArray()).toEqual([
      {
        checkpointId: 'lj-03',
        day: '2026-11-28',
        tallies: { 'scan/in/allowed': 2 },
        voided: {},
        voidedIds: [],
      },
    ]);
  });

  it('wakes the live queries that read what it wrote: the day’s records, figures and queue', async () => {
    const seen = { records: [] as number[], figures: [] as number[], unsent: [] as number[] };
    const fail = (error: unknown) => {
      throw error;
    };
    const stops = [
      watch(
        () => recordsOfDay(db, 'lj-03', '2026-11-28'),
        (rows) => seen.records.push(rows.length),
        fail,
      ),
      watch(
        () => db.days.get(['lj-03', '2026-11-28']),
        (row) => seen.figures.push(row?.tallies['scan/in/allowed'] ?? 0),
        fail,
      ),
      watch(
        () => unsentRecords(db),
        (records) => seen.unsent.push(records.length),
        fail,
      ),
    ];
    await expect.poll(() => seen).toEqual({ records: [0], figures: [0], unsent: [0] });
    await saveRecord(db, scan('28T07:00', 'a1b2c3d4-000001'));
    await expect.poll(() => seen).toEqual({ records: [0, 1], figures: [0, 1], unsent: [0, 1] });
    await saveRecord(db, scan('28T07:01', 'a1b2c3d4-000002'));
    await expect
      .poll(() => seen)
      .toEqual({ records: [0, 1, 2], figures: [0, 1, 2], unsent: [0, 1, 2] });
    for (const stop of stops) stop();
  });
});
