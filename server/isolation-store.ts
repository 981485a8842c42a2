// Home isolations in the receiver's file: a feed of every isolation record (start, check-ins,
// extensions, end, and the voids of any of them) in the order they were stored, filed under the
// isolation and its responsible checkpoint, which the checkpoint's devices pull by cursor. Written
// in the transaction that stores the record.
import type Database from 'better-sqlite3';
import { type Isolation, isolationsOf } from '../src/domain/isolation';
import { isIsolationRecord, type KadianRecord } from '../src/domain/records';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS isolation_feed (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    record_id TEXT NOT NULL UNIQUE,
    isolation_id TEXT NOT NULL,
    checkpoint_id TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS isolation_feed_checkpoint ON isolation_feed (checkpoint_id, seq);
`;

export class IsolationStore {
  constructor(private readonly db: Database.Database) {
    db.exec(SCHEMA);
  }

  /** A record just stored (inside its transaction): an isolation's is filed, so is a void of one. */
  recordStored(record: KadianRecord): void {
    let filed: { isolation_id: string; checkpoint_id: string } | undefined;
    if (record.kind === 'isolation-start')
      filed = { isolation_id: record.id, checkpoint_id: record.data.responsible.checkpointId };
    else if (isIsolationRecord(record) || record.kind === 'void') {
      const under =
        record.kind === 'void'
          ? record.data.targetId
          : (record.data as { isolationId: string }).isolationId;
      filed = this.db
        .prepare('SELECT isolation_id, checkpoint_id FROM isolation_feed WHERE record_id = ?')
        .get(under) as typeof filed;
      // A check-in whose start this receiver has not (yet) got is filed under its own checkpoint.
      if (!filed && record.kind !== 'void')
        filed = { isolation_id: under, checkpoint_id: record.checkpointId };
    }
    if (filed)
      this.db
        .prepare(
          'INSERT OR IGNORE INTO isolation_feed (record_id, isolation_id, checkpoint_id) VALUES (?, ?, ?)',
        )
        .run(record.id, filed.isolation_id, filed.checkpoint_id);
  }

  /** The isolation records of a checkpoint (or of all, for the office) filed after a cursor. */
  since(checkpointId: string | undefined, cursor: number, limit: number) {
    const rows = this.db
      .prepare(
        `SELECT f.seq, r.body FROM isolation_feed f JOIN records r ON r.id = f.record_id
         WHERE f.seq > ? ${checkpointId === undefined ? '' : 'AND f.checkpoint_id = ?'}
         ORDER BY f.seq LIMIT ?`,
      )
      .all(...(checkpointId === undefined ? [cursor, limit] : [cursor, checkpointId, limit])) as {
      seq: number;
      body: string;
    }[];
    return {
      records: rows.map(({ body }) => JSON.parse(body) as KadianRecord),
      next: rows.at(-1)?.seq ?? cursor,
    };
  }

  /** Every isolation the receiver knows, as its records tell it (voided ones left out). */
  all(): Isolation[] {
    const rows = this.db
      .prepare('SELECT r.body FROM isolation_feed f JOIN records r ON r.id = f.record_id')
      .all() as { body: string }[];
    return isolationsOf(rows.map(({ body }) => JSON.parse(body) as KadianRecord));
  }

  /** SQL for the ids of the records of the isolations that have not ended (no end record filed). */
  readonly openRecordsSql = `SELECT record_id FROM isolation_feed WHERE isolation_id NOT IN
    (SELECT f.isolation_id FROM isolation_feed f JOIN records r ON r.id = f.record_id
     WHERE r.kind = 'isolation-end')`;

  /** A start record's body, for the alert a symptomatic check-in raises. */
  start(isolationId: string): KadianRecord | undefined {
    const body = this.db
      .prepare(`SELECT body FROM records WHERE id = ? AND kind = 'isolation-start'`)
      .pluck()
      .get(isolationId) as string | undefined;
    return body === undefined ? undefined : (JSON.parse(body) as KadianRecord);
  }
}
