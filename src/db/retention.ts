// Retention: records the endpoint has are removed from the device after the provisioned number of
// days; a record not yet uploaded (queued, in a batch in flight, or refused) is never removed.
import Dexie from 'dexie';
import { DAY_MS, localDay } from '../domain/day';
import { RECORD_KINDS } from '../domain/records';
import type { KadianDB } from './database';
import { purgeEndedIsolations } from './isolation-rows';
import { unsentIds } from './outbox';

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

/**
 * Removes the uploaded records older than `days` days (by when they were made). Resolves to how many
 * went and how many older ones were kept because they are not uploaded yet.
 */
export async function purgeOld(
  db: KadianDB,
  days: number,
  now: number,
): Promise<{ purged: number; keptUnsent: number }> {
  const before = now - days * DAY_MS;
  return db.transaction(
    'rw',
    [
      db.records,
      db.days,
      db.visits,
      db.outbox,
      db.batches,
      db.rejections,
      db.express,
      db.alerts,
      db.isolations,
    ],
    async () => {
      // An isolation stays, ledger and all, while it is followed; an ended one goes with its end.
      await purgeEndedIsolations(db, before);
      const old = await idsBefore(db, before);
      if (old.length === 0) return { purged: 0, keptUnsent: 0 };
      const keep = await unsentIds(db, true);
      const gone = old.filter((id) => !keep.has(id));
      // A purged arrival's visit goes with it, a fever's alert lane entry and alert with theirs
      // (the other ids name none of these).
      await Promise.all([
        db.records.bulkDelete(gone),
        db.visits.bulkDelete(gone),
        db.express.bulkDelete(gone),
        db.alerts.bulkDelete(gone),
      ]);
      // The figures of a day go with its last record (a day with unsent records keeps them).
      const oldDays = (await db.days.toCollection().primaryKeys()).filter(
        ([, day]) => day <= localDay(before),
      );
      const emptied = await Promise.all(
        oldDays.map(
          async ([checkpointId, day]) =>
            (await db.records
              .where('[checkpointId+day+recordedAt]')
              .between([checkpointId, day, Dexie.minKey], [checkpointId, day, Dexie.maxKey])
              .count()) === 0,
        ),
      );
      await db.days.bulkDelete(oldDays.filter((_, i) => emptied[i]));
      return { purged: gone.length, keptUnsent: old.length - gone.length };
    },
  );
}

/** How many records older than `days` days are still not uploaded (the app warns about them). */
export async function oldUnsentCount(db: KadianDB, days: number, now: number): Promise<number> {
  return db.transaction('r', db.records, db.outbox, db.batches, db.rejections, async () => {
    const old = await idsBefore(db, now - days * DAY_MS);
    if (old.length === 0) return 0;
    const keep = await unsentIds(db, true);
    return old.filter((id) => keep.has(id)).length;
  });
}

/** Every record not uploaded yet (queued, in a batch in flight, or refused), oldest first. */
export async function unsentRecords(db: KadianDB) {
  return db.transaction('r', db.records, db.outbox, db.batches, db.rejections, async () => {
    const rows = await db.records.bulkGet([...(await unsentIds(db, true))]);
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
