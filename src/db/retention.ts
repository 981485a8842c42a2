// Retention: records the endpoint has are removed from the device after the provisioned number of
// days; a record not yet uploaded (queued, in a batch in flight, or refused) is never removed.
import Dexie from 'dexie';
import { RECORD_KINDS } from '../domain/records';
import type { KadianDB } from './database';

const DAY_MS = 24 * 3600 * 1000;

/** Ids of the records made before `before` (ms), kind by kind through the [kind+recordedAt] index. */
async function idsBefore(db: KadianDB, before: number): Promise<string[]> {
  const lists = await Promise.all(
    RECORD_KINDS.map((kind) =>
      db.records
        .where('[kind+recordedAt]')
        .between([kind, Dexie.minKey], [kind, before], true, false)
        .primaryKeys(),
    ),
  );
  return lists.flat();
}

/** The ids among these that have not reached the endpoint (queued, in flight, or refused). */
async function unsent(db: KadianDB, ids: string[]): Promise<Set<string>> {
  const [queued, batches, refused] = await Promise.all([
    db.outbox.where('recordId').anyOf(ids).toArray(),
    db.batches.toArray(),
    db.rejections.where('recordId').anyOf(ids).toArray(),
  ]);
  return new Set([
    ...queued.map((entry) => entry.recordId),
    ...batches.flatMap((batch) => batch.records.map((record) => record.id)),
    ...refused.map((rejection) => rejection.recordId),
  ]);
}

/**
 * Removes the uploaded records older than `days` days (by when they were made). Resolves to how many
 * went and how many older ones were kept because they are not uploaded yet.
 */
export async function purgeOld(
  db: KadianDB,
  days: number,
  now: number,
): Promise<{ purged: number; keptUnsent: number }> {
  return db.transaction('rw', db.records, db.outbox, db.batches, db.rejections, async () => {
    const old = await idsBefore(db, now - days * DAY_MS);
    if (old.length === 0) return { purged: 0, keptUnsent: 0 };
    const keep = await unsent(db, old);
    const gone = old.filter((id) => !keep.has(id));
    await db.records.bulkDelete(gone);
    return { purged: gone.length, keptUnsent: old.length - gone.length };
  });
}

/** How many records older than `days` days are still not uploaded (the app warns about them). */
export async function oldUnsentCount(db: KadianDB, days: number, now: number): Promise<number> {
  return db.transaction('r', db.records, db.outbox, db.batches, db.rejections, async () => {
    const old = await idsBefore(db, now - days * DAY_MS);
    return old.length === 0 ? 0 : (await unsent(db, old)).size;
  });
}

/** Every record not uploaded yet (queued, in a batch in flight, or refused), oldest first. */
export async function unsentRecords(db: KadianDB) {
  return db.transaction('r', db.records, db.outbox, db.batches, db.rejections, async () => {
    const [queued, batches, refused] = await Promise.all([
      db.outbox.toArray(),
      db.batches.toArray(),
      db.rejections.toArray(),
    ]);
    const ids = [
      ...new Set([
        ...queued.map((entry) => entry.recordId),
        ...batches.flatMap((batch) => batch.records.map((record) => record.id)),
        ...refused.map((rejection) => rejection.recordId),
      ]),
    ];
    const rows = await db.records.bulkGet(ids);
    return rows
      .flatMap((row) => (row ? [row.record] : []))
      .sort((a, b) => a.recordedAt - b.recordedAt);
  });
}

/** Deletes everything this device holds: records, queue, settings, keys. The app starts afresh. */
export async function wipeDevice(db: KadianDB): Promise<void> {
  db.close();
  await Dexie.delete(db.name);
}
