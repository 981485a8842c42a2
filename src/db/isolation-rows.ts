// Home isolations on the device: the records of the isolations this checkpoint follows, made here
// or pulled from the endpoint (made on the checkpoint's other devices or in the office), with the
// voids that correct them. Kept beside the records so an isolation's ledger outlives the records'
// retention while it is open; an ended one goes once its end is older than the retention period.
// Filing is on the gate's write path; reading (isolations.ts) comes with the screens that read.
import type { Table } from 'dexie';
import { isIsolationRecord, type KadianRecord } from '../domain/records';
import type { KadianDB } from './database';

/** One record of a home isolation, by its id, filed under the isolation (its start's id). */
export interface IsolationRow {
  id: string;
  isolationId: string;
  record: KadianRecord;
}

/**
 * Files the isolation records among `records`, and the voids of isolation records (among them or
 * already filed). Idempotent: a record pulled twice is one row.
 */
export async function applyToIsolations(
  table: Table<IsolationRow, string>,
  records: readonly KadianRecord[],
): Promise<void> {
  const rows: IsolationRow[] = records.filter(isIsolationRecord).map((record) => ({
    id: record.id,
    isolationId: 'isolationId' in record.data ? String(record.data.isolationId) : record.id,
    record,
  }));
  const voids = records.flatMap((record) => (record.kind === 'void' ? [record] : []));
  if (voids.length > 0) {
    const saving = new Map(rows.map((row) => [row.id, row]));
    const filed = await table.bulkGet(voids.map((record) => record.data.targetId));
    voids.forEach((record, i) => {
      const target = saving.get(record.data.targetId) ?? filed[i];
      if (target) rows.push({ id: record.id, isolationId: target.isolationId, record });
    });
  }
  if (rows.length > 0) await table.bulkPut(rows);
}

/** Files isolation records pulled from the endpoint (already checked against the record schema). */
export const savePulledIsolations = (db: KadianDB, records: readonly KadianRecord[]) =>
  db.transaction('rw', db.isolations, () => applyToIsolations(db.isolations, records));

/** Removes the isolations that ended before `before` (ms), with every record filed under them. */
export async function purgeEndedIsolations(db: KadianDB, before: number): Promise<void> {
  const ended = (await db.isolations.toArray()).flatMap(({ record }) =>
    record.kind === 'isolation-end' && record.recordedAt < before ? [record.data.isolationId] : [],
  );
  if (ended.length > 0) await db.isolations.where('isolationId').anyOf(ended).delete();
}
