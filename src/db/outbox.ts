// The sync queue. Records wait in `outbox` in sync order; a batch is frozen by moving its entries
// out of the queue into one `batches` row (with the exact records to send) in a single transaction,
// and a batch leaves only when every one of its records has an answer. So a record is always in
// exactly one place: queued, in a frozen batch, or answered (sent or rejected) — whatever is closed
// or cut off in between.
import type { KadianRecord } from '../domain/records';
import type {
  FrozenBatch,
  KadianDB,
  OutboxEntry,
  Revocation,
  SyncState,
  SyncStatus,
} from './database';
import { readMeta } from './settings';

export type RecordAnswer =
  | { id: string; status: 'accepted' | 'duplicate' }
  | { id: string; status: 'rejected'; error: string };

/** Records not yet answered by the endpoint: queued plus in frozen batches. */
export async function pendingCount(db: KadianDB): Promise<number> {
  const [queued, batches] = await Promise.all([db.outbox.count(), db.batches.toArray()]);
  return queued + batches.reduce((sum, batch) => sum + batch.records.length, 0);
}

/** Frozen batches, urgent lane first, then in the order they were made (batch ids are UUID v7). */
async function frozenBatches(db: KadianDB): Promise<FrozenBatch[]> {
  return (await db.batches.toArray()).sort(
    (a, b) => a.lane - b.lane || a.frozenAt - b.frozenAt || (a.batchId < b.batchId ? -1 : 1),
  );
}

/**
 * The next batch to send, in one transaction: urgent records first, a frozen batch before
 * freezing a new one.
 */
export function nextBatch(
  db: KadianDB,
  size: number,
  newBatchId: () => string,
  now: number,
): Promise<FrozenBatch | undefined> {
  return db.transaction('rw', db.outbox, db.records, db.batches, db.meta, async () => {
    const [frozen, head] = await Promise.all([frozenBatches(db), outboxHead(db)]);
    if (frozen[0]?.lane === 0) return frozen[0];
    const [urgent, usual] = await Promise.all([
      queued(db, 0, head, size),
      frozen[0] ? [] : queued(db, 1, head, size),
    ]);
    if (urgent.length > 0) return freeze(db, urgent, head, newBatchId(), now);
    // No urgent entry is queued, so none lies among the usual ones: they go as one range.
    return frozen[0] ?? freeze(db, usual, head, newBatchId(), now, true);
  });
}

/**
 * Freezes the next `size` queued records of a lane into a batch with the given key, or returns
 * undefined when the lane is empty.
 */
export function freezeBatch(
  db: KadianDB,
  lane: 0 | 1,
  size: number,
  batchId: string,
  frozenAt: number,
): Promise<FrozenBatch | undefined> {
  return db.transaction('rw', db.outbox, db.records, db.batches, db.meta, async () => {
    const head = await outboxHead(db);
    return freeze(db, await queued(db, lane, head, size), head, batchId, frozenAt);
  });
}

/** Per lane, the highest seq already frozen into a batch. */
async function outboxHead(db: KadianDB): Promise<[number, number]> {
  return (await readMeta(db, 'outboxHead')) ?? [0, 0];
}

/**
 * A lane's next `size` queue entries. Reads start after the lane's last frozen seq: the deleted
 * entries before it are never scanned again (they slow an index range read down as they pile up).
 */
function queued(db: KadianDB, lane: 0 | 1, head: [number, number], size: number) {
  return db.outbox
    .where('[lane+seq]')
    .between([lane, head[lane] + 1], [lane, Number.POSITIVE_INFINITY])
    .limit(size)
    .toArray();
}

/**
 * Moves queue entries of one lane (in queue order) into a new frozen batch; undefined when there
 * are none. A handful of requests however large the batch: the entries carry their records, and
 * are deleted as one range of seqs (`alone`: no other lane's entry lies among them; else where
 * the range holds none) or else key by key.
 */
async function freeze(
  db: KadianDB,
  entries: OutboxEntry[],
  head: [number, number],
  batchId: string,
  frozenAt: number,
  alone = false,
): Promise<FrozenBatch | undefined> {
  const [first] = entries;
  if (!first) return undefined;
  const { lane } = first;
  const seqs = entries.map((entry) => entry.seq as number);
  const batch: FrozenBatch = {
    batchId,
    lane,
    frozenAt,
    records: await queuedRecords(db, entries),
    attempts: 0,
  };
  await Promise.all([
    deleteEntries(db, seqs, alone),
    db.meta.put({
      key: 'outboxHead',
      value: lane === 0 ? [seqs.at(-1) as number, head[1]] : [head[0], seqs.at(-1) as number],
    }),
    db.batches.add(batch),
  ]);
  return batch;
}

/** The wire records of queue entries, in the entries' order. */
async function queuedRecords(db: KadianDB, entries: OutboxEntry[]): Promise<KadianRecord[]> {
  const missing = entries.flatMap((entry) => (entry.record ? [] : [entry.recordId]));
  const found = new Map<string, KadianRecord>();
  if (missing.length > 0)
    for (const row of await db.records.bulkGet(missing)) if (row) found.set(row.id, row.record);
  return entries.flatMap((entry) => {
    const record = entry.record ?? found.get(entry.recordId);
    return record ? [record] : [];
  });
}

