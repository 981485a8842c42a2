import { afterEach, describe, expect, it, vi } from 'vitest';
import type { KadianDB } from '../../src/db/database';
import { nativeDb } from '../../src/db/native';
import { saveScan } from '../../src/db/records';
import { scanDecision } from '../../src/db/scan-decision';
import { freshDatabase } from '../fixtures/fresh-db';
import { make } from '../fixtures/stored-records';

let db: KadianDB;
/** The checkpoint-day of the scans below. */
const DAY: [string, string] = ['lj-03', '2026-11-28'];
const scan = (time: string, passId: string) =>
  make('pass-scan', time, { passId, householdId: 'hh-1', direction: 'out', verdict: 'allowed' });
const question = (passId: string) => ({
  passId,
  direction: 'out' as const,
  passagesSince: 0,
  revocation: true,
  exits: { householdId: 'hh-1', since: 0 },
});

freshDatabase((fresh) => {
  db = fresh;
});
afterEach(() => vi.restoreAllMocks());

describe('a gate decision', () => {
  it('reads the history and saves the scan in one transaction when nothing waits between', async () => {
    await saveScan(db, scan('28T07:00', 'a1b2c3d4-000001'));
    const transactions = vi.spyOn(await nativeDb(db), 'transaction');
    const decision = scanDecision(db, DAY);
    const next = scan('28T07:05', 'a1b2c3d4-000001');
    await decision.history(question('a1b2c3d4-000001')).then(async (history) => {
      expect(history).toEqual({ revoked: false, exits: 1, lastPassage: next.recordedAt - 300_000 });
      await decision.save(next);
    });
    expect(transactions).toHaveBeenCalledTimes(1);
    expect(transactions.mock.calls[0]?.[1]).toBe('readwrite');
    expect((await db.records.get(next.id))?.record).toEqual(next);
    expect(await db.outbox.count()).toBe(2);
    expect((await db.days.toArray()).map((row) => row.tallies)).toEqual([
      { 'scan/out/allowed': 2 },
    ]);
  });

  it('asks for the day’s figures with the history, so the save waits for no answer', async () => {
    await saveScan(db, scan('28T07:00', 'a1b2c3d4-000001'));
    const gets = vi.spyOn(IDBObjectStore.prototype, 'get');
    const decision = scanDecision(db, DAY);
    await decision.history(question('a1b2c3d4-000002'));
    expect(gets.mock.calls).toEqual([[DAY]]);
    await decision.save(scan('28T07:05', 'a1b2c3d4-000002'));
    expect(gets).toHaveBeenCalledTimes(1);
    expect((await db.days.toArray()).map((row) => [row.day, row.tallies])).toEqual([
      ['2026-11-28', { 'scan/out/allowed': 2 }],
    ]);
  });

  it('counts a scan made after midnight under its own day, not the day asked for', async () => {
    await saveScan(db, scan('28T07:00', 'a1b2c3d4-000001'));
    const decision = scanDecision(db, ['lj-03', '2026-11-27']);
    await decision.history(question('a1b2c3d4-000002'));
    await decision.save(scan('28T00:00:01', 'a1b2c3d4-000002'));
    expect((await db.days.toArray()).map((row) => [row.day, row.tallies])).toEqual([
      ['2026-11-28', { 'scan/out/allowed': 2 }],
    ]);
  });

  it('saves the scan in a transaction of its own when the history’s has closed', async () => {
    const native = await nativeDb(db);
    const open = native.transaction.bind(native);
    let committed: Promise<unknown> | undefined;
    vi.spyOn(native, 'transaction').mockImplementationOnce((stores, mode) => {
      const tx = open(stores, mode);
      committed = new Promise((resolve) => tx.addEventListener('complete', resolve));
      return tx;
    });
    const decision = scanDecision(db, DAY);
    await decision.history(question('a1b2c3d4-000001'));
    // Waiting for something else lets the history's transaction commit.
    expect(committed).toBeInstanceOf(Promise);
    await committed;
    vi.restoreAllMocks();
    const transactions = vi.spyOn(native, 'transaction');
    const next = scan('28T07:05', 'a1b2c3d4-000001');
    await decision.save(next);
    expect(transactions).toHaveBeenCalledTimes(1);
    expect((await db.records.get(next.id))?.record).toEqual(next);
  });

  it('saves nothing when the transaction it is saved in aborts', async () => {
    const tx = (await nativeDb(db)).transaction(['records', 'outbox', 'days'], 'readwrite');
    const saving = saveScan(db, scan('28T07:00', 'a1b2c3d4-000001'), { tx });
    tx.abort();
    await expect(saving).rejects.toMatchObject({ name: 'AbortError' });
    expect([await db.records.count(), await db.outbox.count(), await db.days.count()]).toEqual([
      0, 0, 0,
    ]);
  });
});
