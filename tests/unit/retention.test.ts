import { afterEach, describe, expect, it } from 'vitest';
import { KadianDB } from '../../src/db/database';
import { freezeBatch, settleBatch } from '../../src/db/outbox';
import { saveRecords } from '../../src/db/records';
import { oldUnsentCount, purgeOld } from '../../src/db/retention';
import { makeRecord } from '../../src/domain/make-record';
import { deviceConfig } from '../fixtures/device-config';

let db: KadianDB;
afterEach(() => db?.delete());

const DAY = 24 * 3600 * 1000;
const now = new Date('2026-11-29T12:00:00').getTime();
const shift = (at: number) => {
  const made = makeRecord(
    { config: deviceConfig, now: at, newId: () => crypto.randomUUID() },
    'shift',
    { action: 'start' },
  );
  if (!made.ok) throw new Error('invalid');
  return made.value;
};

describe('purgeOld', () => {
  it('removes uploaded records older than the retention days, never one not uploaded', async () => {
    db = new KadianDB(`retention-${crypto.randomUUID()}`);
    const sentOld = shift(now - 29 * DAY);
    const sentEdge = shift(now - 28 * DAY);
    const sentRecent = shift(now - 2 * DAY);
    await saveRecords(db, [sentOld, sentEdge, sentRecent]);
    // Uploaded: frozen into a batch and answered accepted.
    const batch = await freezeBatch(db, 1, 10, 'batch-1', now);
    if (!batch) throw new Error('no batch');
    await settleBatch(
      db,
      batch,
      batch.records.map((record) => ({ id: record.id, status: 'accepted' as const })),
      now,
    );
    const queuedOld = shift(now - 40 * DAY);
    const refusedOld = shift(now - 35 * DAY);
    await saveRecords(db, [queuedOld, refusedOld]);
    const second = await freezeBatch(db, 1, 10, 'batch-2', now);
    if (!second) throw new Error('no batch');
    // The endpoint refused one and has not answered for the other yet.
    await settleBatch(
      db,
      second,
      [{ id: refusedOld.id, status: 'rejected' as const, error: 'data: invalid' }],
      now,
    );
    const inFlight = shift(now - 50 * DAY);
    await saveRecords(db, [inFlight]);
    await freezeBatch(db, 1, 10, 'batch-3', now);

    expect(await oldUnsentCount(db, 28, now)).toBe(3);
    // Exactly 28 days old is not older than 28 days: it stays until later.
    expect(await purgeOld(db, 28, now)).toEqual({ purged: 1, keptUnsent: 3 });
    expect((await db.records.toCollection().primaryKeys()).sort()).toEqual(
      [sentEdge.id, sentRecent.id, queuedOld.id, refusedOld.id, inFlight.id].sort(),
    );
    expect(await purgeOld(db, 28, now)).toEqual({ purged: 0, keptUnsent: 3 });
    // The figures of the day purged empty went with it; every other day keeps its own.
    const dayOf = (at: number) => new Date(at).toLocaleDateString('sv');
    expect((await db.days.toArray()).map((row) => row.day).sort()).toEqual(
      [50, 40, 35, 28, 2].map((days) => dayOf(now - days * DAY)),
    );
  });
});