/** Deletes queue entries by their seqs (ascending): as one range when no other entry lies between. */
async function deleteEntries(db: KadianDB, seqs: number[], alone: boolean): Promise<void> {
  const range = db.outbox.where(':id').between(seqs[0], seqs.at(-1), true, true);
  if (alone || (await range.count()) === seqs.length) await range.delete();
  else await db.outbox.bulkDelete(seqs);
}

/**
 * Applies answers to records of a batch in one transaction; the batch is retired once every record
 * has one, and what is left of it is returned.
 */
export async function settleBatch(
  db: KadianDB,
  batch: FrozenBatch,
  answers: RecordAnswer[],
  now: number,
): Promise<FrozenBatch | undefined> {
  const answered = new Set(answers.map((answer) => answer.id));
  const rest = batch.records.filter((record) => !answered.has(record.id));
  const rejections = answers.flatMap((answer) =>
    answer.status === 'rejected' ? [{ recordId: answer.id, error: answer.error, at: now }] : [],
  );
  return db.transaction('rw', db.rejections, db.batches, async () => {
    // Accepted and duplicate records need no write: leaving the batch is what makes them sent.
    if (rejections.length > 0) await db.rejections.bulkPut(rejections);
    if (rest.length === 0) {
      await db.batches.delete(batch.batchId);
      return undefined;
    }
    // Only adapters sending one request per record answer part of a batch; the rest stays frozen.
    const remaining = { ...batch, records: rest };
    await db.batches.put(remaining);
    return remaining;
  });
}

/** Replaces a frozen batch by smaller ones (each with its own new key), in one transaction. */
export async function splitBatch(
  db: KadianDB,
  batch: FrozenBatch,
  parts: FrozenBatch[],
): Promise<void> {
  await db.transaction('rw', db.batches, async () => {
    await db.batches.delete(batch.batchId);
    await db.batches.bulkAdd(parts);
  });
}

export async function countAttempt(db: KadianDB, batch: FrozenBatch): Promise<void> {
  await db.batches.update(batch.batchId, { attempts: batch.attempts + 1 });
}

/** Records the endpoint refused, newest first, with its reasons. */
export async function rejectedRecords(
  db: KadianDB,
): Promise<{ record: KadianRecord; error: string }[]> {
  return db.transaction('r', db.rejections, db.records, async () => {
    const rejections = await db.rejections.toArray();
    const stored = await db.records.bulkGet(rejections.map((rejection) => rejection.recordId));
    return rejections
      .flatMap((rejection, i) => {
        const row = stored[i];
        return row ? [{ record: row.record, error: rejection.error }] : [];
      })
      .sort((a, b) => b.record.recordedAt - a.record.recordedAt);
  });
}

/** The sync state of each of these records: pending (queued or in a frozen batch), rejected, or sent. */
export async function syncStates(
  db: KadianDB,
  ids: string[],
): Promise<Map<string, { state: SyncState; error?: string }>> {
  return db.transaction('r', db.outbox, db.batches, db.rejections, async () => {
    const [queued, batches, rejections] = await Promise.all([
      // The index's keys alone: the entries themselves carry whole records.
      db.outbox.where('recordId').anyOf(ids).keys(),
      db.batches.toArray(),
      db.rejections.where('recordId').anyOf(ids).toArray(),
    ]);
    const pending = new Set([
      ...(queued as string[]),
      ...batches.flatMap((batch) => batch.records.map((record) => record.id)),
    ]);
    const refused = new Map(rejections.map((rejection) => [rejection.recordId, rejection.error]));
    return new Map(
      ids.map((id): [string, { state: SyncState; error?: string }] => {
        const error = refused.get(id);
        if (error !== undefined) return [id, { state: 'rejected', error }];
        return [id, { state: pending.has(id) ? 'pending' : 'sent' }];
      }),
    );
  });
}

export async function readSyncStatus(db: KadianDB): Promise<SyncStatus> {
  return (await readMeta(db, 'sync')) ?? { failures: 0 };
}

export async function writeSyncStatus(db: KadianDB, status: SyncStatus): Promise<void> {
  await db.meta.put({ key: 'sync', value: status });
}

/**
 * Keeps revocations pulled from the endpoint or imported from the office's list. A pass revoked
 * twice keeps its latest date, and a reason once known is kept (an imported list carries none).
 */
export async function saveRevocations(db: KadianDB, revocations: Revocation[]): Promise<void> {
  await db.transaction('rw', db.revocations, async () => {
    const known = await db.revocations.bulkGet(revocations.map((entry) => entry.passId));
    await db.revocations.bulkPut(
      revocations.map((entry, i) => {
        const before = known[i];
        if (!before) return entry;
        return {
          passId: entry.passId,
          reason: entry.reason || before.reason,
          revokedAt: Math.max(entry.revokedAt, before.revokedAt),
        };
      }),
    );
  });
}

/**
 * The ids of every record not answered yet (queued, or in a batch in flight) and, with
 * `withRefused`, of those the endpoint refused: all a device still holds that the endpoint lacks.
 */
export async function unsentIds(db: KadianDB, withRefused = false): Promise<Set<string>> {
  return db.transaction('r', db.outbox, db.batches, db.rejections, async () => {
    const [queued, batches, refused] = await Promise.all([
      db.outbox.orderBy('recordId').keys(),
      db.batches.toArray(),
      withRefused ? db.rejections.toArray() : [],
    ]);
    return new Set([
      ...(queued as string[]),
      ...batches.flatMap((batch) => batch.records.map((record) => record.id)),
      ...refused.map((rejection) => rejection.recordId),
    ]);
  });
}
