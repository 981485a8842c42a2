import { describe, expect, it } from 'vitest';
import type { KadianDB } from '../../src/db/database';
import { saveRecord } from '../../src/db/records';
import { writeMeta } from '../../src/db/settings';
import { watchTables } from '../../src/db/table-watch';
import { freshDatabase } from '../fixtures/fresh-db';
import { make } from '../fixtures/stored-records';

let db: KadianDB;
freshDatabase((fresh) => {
  db = fresh;
});

describe('watchTables', () => {
  it('runs its query again after a write to its tables, natively or through Dexie, not others', async () => {
    let runs = 0;
    const seen: number[] = [];
    const stop = watchTables(
      db,
      ['records', 'days'],
      async () => {
        runs += 1;
        return db.records.count();
      },
      (count) => seen.push(count),
      (error) => {
        throw error;
      },
    );
    await expect.poll(() => seen).toEqual([0]);
    // A pass scan (saved natively) and a shift (through Dexie).
    await saveRecord(
      db,
      make('pass-scan', '28T07:00', {
        passId: 'a1b2c3d4-000001',
        householdId: 'hh-1',
        direction: 'in',
        verdict: 'allowed',
      }),
    );
    await expect.poll(() => seen.at(-1)).toBe(1);
    await saveRecord(db, make('shift', '28T07:01', { action: 'start' }));
    await expect.poll(() => seen.at(-1)).toBe(2);
    const before = runs;
    await writeMeta(db, 'lang', 'en');
    // A write elsewhere (a setting) leaves it be; the next record still wakes it.
    await saveRecord(db, make('shift', '28T07:02', { action: 'end' }));
    await expect.poll(() => seen.at(-1)).toBe(3);
    expect(runs).toBe(before + 1);
    // Stopped: a write through Dexie tells its listeners as it commits, before the save resolves.
    stop();
    await saveRecord(db, make('shift', '28T07:03', { action: 'start' }));
    expect(runs).toBe(before + 1);
  });
});
